"""What the help desk knows, read from the data folders beside this package and checked.

``faq`` reads ``knowledge/faq/*.yaml`` (the FAQ content and its schema), ``reference``
reads ``knowledge/reference/*.yaml`` (offices and parties), ``calendar`` reads
``knowledge/calendars/*.yaml`` (election stages), and ``ics`` writes stages as iCalendar.
"""
