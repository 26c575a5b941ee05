"""Announcements: drafting and confirming one in chat (``announce``), and the use cases
that send, acknowledge and report them (``broadcasts``)."""
