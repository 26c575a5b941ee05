"""Growing the knowledge base from the desk: FAQ drafts from resolved tickets and their
review (``drafts`` the use cases, ``review`` the staff-chat side), and the questions the
bot could not answer, grouped (``gaps``)."""
