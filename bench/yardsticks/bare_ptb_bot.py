"""A bare python-telegram-bot bot, the yardstick of bench/overhead.py for the default
runtime (TELEGRAM_RUNTIME=ptb): long polling through PTB's own ``Application``, it
answers any text with a fixed message carrying three buttons, and a pressed button with
a toast and an edit of that message. No database, no templates, no search: what the
runtime alone costs, as bare_bot.py measures it for aiogram.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:PORT \
        python bench/yardsticks/bare_ptb_bot.py
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Satu", callback_data="one")],
        [InlineKeyboardButton("Dua", callback_data="two")],
        [InlineKeyboardButton("Menu", callback_data="menu")],
    ]
)


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.message is not None:
        await update.message.reply_text(
            "Jawaban: pendaftaran ditutup pada tanggal itu.", reply_markup=KEYBOARD
        )


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    callback = update.callback_query
    if callback is None:
        return
    await callback.answer("ok")
    await callback.edit_message_text(f"Dipilih: {callback.data}", reply_markup=KEYBOARD)


def main() -> None:
    api = os.environ["TELEGRAM_API_URL"]
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .concurrent_updates(True)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, answer))
    application.add_handler(CallbackQueryHandler(press))
    application.run_polling(allowed_updates=Update.ALL_TYPES)  # stops on SIGTERM


if __name__ == "__main__":
    main()
