"""Small builders for tests: a store, a calculator, a case."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from plaintes_tui.domain.access import Actor, Role
from plaintes_tui.domain.cases import Category, Channel, Language
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.workflow import Move
from plaintes_tui.store.cases import CaseInput, ComplainantInput, create_case
from plaintes_tui.store.database import Store, open_store

CALCULATOR = DeadlineCalculator()
TODAY = date(2026, 11, 28)  # a Saturday: the service's date in the tests
NOW = datetime(2026, 11, 28, 10, 0)
AGENT = Actor("alice")
SUPERVISOR = Actor("sup", Role.SUPERVISOR)


def as_account(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The command line runs as the system account ``name``: what the kernel would say of the
    real uid (no variable can say it)."""
    import plaintes_tui.cli

    monkeypatch.setattr(plaintes_tui.cli, "running_account", lambda: name)


def new_store(path: Path) -> Store:
    return open_store(path / "plaintes.db", create=True)


def person(**overrides: Any) -> ComplainantInput:
    values: dict[str, Any] = {
        "last_name": "Dubois",
        "first_name": "Hélène",
        "phone": "+32477848664",
        "email": "helene.dubois@example.be",
        "language": Language.FR,
    }
    values.update(overrides)
    return ComplainantInput(**values)


def add_case(
    store: Store,
    received: date,
    *,
    agent: str | Actor = "alice",
    complainant: ComplainantInput | int | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "channel": Channel.PHONE,
        "received": received,
        "category": Category.SLOW_REACTION,
        "subject": "Pas de réponse",
        "description": "J'attends depuis des semaines.",
    }
    values.update(overrides)
    return create_case(
        store,
        complainant if complainant is not None else person(),
        CaseInput(**values),
        actor=agent if isinstance(agent, Actor) else Actor(agent),
        now=NOW,
        calculator=CALCULATOR,
    )


def decide(
    store: Store, case_id: int, admissibility: str, *, now: datetime = NOW
) -> dict[str, Any]:
    """Record an admissibility decision on the case as it stands (no answers, no reason)."""
    from plaintes_tui.domain.admissibility import Outcome
    from plaintes_tui.domain.cases import Admissibility
    from plaintes_tui.store.cases import get_case
    from plaintes_tui.store.workflow import record_decision

    return record_decision(
        store,
        case_id,
        get_case(store, case_id)["version"],
        Outcome(Admissibility(admissibility)),
        reason="",
        answers=[],
        actor=Actor("alice"),
        now=now,
        calculator=CALCULATOR,
    )


def add_admissible_case(store: Store, received: date) -> dict[str, Any]:
    """A case already found admissible (a complaint about a slow reaction)."""
    from plaintes_tui.domain.admissibility import Outcome
    from plaintes_tui.domain.cases import Admissibility
    from plaintes_tui.store.workflow import record_decision

    case = add_case(store, received)
    return record_decision(
        store,
        case["id"],
        case["version"],
        Outcome(Admissibility.ADMISSIBLE, Category.SLOW_REACTION),
        reason="",
        answers=[],
        actor=Actor("alice"),
        now=NOW,
        calculator=CALCULATOR,
    )


def _recorded_at(day: date | None) -> datetime:
    """When a move dated ``day`` is recorded: at ``NOW``, or that day at 10:00 if later."""
    return datetime.combine(day, NOW.time()) if day is not None and day > NOW.date() else NOW


def do(
    store: Store,
    case: int | str,
    move: Move,
    supervisor: bool = False,
    by: str = "alice",
    assignable: tuple[str, ...] | None = None,
    at: datetime | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Carry out ``move`` on the case as it stands now (by id or reference), through the one
    door, done ``by`` that agent (a supervisor or not; ``assignable``: the directory's
    agents), on the day it is dated (``date``) when that is after ``NOW``: a move is never
    recorded before it happened (``at``: when it is recorded, whatever its date)."""
    from plaintes_tui.store.cases import get_case
    from plaintes_tui.store.workflow import perform

    current = get_case(store, case)
    return perform(
        store,
        current["id"],
        current["version"],
        move,
        params,
        actor=Actor(
            by,
            Role.SUPERVISOR if supervisor else Role.AGENT,
            assignable=frozenset(assignable) if assignable is not None else None,
        ),
        now=at or _recorded_at(params.get("date")),
        calculator=CALCULATOR,
    )


def verified_reference() -> Any:
    """The shipped reference data as a service would have checked it: the same texts without
    their "(exemple)" marks, so that letters built from them may leave."""
    from dataclasses import replace

    from plaintes_tui.domain.admissibility import ReferenceEntry, load_reference
    from plaintes_tui.domain.letters import EXAMPLE_MARKERS

    def checked(entry: ReferenceEntry) -> ReferenceEntry:
        texts = dict(entry.text)
        for language, text in texts.items():
            for marker in EXAMPLE_MARKERS:
                text = text.replace(f" {marker}", "")
            texts[language] = text
        return replace(entry, text=texts)

    shipped = load_reference()
    return replace(
        shipped,
        appeal_procedures=tuple(map(checked, shipped.appeal_procedures)),
        forward_services=tuple(map(checked, shipped.forward_services)),
        other_institutions=tuple(map(checked, shipped.other_institutions)),
        dg_handicap=checked(shipped.dg_handicap),
    )


def add_scan(
    store: Store, folder: Path, reading: dict[str, Any], received: datetime, key: str
) -> int:
    """A scanned letter waiting in the inbox, as `scan import` leaves it: what the OCR read
    (``reading``, the form of ``LetterReading.as_json``), without running Tesseract."""
    from plaintes_tui.domain.mail import Attachment, ParsedMail
    from plaintes_tui.store.mailbox import record_mail
    from plaintes_tui.store.scans import keep_reading

    name = " ".join(filter(None, (reading.get("first_name"), reading.get("last_name"))))
    scanned = ParsedMail(
        key=key, sender_name=name, sender_email=str(reading.get("email", "")),
        subject=str(reading.get("subject", "")), body=str(reading.get("text", "")),
        arrived=received, date_trusted=True,
        attachments=(Attachment("lettre.pdf", "application/pdf", b"%PDF-1.4"),), references=(),
        auto_reply=False, web_form=False,
    )  # fmt: skip
    with store.write() as connection:
        mail_id = record_mail(
            connection, scanned, folder=str(folder), source=f"{key}.png", case_id=None,
            agent="cron", now=received,
        )  # fmt: skip
        assert mail_id is not None
        keep_reading(connection, mail_id, reading)
    return mail_id
