"""The stage calendar: the schedule in chat, reminders, and how a stage is shown."""
