"""Home: first contact, the main menu and its entries, help, the language, what is said
to things nothing else handles, and the bot joining or leaving a chat."""
