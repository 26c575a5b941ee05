"""``python -m bot.cli``: the same as the ``helpdesk`` command."""

from bot.cli.root import main

main()
