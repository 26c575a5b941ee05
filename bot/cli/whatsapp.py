"""``helpdesk whatsapp``: the WhatsApp channel's own checks."""

from __future__ import annotations

import asyncio

import typer

from bot.cli.common import fail, settings_or_exit

whatsapp_app = typer.Typer(help="The WhatsApp channel (Cloud API).", no_args_is_help=True)
templates_app = typer.Typer(help="Message templates used outside the 24-hour window.")
whatsapp_app.add_typer(templates_app, name="templates")


@templates_app.command("check")
def templates_check() -> None:
    """Compare the templates file with the templates the WhatsApp Business Account has:
    each must exist in its language, approved, with as many parameters. Exit 1 if not."""
    from bot.transports.whatsapp.graph import Graph, GraphError
    from bot.transports.whatsapp.templates import (
        TemplateFileError,
        compare_templates,
        load_templates,
    )

    settings = settings_or_exit()
    if not settings.whatsapp_enabled or settings.whatsapp_business_account_id is None:
        raise fail(
            "set WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET and "
            "WHATSAPP_BUSINESS_ACCOUNT_ID to check the account's templates"
        )
    try:
        configured = load_templates(settings.whatsapp_templates_file)
    except TemplateFileError as exc:
        raise fail(str(exc)) from None
    assert settings.whatsapp_access_token and settings.whatsapp_phone_number_id
    graph = Graph(
        settings.whatsapp_base_url,
        settings.whatsapp_api_version,
        settings.whatsapp_phone_number_id,
        settings.whatsapp_access_token.get_secret_value(),
    )
    account_id = settings.whatsapp_business_account_id

    async def fetch() -> list[dict[str, object]]:
        try:
            return await graph.templates(account_id)
        finally:
            await graph.close()

    try:
        account = asyncio.run(fetch())
    except GraphError as exc:
        raise fail(f"WhatsApp refused to list the templates: {exc}", 1) from None
    except Exception as exc:  # noqa: BLE001 - network: one line for a person
        raise fail(f"cannot reach WhatsApp at {settings.whatsapp_base_url}: {exc}", 1) from None
    problems = compare_templates(configured, account)
    for template in configured.values():
        mark = "✗" if any(p.startswith(f"{template.use}:") for p in problems) else "✓"
        typer.echo(f"{mark} {template.use}: {template.name} ({template.language})")
    for problem in problems:
        typer.echo(f"  {problem}", err=True)
    if problems:
        raise typer.Exit(1)
