"""``helpdesk kb drafts`` and ``helpdesk kb export`` as an operator runs them: listing,
showing, editing while approving, rejecting, and an export ``kb check`` accepts."""

from __future__ import annotations

import json
from pathlib import Path

from bot import storage
from bot.composition import knowledge_with_approved
from bot.settings import load_settings
from handlers.curate.drafts import draft_from_ticket
from knowledge.search import KnowledgeBase
from models import ManualClock
from models.ticket_actions import officer_reply, resolve_ticket
from tests.unit.desk_world import World, seed_offices
from tests.unit.test_cli import helpdesk

PHRASINGS = "saksi foto hasil | motret formulir hasil | foto c hasil | potret hasil tps | foto tps"


def _two_drafts(url: str, clock: ManualClock) -> None:
    engine = storage.make_engine(url)
    storage.upgrade(engine)
    kb = KnowledgeBase.load()
    with storage.session_factory(engine)() as session:
        seed_offices(session)
        world = World(session, clock)
        officer = world.officer("34.02")
        for question in ("Bolehkah saksi memotret formulir hasil di TPS?", "Apa itu X?"):
            ticket = world.ticket(world.liaison(), question)
            officer_reply(session, ticket=ticket, officer=officer, text="Boleh.", now=world.now)
            resolve_ticket(session, ticket=ticket, officer=officer, now=world.now)
            draft_from_ticket(session, kb, ticket, officer, world.now)
        session.commit()
    engine.dispose()


def test_an_operator_reviews_drafts_and_exports_the_approved_ones(
    tmp_path: Path, clock: ManualClock
) -> None:
    url = f"sqlite:///{tmp_path}/drafts.db"
    _two_drafts(url, clock)
    env = {"DATABASE_URL": url}
    listed = helpdesk("kb", "drafts", "list", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("pending") == 2 and "Bolehkah saksi" in listed.stdout
    shown = json.loads(helpdesk("kb", "drafts", "show", "1", cwd=tmp_path, env=env).stdout)
    assert shown["copied"] == "en" and any("phrasings" in p for p in shown["problems"])
    refused = helpdesk("kb", "drafts", "approve", "1", cwd=tmp_path, env=env)
    assert refused.returncode == 1 and "refused: draft_incomplete" in refused.stderr
    approved = helpdesk(
        "kb", "drafts", "approve", "1", "--everywhere", "--edit-phrasings-id", PHRASINGS,
        "--edit-answer-en", "Yes.", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert approved.returncode == 0, approved.stderr
    assert approved.stdout.strip() == "draft #1 approved as petugas-1, served everywhere"
    rejected = helpdesk("kb", "drafts", "reject", "2", cwd=tmp_path, env=env)
    assert rejected.stdout.strip() == "draft #2 rejected"
    out = tmp_path / "export"
    exported = helpdesk("kb", "export", "--out", str(out), cwd=tmp_path, env=env)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("1 approved entries exported")
    checked = helpdesk("kb", "check", "--folder", str(out), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    asked = helpdesk(
        "kb", "ask", "saksi boleh foto formulir hasil di tps?", "--json", "--folder", str(out),
        cwd=tmp_path,
    )  # fmt: skip
    assert json.loads(asked.stdout)["results"][0]["id"] == "petugas-1"
    site_kb = knowledge_with_approved(load_settings(env_file=None, database_url=url))
    assert site_kb.entry("petugas-1") is not None  # what renderings such as the site read
