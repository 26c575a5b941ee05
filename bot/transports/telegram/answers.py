"""The outbox courier, able to carry answers too: an edit of one of our messages, and a
file made for the person (uploaded from the outbox row).

Telegram quirks: editing a message to the same text answers 400 "message is not
modified" (the same screen pressed twice: nothing to do); a message too old or deleted
cannot be edited, so the answer is sent as a new message instead.
"""

from __future__ import annotations

from bot.delivery.courier import Delivery, Parcel, Verdict
from bot.transports.common import html_to_plain
from bot.transports.telegram.api import Upload
from bot.transports.telegram.courier import CAPTION_LIMIT, TelegramCourier, _markup
from bot.transports.telegram.sender import utf16_len


class AnswerCourier(TelegramCourier):
    async def send(self, parcel: Parcel) -> Delivery:
        if parcel.file_content is not None:
            return await self._upload(parcel)
        if parcel.edit is not None:
            return await self._edit(parcel, parcel.edit)
        return await super().send(parcel)

    async def _edit(self, parcel: Parcel, message_id: str) -> Delivery:
        delivery = await self._attempt(
            lambda: self._api.edit_message(
                parcel.chat_id, int(message_id), parcel.text, _markup(parcel)
            )
        )
        if delivery.verdict is Verdict.SENT:
            return Delivery(Verdict.SENT, ref=message_id)
        if delivery.verdict is Verdict.FAILED:
            if "message is not modified" in delivery.error:
                return Delivery(Verdict.SENT, ref=message_id)
            return await super().send(_as_new(parcel))
        return delivery

    async def _upload(self, parcel: Parcel) -> Delivery:
        assert parcel.file_content is not None
        upload = Upload(parcel.file_name or "file", parcel.file_content)
        caption: str | None = parcel.text or None
        html = True
        if caption and utf16_len(html_to_plain(caption)) > CAPTION_LIMIT:
            caption, html = html_to_plain(caption)[: CAPTION_LIMIT - 1] + "…", False
        thread = int(parcel.thread) if parcel.thread else None
        return await self._attempt(
            lambda: self._api.send_file(
                parcel.chat_id,
                "document",
                upload,
                caption=caption,
                html=html,
                thread=thread,
                keyboard=_markup(parcel),
            )
        )


def _as_new(parcel: Parcel) -> Parcel:
    return Parcel(
        chat_id=parcel.chat_id, text=parcel.text, thread=parcel.thread, buttons=parcel.buttons
    )
