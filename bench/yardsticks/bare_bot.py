"""A bare aiogram bot, the yardstick of bench/overhead.py (kept out of `make bench`):
long polling, it answers any text with a fixed message carrying three buttons, and a
pressed button with a toast and an edit of that message. No database, no templates, no
search: what the runtime alone costs.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:PORT \
        python bench/yardsticks/bare_bot.py
"""

from __future__ import annotations

import asyncio
import os
import signal

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [InlineKeyboardButton(text="Satu", callback_data="one")],
        [InlineKeyboardButton(text="Dua", callback_data="two")],
        [InlineKeyboardButton(text="Menu", callback_data="menu")],
    ]
)


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"]))
    bot = Bot(os.environ["TELEGRAM_BOT_TOKEN"], session=session)
    dispatcher = Dispatcher()

    @dispatcher.message(F.text)
    async def answer(message: Message) -> None:
        await message.answer(
            "Jawaban: pendaftaran ditutup pada tanggal itu.", reply_markup=KEYBOARD
        )

    @dispatcher.callback_query()
    async def press(callback: CallbackQuery) -> None:
        await callback.answer("ok")
        if isinstance(callback.message, Message):
            await callback.message.edit_text(f"Dipilih: {callback.data}", reply_markup=KEYBOARD)

    loop = asyncio.get_running_loop()
    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await dispatcher.stop_polling()
    await polling
    await bot.session.close()


if __name__ == "__main__":
    asyncio.run(main())
