"""Reading Bot API parameters from an HTTP request, in every form Telegram accepts.

Telegram takes parameters from the query string (GET or POST) and from the body as
``application/json``, ``application/x-www-form-urlencoded`` or ``multipart/form-data``
(the only way to upload files).  Body values override query values.  Multipart parts
with a filename are files: either a parameter itself (``photo=<file>``) or a part that
a parameter names as ``attach://<part name>`` (what aiogram always does).
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from . import errors
from .models import UploadedFile

FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Raw parameters (form values are strings) and uploaded files of a request."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return params, files
    if request.content_type == "application/json":
        try:
            body = json.loads(await request.text() or "{}")
        except ValueError:
            raise errors.bad_request("Bad Request: can't parse JSON object") from None
        if not isinstance(body, dict):
            raise errors.bad_request("Bad Request: JSON object expected")
        params.update(body)
    elif request.content_type in FORM_TYPES:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                params[key] = value
    return params, files


def resolve_attachments(value: Any, files: dict[str, UploadedFile]) -> Any:
    """``value`` with every ``attach://name`` string replaced by the uploaded part."""
    if isinstance(value, str) and value.startswith("attach://"):
        return files.get(value.removeprefix("attach://"), value)
    if isinstance(value, dict):
        return {key: resolve_attachments(item, files) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_attachments(item, files) for item in value]
    return value


def dangling_attachments(value: Any, files: dict[str, UploadedFile]) -> list[str]:
    """``attach://`` references that name no uploaded part."""
    if isinstance(value, str) and value.startswith("attach://"):
        return [] if value.removeprefix("attach://") in files else [value]
    if isinstance(value, dict):
        return [ref for item in value.values() for ref in dangling_attachments(item, files)]
    if isinstance(value, list):
        return [ref for item in value for ref in dangling_attachments(item, files)]
    return []
