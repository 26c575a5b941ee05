"""Where the two Telegram libraries differ in what they raise, each runtime reads the
error back into the Bot API's terms, so ``refusals`` gives one meaning for both."""

from __future__ import annotations

import sys

import httpx
import pytest
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import GetMe
from telegram.error import NetworkError, TimedOut

from bot.settings import load_settings
from bot.transports.telegram.aiogram import AiogramApi
from bot.transports.telegram.api import ApiFailure
from bot.transports.telegram.ptb import PtbApi, answer_failure
from bot.transports.telegram.refusals import Outcome, refusal_of
from bot.transports.telegram.runtimes import RuntimeMissing, make_api

URL = "http://127.0.0.1:9"


def timed_out_by(cause: Exception) -> ApiFailure | None:
    try:
        raise TimedOut() from cause
    except TimedOut as exc:
        return PtbApi("1:test", URL).failure(exc)


def test_a_read_timeout_may_have_delivered_but_a_connect_or_pool_timeout_did_not() -> None:
    read = timed_out_by(httpx.ReadTimeout("read"))
    connect = timed_out_by(httpx.ConnectTimeout("connect"))
    pool = PtbApi("1:test", URL).failure(TimedOut("Pool timeout: All connections are busy"))
    assert read is not None and read.timed_out
    assert connect is not None and not connect.timed_out
    assert pool is not None and not pool.timed_out
    refusal = refusal_of(read)
    assert refusal is not None and refusal.maybe_delivered


def test_a_dropped_connection_is_transient_and_not_delivered() -> None:
    failure = PtbApi("1:test", URL).failure(NetworkError("connection reset"))
    assert failure == ApiFailure(None, "connection reset")
    refusal = refusal_of(failure)
    assert refusal is not None and refusal.outcome is Outcome.TRANSIENT
    assert not refusal.maybe_delivered


def test_an_error_answer_keeps_its_status_and_parameters() -> None:
    body = b'{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded",'
    body += b'"parameters":{"migrate_to_chat_id":-1001234}}'
    failure = answer_failure(400, body)
    assert (failure.status, failure.migrate_to) == (400, -1001234)
    refusal = refusal_of(failure)
    assert refusal is not None and refusal.outcome is Outcome.CHAT_MOVED
    assert answer_failure(502, b"<html>bad gateway</html>") == ApiFailure(502, "HTTP 502")


def test_aiogram_timeouts_may_have_delivered() -> None:
    api = AiogramApi("1:test", URL)
    failure = api.failure(TelegramNetworkError(GetMe(), "Request timeout error"))
    assert failure is not None and failure.status is None and failure.timed_out


def test_a_runtime_whose_library_is_not_installed_stops_start_up_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sys.modules, "bot.transports.telegram.ptb", raising=False)
    monkeypatch.setitem(sys.modules, "telegram", None)  # as if never installed
    settings = load_settings(env_file=None, telegram_bot_token="1:test", telegram_runtime="PTB")
    with pytest.raises(RuntimeMissing) as refused:
        make_api(settings)
    assert str(refused.value) == (
        "TELEGRAM_RUNTIME=ptb needs python-telegram-bot, which is not installed (no module "
        "telegram): pip install -e '.[ptb]'"
    )
