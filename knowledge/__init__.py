"""What the help desk *knows*: FAQ content, the stage calendar, reference data, search.

Split by job: ``knowledge.content`` reads and checks the data folders here (``faq/``,
``reference/``, ``calendars/``); ``knowledge.search`` is the search engine the bot answers
with (``from knowledge.search import KnowledgeBase``); ``knowledge.tools`` holds the
offline tools only ``helpdesk kb`` uses (evaluation, calibration). ``calibration/``
holds the out-of-scope questions the calibration is fitted on.

Imports ``models`` at most.
"""
