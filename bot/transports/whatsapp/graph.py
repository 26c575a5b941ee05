"""The Cloud API (Meta's Graph API for WhatsApp), over plain HTTP with httpx.

Plain HTTP rather than a client library: the help desk needs a handful of calls (send a
message, upload and download media, mark read, list templates), every error code must be
read by us anyway (``refusals``), and the tests point ``WHATSAPP_BASE_URL`` at a fake.

Cloud API facts used here (https://developers.facebook.com/docs/whatsapp/cloud-api):
- ``POST /{version}/{phone-number-id}/messages`` sends; the answer's ``messages[0].id``
  (a ``wamid.``) is the message's id, which the delivery statuses name later;
- an error is ``{"error": {"code", "error_subcode", "message", "error_data"}}``;
- media are uploaded with ``POST /{phone-number-id}/media`` (multipart) and fetched with
  ``GET /{media-id}`` (a short-lived URL), then ``GET`` of that URL with the token;
- ``{"status": "read", "message_id", "typing_indicator"}`` marks a message read and shows
  "typing…" for up to 25 seconds or until the answer is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

TIMEOUT = httpx.Timeout(20.0, connect=5.0)


class GraphError(Exception):
    """The Graph API refused a call: its HTTP status and Meta's error code."""

    def __init__(self, status: int, code: int, message: str, subcode: int | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.subcode = subcode


@dataclass(frozen=True)
class Media:
    content: bytes
    mime: str
    name: str


class Graph:
    def __init__(self, base_url: str, version: str, phone_number_id: str, token: str) -> None:
        self._root = f"{base_url.rstrip('/')}/{version}"
        self._phone = phone_number_id
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def send(self, message: dict[str, Any]) -> str:
        """Sends one message; its wamid, or :class:`GraphError` / an httpx error."""
        body = {"messaging_product": "whatsapp", **message}
        answer = await self._call("POST", f"{self._phone}/messages", json=body)
        return str(answer["messages"][0]["id"])

    async def mark_read(self, message_id: str, *, typing: bool = True) -> None:
        body: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": message_id,
        }
        if typing:
            body["typing_indicator"] = {"type": "text"}
        await self._call("POST", f"{self._phone}/messages", json=body)

    async def upload(self, name: str, content: bytes, mime: str) -> str:
        answer = await self._call(
            "POST",
            f"{self._phone}/media",
            data={"messaging_product": "whatsapp", "type": mime},
            files={"file": (name, content, mime)},
        )
        return str(answer["id"])

    async def download(self, media_id: str) -> Media:
        info = await self._call("GET", media_id)
        response = await self._client.get(str(info["url"]))
        if response.status_code != 200:
            raise GraphError(response.status_code, response.status_code, "media download failed")
        mime = str(info.get("mime_type") or "application/octet-stream")
        extension = mime.rsplit("/", 1)[-1].split(";")[0] or "bin"
        return Media(response.content, mime, f"{media_id}.{extension}")

    async def templates(self, business_account_id: str) -> list[dict[str, Any]]:
        """Every message template of the WhatsApp Business Account, all pages."""
        found: list[dict[str, Any]] = []
        params: dict[str, Any] = {
            "limit": 100,
            "fields": "name,language,status,category,components",
        }
        path = f"{business_account_id}/message_templates"
        while True:
            answer = await self._call("GET", path, params=params)
            found.extend(answer.get("data", []))
            after = answer.get("paging", {}).get("cursors", {}).get("after")
            if not after or not answer.get("paging", {}).get("next"):
                return found
            params = {**params, "after": after}

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = await self._client.request(method, f"{self._root}/{path}", **kwargs)
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code >= 400 or "error" in answer:
            error = answer.get("error", {}) if isinstance(answer, dict) else {}
            raise GraphError(
                response.status_code,
                int(error.get("code", response.status_code)),
                str(error.get("message", response.reason_phrase))[:200],
                error.get("error_subcode"),
            )
        return answer if isinstance(answer, dict) else {}
