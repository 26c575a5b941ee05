"""Settings: defaults that run, and one clear line for each wrong value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings

VARIABLES = [
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_URL",
    "DATABASE_URL",
    "HELPDESK_TIMEZONE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "HTTP_LISTEN",
    "LOG_LEVEL",
    "LOG_FORMAT",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_the_defaults_need_no_configuration() -> None:
    settings = load_settings(env_file=None)
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.database_url == "sqlite:///./var/helpdesk.db"
    assert settings.helpdesk_timezone == "Asia/Jakarta"
    assert (settings.log_level, settings.log_format) == ("INFO", "text")


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN does not look like a bot token"),
        ("TELEGRAM_API_URL", "api.telegram.org", "TELEGRAM_API_URL must be an http(s) URL"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL must start with sqlite:/// or postgresql://"),
        ("HELPDESK_TIMEZONE", "WITA", "HELPDESK_TIMEZONE is not an IANA time zone"),
        ("WEBHOOK_URL", "ftp://x", "WEBHOOK_URL must be the public https URL"),
        ("HTTP_LISTEN", "8080", "HTTP_LISTEN must be host:port"),
        ("WEBHOOK_LISTEN", "8080", "HTTP_LISTEN must be host:port"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be 'DEBUG', 'INFO'"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be 'text' or 'json'"),
        ("TELEGRAM_BOT_USERNAME", "kpu bot", "TELEGRAM_BOT_USERNAME must be the bot's @username"),
        ("SCHEDULER_TICK_SECONDS", "0", "SCHEDULER_TICK_SECONDS"),
    ],
)
def test_a_wrong_value_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, says: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None)
    message = str(caught.value)
    assert message.startswith(f"configuration error: {says}")
    assert "\n" not in message
    assert value not in message or variable != "TELEGRAM_BOT_TOKEN", "secrets are not echoed"


def test_a_webhook_needs_its_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://helpdesk.example.id/tg")
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET must be set when WEBHOOK_URL is set"):
        load_settings(env_file=None)
    monkeypatch.setenv("WEBHOOK_SECRET", "bad secret!")
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET must be 1-256 characters"):
        load_settings(env_file=None)


def test_values_come_from_a_dotenv_file_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "TELEGRAM_BOT_TOKEN=123456:ABCdef_-\nLOG_LEVEL=debug\nHELPDESK_TIMEZONE=Asia/Jayapura\n"
    )
    monkeypatch.setenv("HELPDESK_TIMEZONE", "Asia/Makassar")
    settings = load_settings(env_file=env)
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123456:ABCdef_-"
    assert "ABCdef" not in repr(settings)
    assert settings.log_level == "DEBUG"
    assert settings.helpdesk_timezone == "Asia/Makassar"


def test_the_example_file_documents_every_setting() -> None:
    example = (Path(__file__).parents[2] / ".env.example").read_text()
    documented = {
        line.split("=", 1)[0].lstrip("# ").strip() for line in example.splitlines() if "=" in line
    }
    assert {name.upper() for name in Settings.model_fields} <= documented


def test_the_bot_username_may_be_written_with_its_at_sign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "@kpu_helpdesk_bot")
    assert load_settings(env_file=None).telegram_bot_username == "kpu_helpdesk_bot"
