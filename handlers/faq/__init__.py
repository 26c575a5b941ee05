"""The FAQ: the guided menu, typed questions, and how answers are shown."""
