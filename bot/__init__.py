"""How the help desk talks and runs: settings, composition root, CLI, transports."""

__version__ = "0.1.0"
