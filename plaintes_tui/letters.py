"""Producing a letter for a case: the template filled in from the settings, the files kept
with the case, the e-mail, and the record through the workflow (which an acknowledgement or an
out-of-scope answer also counts as)."""

from __future__ import annotations

import os
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from plaintes_tui.domain.admissibility import Outcome as Decision
from plaintes_tui.domain.admissibility import ReferenceData, answer_text
from plaintes_tui.domain.cases import Admissibility, Status, reference_folder
from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.domain.letters import (
    OUTCOME_WORDS,
    Letter,
    LetterKind,
    render_letter,
    send_eml,
    write_eml,
    write_pdf,
)
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import long_date, tr
from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import Row, get_case
from plaintes_tui.store.database import Store
from plaintes_tui.store.workflow import perform


def draft_letter(
    case: Row,
    kind: LetterKind,
    *,
    settings: Settings,
    agent: str,
    reference_data: ReferenceData,
    data_folder: Path | None = None,
) -> Letter:
    """The letter as the template writes it for this case, for the agent to read and edit."""
    language = case["language"]
    received = long_date(date.fromisoformat(case["received"]), language)
    if kind is LetterKind.OUT_OF_SCOPE:
        decision = Decision(Admissibility(case["admissibility"]))
        where = case["admissibility_reason"] or ""
        if decision.admissibility is Admissibility.REDIRECTED_DG_HANDICAP:
            where = reference_data.dg_handicap.in_language(language)
        service = settings.service
        body = answer_text(
            decision,
            language=language,
            name="",
            reference=case["reference"],
            received=received,
            where=where,
            service=f"{service.name}, {service.phone}, {service.email}",
        )
        return Letter(f"{case['reference']} — {service.name}", body + "\n")
    values: dict[str, Any] = {
        "reference": case["reference"],
        "received": received,
        "reply_due": long_date(date.fromisoformat(case["reply_due"]), language)
        if case["reply_due"]
        else "—",
        "subject": case["subject"],
        "outcome": OUTCOME_WORDS.get(language, OUTCOME_WORDS["fr"]).get(
            case["outcome"] or "", "[…]"
        ),
        "agent": agent,
        "service": asdict(settings.service),
        "ombudsman": asdict(settings.ombudsman),
    }
    return render_letter(kind, language, values, data_folder or settings.overrides)


def produce_letter(
    store: Store,
    case_id: int,
    expected_version: int,
    kind: LetterKind,
    letter: Letter,
    *,
    settings: Settings,
    agent: str,
    now: datetime,
    calculator: DeadlineCalculator,
    output_folder: Path | None = None,
) -> tuple[Row, list[Path]]:
    """Write the letter as ``.eml`` and ``.pdf`` beside the case's other letters, journal it,
    and record an acknowledgement (or out-of-scope answer) as sent."""
    case = get_case(store, case_id)
    folder = (output_folder or settings.output) / reference_folder(case["reference"])
    stem = f"{now:%Y%m%d-%H%M%S}-{kind.value}"
    name = f"{case['complainant_first_name']} {case['complainant_last_name'].upper()}".strip()
    recipient = case["complainant_email"] or ""
    files = [
        write_eml(
            folder / f"{stem}.eml",
            letter,
            sender=settings.service.email,
            recipient=f"{name} <{recipient}>" if recipient else name,
            reference=case["reference"],
            now=now,
        ),
        write_pdf(
            folder / f"{stem}.pdf",
            letter,
            letterhead=[
                settings.service.name,
                settings.service.address,
                f"{settings.service.phone} — {settings.service.email}",
            ],
            address=[
                name,
                *(
                    x
                    for x in (
                        case["complainant_street"],
                        " ".join(
                            p
                            for p in (case["complainant_postal_code"], case["complainant_town"])
                            if p
                        ),
                    )
                    if x
                ),
            ],
            place_date=f"Bruxelles, {long_date(now.date(), case['language'])}",
        ),
    ]
    note = " ; ".join(str(f) for f in files)
    smtp = settings.smtp
    if smtp.enabled and recipient:
        send_eml(
            files[0],
            host=smtp.host,
            port=smtp.port,
            starttls=smtp.starttls,
            username=smtp.username,
            password=os.environ.get(smtp.password_env, "") if smtp.password_env else "",
        )
        note += f" ; {tr('letters.sent_to', recipient=recipient)}"
    changes: dict[str, Any] = {}
    # Each of these confirms receipt (the request for missing details gives the reference).
    answers = kind in (
        LetterKind.ACKNOWLEDGEMENT,
        LetterKind.OUT_OF_SCOPE,
        LetterKind.DETAILS_REQUEST,
    )
    if answers and not case["acknowledgement_sent"]:
        changes["acknowledgement_sent"] = now.date()
        means = "email" if recipient else "letter"
        if kind is LetterKind.DETAILS_REQUEST:
            means = "details_request"
        changes["acknowledgement_means"] = means
    if kind is LetterKind.OUT_OF_SCOPE and case["status"] == Status.OUT_OF_SCOPE:
        changes.update(status=Status.CLOSED.value, closed_at=now.date())
    updated = perform(
        store,
        case_id,
        expected_version,
        Move.LETTER,
        {"kind": kind.value, "note": note, "changes": changes},
        agent=agent,
        supervisor=False,
        now=now,
        calculator=calculator,
    )
    return updated, files
