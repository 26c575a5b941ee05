"""What the help desk *does* with each event, for any messaging app.

Imports ``models`` and ``knowledge`` only; never a messaging SDK.
"""
