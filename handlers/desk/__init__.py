"""The help desk: tickets from the liaison's side (``liaison``, ``register``), the
officers' side (``staff``, ``admin``), messages the desk claims (``inbox``), what it
sends through the outbox (``outbox``), who may act (``guard``), and how tickets are shown
(``views``)."""
