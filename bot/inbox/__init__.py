"""The inbox's runtime: updates stored before they are confirmed, handled from the
database, their replies written to the outbox with their effects (see models/inbox.py)."""
