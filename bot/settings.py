"""Settings, read once at start from the environment and an optional ``.env`` file.

A wrong value stops start-up with one line that names the variable and what is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.zones import is_indonesian

DEFAULT_DATABASE_URL = "sqlite:///./var/helpdesk.db"
_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]+$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class SettingsError(Exception):
    """One line for a person: which variable is wrong and how."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = Field(default=None)
    telegram_api_url: str = Field(default="https://api.telegram.org")
    telegram_bot_username: str | None = Field(default=None)
    telegram_runtime: Literal["ptb", "aiogram"] = Field(default="ptb")
    database_url: str = Field(default=DEFAULT_DATABASE_URL)
    helpdesk_timezone: str = Field(default="Asia/Jakarta")
    webhook_url: str | None = Field(default=None)
    webhook_secret: SecretStr | None = Field(default=None)
    # The help desk's HTTP server (webhooks, health), in every mode; WEBHOOK_LISTEN is the
    # name it had when it served only Telegram's webhook, still read.
    http_listen: str = Field(
        default="127.0.0.1:8080",
        validation_alias=AliasChoices("http_listen", "webhook_listen"),
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(default="INFO")
    log_format: Literal["text", "json"] = Field(default="text")
    scheduler_tick_seconds: float = Field(default=10.0, ge=0.05, le=3600.0)
    # Readiness (GET /readyz): how long Telegram may stay silent, and how long the oldest
    # due outbox message may wait, before this process reports itself not ready.
    ready_telegram_seconds: float = Field(default=90.0, ge=1.0, le=3600.0)
    ready_outbox_lag_seconds: float = Field(default=300.0, ge=1.0, le=86_400.0)
    # WhatsApp (Cloud API): served when the token, phone number id and app secret are set.
    whatsapp_access_token: SecretStr | None = Field(default=None)
    whatsapp_phone_number_id: str | None = Field(default=None)
    whatsapp_app_secret: SecretStr | None = Field(default=None)
    whatsapp_verify_token: SecretStr | None = Field(default=None)
    whatsapp_api_version: str = Field(default="v23.0")
    whatsapp_base_url: str = Field(default="https://graph.facebook.com")
    whatsapp_business_account_id: str | None = Field(default=None)
    whatsapp_display_number: str | None = Field(default=None)
    whatsapp_templates_file: str | None = Field(default=None)  # None: the shipped file
    whatsapp_webhook_path: str = Field(default="/whatsapp/hook")
    whatsapp_messages_per_second: float = Field(default=80.0, ge=1.0, le=1000.0)
    whatsapp_daily_tier: int = Field(default=250, ge=0)  # 0: unlimited; 250: a new portfolio's
    # all: stores and handles updates, and leads (scheduler, outbox) when it holds the
    # lead; worker: stores and handles updates only (PostgreSQL, several processes).
    helpdesk_role: Literal["all", "worker"] = Field(default="all")
    # PostgreSQL connections each process keeps (and as many more at a peak).
    database_pool_size: int = Field(default=10, ge=1, le=100)
    # Where the built knowledge base is kept between starts; empty: under XDG_CACHE_HOME
    # (~/.cache), "off": rebuilt at every start.
    helpdesk_cache_dir: str = Field(default="")
    xdg_cache_home: str = Field(default="")

    @field_validator("telegram_bot_username")
    @classmethod
    def _username(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name = value.strip().lstrip("@")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", name):
            raise ValueError("must be the bot's @username (5-32 letters, digits, _)")
        return name

    @field_validator(
        "telegram_bot_token",
        "telegram_bot_username",
        "webhook_secret",
        "webhook_url",
        "whatsapp_access_token",
        "whatsapp_phone_number_id",
        "whatsapp_app_secret",
        "whatsapp_verify_token",
        "whatsapp_business_account_id",
        "whatsapp_display_number",
        "whatsapp_templates_file",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", "log_format", "helpdesk_role", "telegram_runtime", mode="before")
    @classmethod
    def _case_insensitive(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return (
            value.strip().upper()
            if value.strip().upper() in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
            else value.strip().lower()
        )

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN.match(value.get_secret_value().strip()):
            raise ValueError("does not look like a bot token from @BotFather (123456:ABC-...)")
        return SecretStr(value.get_secret_value().strip()) if value is not None else None

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("must be an http(s) URL such as https://api.telegram.org")
        return value.strip().rstrip("/")

    @field_validator("whatsapp_base_url")
    @classmethod
    def _graph_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("must be an http(s) URL such as https://graph.facebook.com")
        return value.strip().rstrip("/")

    @field_validator("whatsapp_api_version")
    @classmethod
    def _graph_version(cls, value: str) -> str:
        if not re.fullmatch(r"v\d{1,3}\.\d{1,2}", value.strip()):
            raise ValueError("must be a Graph API version such as v23.0")
        return value.strip()

    @field_validator("whatsapp_phone_number_id", "whatsapp_business_account_id")
    @classmethod
    def _numeric_id(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().isdigit():
            raise ValueError("must be the numeric id shown in the Meta app's WhatsApp setup")
        return value.strip() if value is not None else None

    @field_validator("whatsapp_display_number")
    @classmethod
    def _display_number(cls, value: str | None) -> str | None:
        if value is None:
            return None
        digits = re.sub(r"[\s+()-]", "", value)
        if not digits.isdigit() or not 8 <= len(digits) <= 15:
            raise ValueError(
                "must be the business number in international form, e.g. 6281234567890"
            )
        return digits

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        scheme = value.split(":", 1)[0].split("+", 1)[0]
        if scheme not in {"sqlite", "postgresql", "postgres"}:
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value.strip()

    @field_validator("helpdesk_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("is not an IANA time zone such as Asia/Jakarta") from exc
        if not is_indonesian(value):
            raise ValueError("is not one of Indonesia's time zones (WIB, WITA, WIT)")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("must be the public https URL Telegram will post updates to")
        return value.strip()

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("http_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        host, sep, port = value.strip().rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
            raise ValueError("must be host:port, such as 0.0.0.0:8080 (port 0: any free port)")
        return value.strip()

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET must be set when WEBHOOK_URL is set")
        return self

    @model_validator(mode="after")
    def _whatsapp_complete(self) -> Settings:
        given = [
            self.whatsapp_access_token is not None,
            self.whatsapp_phone_number_id is not None,
            self.whatsapp_app_secret is not None,
        ]
        if any(given) and not all(given):
            raise ValueError(
                "WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_APP_SECRET "
                "go together: set all three to serve WhatsApp, or none"
            )
        return self

    @model_validator(mode="after")
    def _worker_needs_postgresql(self) -> Settings:
        if self.helpdesk_role == "worker" and not self.shared_database:
            raise ValueError(
                "HELPDESK_ROLE=worker needs PostgreSQL (DATABASE_URL=postgresql://...): "
                "SQLite serves one process, which does everything (HELPDESK_ROLE=all)"
            )
        if self.helpdesk_role == "worker" and not self.webhook_url:
            raise ValueError(
                "HELPDESK_ROLE=worker needs WEBHOOK_URL: a worker serves Telegram's webhook; "
                "long polling is done by one process (HELPDESK_ROLE=all)"
            )
        return self

    @property
    def whatsapp_enabled(self) -> bool:
        """WhatsApp is served when its token, phone number id and app secret are set."""
        return (
            self.whatsapp_access_token is not None
            and self.whatsapp_phone_number_id is not None
            and self.whatsapp_app_secret is not None
        )

    @property
    def shared_database(self) -> bool:
        """Whether several processes may share the database (PostgreSQL)."""
        return self.database_url.split(":", 1)[0].split("+", 1)[0] in {"postgresql", "postgres"}

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.helpdesk_timezone)

    @property
    def cache_dir(self) -> Path | None:
        """The folder of caches (HELPDESK_CACHE_DIR); None when turned off."""
        chosen = self.helpdesk_cache_dir.strip()
        if chosen.lower() == "off":
            return None
        if chosen:
            return Path(chosen).expanduser()
        base = Path(self.xdg_cache_home.strip() or "~/.cache").expanduser()
        return base / "kpu-helpdesk"

    @property
    def listen_host_port(self) -> tuple[str, int]:
        host, _, port = self.http_listen.rpartition(":")
        return host.strip("[]"), int(port)


def load_settings(env_file: Path | str | None = ".env", **overrides: Any) -> Settings:
    """Settings from the environment (and ``env_file``), or a :class:`SettingsError`."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    variable = "_".join(str(p) for p in error["loc"]).upper()
    message = str(error["msg"]).removeprefix("Value error, ")
    if not variable:
        return f"configuration error: {message}"
    if error["type"] == "literal_error":
        message = "must be " + message.removeprefix("Input should be ")
    return f"configuration error: {variable} {message}"
