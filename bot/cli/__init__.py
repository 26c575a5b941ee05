"""The ``helpdesk`` command line (entry point ``bot.cli:main``).

One module per command group: ``root`` (the app; run, start, demo, db), ``kb``,
``desk`` (officer, office, invite, audit, tickets), ``stages``, ``announce``; ``common``
holds what they share. Every command reaches the database through the composition root.
"""

from bot.collector import paused

with paused():  # importing the commands makes only objects that stay
    from bot.cli.root import app, main

__all__ = ["app", "main"]
