"""Gaps that read themselves: the questions the bot could not answer, grouped.

Each recorded gap (``models.gaps``) is kept in the search engine's normalised form
(content words only); here those words are stemmed with the engine's own stemmer, and
questions whose word sets overlap enough (Jaccard similarity at least
``JACCARD_THRESHOLD``) fall into one cluster. The grouping is greedy and deterministic:
forms are taken most frequent first (then alphabetically), and each joins the first
cluster holding a form it resembles, or starts a new one. Pure Python, no fitting.

A cluster tells how many times it was asked, its latest wording as the example, the
offices of the liaisons who asked, and the entry the search found closest (the one most
often offered first). ``top_gaps`` is what the chat and the weekly report call; it is
scoped to an office's subtree (the gaps of people with no office count for KPU RI only).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from knowledge.search.stem import Stemmer
from models.gaps import KbGap
from models.offices import RI, subtree_codes
from models.staff import Liaison

JACCARD_THRESHOLD = 0.5
MAX_ROWS = 20_000  # the most recent gaps read at once; older ones wait for a narrower --since


@dataclass
class GapCluster:
    """Near-identical unanswered questions, counted together."""

    count: int
    example: str  # the latest wording, masked as stored
    last_at: datetime
    offices: tuple[str, ...]  # office codes of the liaisons who asked, most frequent first
    closest: str | None  # the entry the search offered first most often
    forms: int  # how many different normalised wordings


@dataclass
class _Form:
    normalised: str
    stems: frozenset[str]
    rows: list[tuple[KbGap, str | None]]


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def cluster(rows: list[tuple[KbGap, str | None]], limit: int | None = None) -> list[GapCluster]:
    """Groups gaps (each with the asker's office code) into clusters, largest first,
    then most recent."""
    stemmer = Stemmer()
    forms: dict[str, _Form] = {}
    for gap, office in rows:
        form = forms.get(gap.normalised)
        if form is None:
            stems = frozenset(stemmer.stem(w) for w in gap.normalised.split())
            form = forms[gap.normalised] = _Form(gap.normalised, stems, [])
        form.rows.append((gap, office))
    ordered = sorted(forms.values(), key=lambda f: (-len(f.rows), f.normalised))
    groups: list[list[_Form]] = []
    for form in ordered:
        home = next(
            (
                members
                for members in groups
                if any(jaccard(m.stems, form.stems) >= JACCARD_THRESHOLD for m in members)
            ),
            None,
        )
        if home is None:
            groups.append([form])
        else:
            home.append(form)
    clusters = [_summary(members) for members in groups]
    clusters.sort(key=lambda c: (-c.count, -c.last_at.timestamp(), c.example))
    return clusters[:limit] if limit is not None else clusters


def _summary(members: list[_Form]) -> GapCluster:
    rows = [row for form in members for row in form.rows]
    latest = max(rows, key=lambda r: (r[0].at, r[0].id or 0))[0]
    offices = Counter(office for _, office in rows if office)
    closest = Counter(
        gap.entry_id or gap.top_ids.split(",")[0] for gap, _ in rows if gap.entry_id or gap.top_ids
    )
    return GapCluster(
        count=len(rows),
        example=latest.question,
        last_at=latest.at,
        offices=tuple(code for code, _ in sorted(offices.items(), key=lambda i: (-i[1], i[0]))),
        closest=min(closest.items(), key=lambda i: (-i[1], i[0]))[0] if closest else None,
        forms=len(members),
    )


def gap_rows(
    session: Session, office: str | None, since: datetime | None
) -> list[tuple[KbGap, str | None]]:
    """The gaps since ``since`` with the asking liaison's office, within ``office``'s
    subtree (None or ``RI``: all of them)."""
    query = select(KbGap, Liaison.office_code).outerjoin(
        Liaison, col(Liaison.person_id) == col(KbGap.person_id)
    )
    if since is not None:
        query = query.where(col(KbGap.at) >= since)
    query = query.order_by(col(KbGap.at).desc(), col(KbGap.id).desc()).limit(MAX_ROWS)
    rows: list[tuple[KbGap, str | None]] = [(g, c) for g, c in session.exec(query).all()]
    if office is None or office == RI:
        return rows
    codes = subtree_codes(session, office)
    return [(gap, code) for gap, code in rows if code in codes]


def top_gaps(
    session: Session, office: str | None, since: datetime | None, limit: int
) -> list[GapCluster]:
    """The largest clusters of unanswered questions asked in ``office``'s subtree since
    ``since``: for the staff chat, the weekly report and ``helpdesk kb gaps``."""
    return cluster(gap_rows(session, office, since), limit)
