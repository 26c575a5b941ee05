"""What the help desk *knows*: FAQ content, the stage calendar, reference data, search.

Imports ``models`` at most.
"""
