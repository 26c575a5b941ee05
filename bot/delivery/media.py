"""Files that cross from one app to another: a photo a liaison sent on WhatsApp goes to a
Telegram staff chat, an officer's photo on Telegram to a WhatsApp liaison. An app's file
id means nothing to another app, so the file is fetched from the app that holds it and
uploaded to the other (see :class:`bot.delivery.courier.MediaCourier`)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping

from bot.delivery.courier import Courier, Parcel

log = logging.getLogger(__name__)


async def bring_media(couriers: Mapping[str, Courier], courier: Courier, parcel: Parcel) -> Parcel:
    """The parcel with the file it names as bytes to upload, when another app holds it; a
    file that cannot be fetched leaves the text alone, never a file id the app would
    refuse."""
    file_id = parcel.attachment_file_id
    owns = getattr(courier, "owns_media", None)
    if not file_id or parcel.upload is not None or owns is None or owns(file_id):
        return parcel
    for other in couriers.values():
        if other is courier or not getattr(other, "owns_media", lambda _f: False)(file_id):
            continue
        upload = await other.fetch_media(file_id)  # type: ignore[attr-defined]
        if upload is not None:
            return dataclasses.replace(parcel, upload=upload)
    log.warning("a file held by another app could not be fetched; the text goes alone")
    return dataclasses.replace(parcel, attachment_kind=None, attachment_file_id=None)
