"""A case built from its row of ``cases`` joined with its complainant's (``get_case``'s
columns): the one place the program types a stored case, and the clocks its columns say."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from plaintes_tui.domain.case_record import Case, Complainant
from plaintes_tui.domain.cases import (
    Admissibility,
    Category,
    Channel,
    ClockState,
    Language,
    NetworkCategory,
    Outcome,
    Status,
)
from plaintes_tui.domain.ombudsman import OmbudsmanConclusion


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def clock_state(row: Mapping[str, Any]) -> ClockState:
    return ClockState(
        status=Status(row["status"]),
        acknowledgement_due=date.fromisoformat(row["acknowledgement_due"]),
        acknowledgement_sent=_date(row["acknowledgement_sent"]),
        reply_due=_date(row["reply_due"]),
        reply_sent=_date(row["reply_sent"]),
        ombudsman_due=_date(row.get("ombudsman_due")),
    )


def next_due_of(row: Mapping[str, Any]) -> str | None:
    due = clock_state(row).next_due()
    return due.isoformat() if due else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def case_of(row: Mapping[str, Any]) -> Case:
    """The one place a case is built from its row (``get_case``'s columns)."""
    return Case(
        id=int(row["id"]),
        reference=row["reference"],
        complainant=Complainant(
            id=int(row["complainant_id"]),
            last_name=row["complainant_last_name"] or "",
            first_name=row["complainant_first_name"] or "",
            phone=row["complainant_phone"],
            email=row["complainant_email"],
            street=row["complainant_street"],
            postal_code=row["complainant_postal_code"],
            town=row["complainant_town"],
            niss=row["complainant_niss"],
            country=row["complainant_country"],
        ),
        channel=Channel(row["channel"]),
        received=date.fromisoformat(row["received"]),
        received_time=time.fromisoformat(row["received_time"]) if row["received_time"] else None,
        logged_at=datetime.fromisoformat(row["logged_at"]),
        logged_by=row["logged_by"],
        language=Language(row["language"]),
        category=Category(row["category"]),
        subject=row["subject"],
        description=row["description"],
        urgent=bool(row["urgent"]),
        contact_incomplete=bool(row["contact_incomplete"]),
        anonymous=bool(row["anonymous"]),
        status=Status(row["status"]),
        admissibility=Admissibility(row["admissibility"]) if row["admissibility"] else None,
        admissibility_reason=row["admissibility_reason"],
        assigned_to=row["assigned_to"],
        acknowledgement_due=date.fromisoformat(row["acknowledgement_due"]),
        acknowledgement_sent=_date(row["acknowledgement_sent"]),
        acknowledgement_means=row["acknowledgement_means"],
        reply_due_original=_date(row["reply_due_original"]),
        reply_due=_date(row["reply_due"]),
        reply_sent=_date(row["reply_sent"]),
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
        network_category=NetworkCategory(row["network_category"])
        if row["network_category"]
        else None,
        improvement_action=row["improvement_action"],
        closed_at=_date(row["closed_at"]),
        ombudsman_referred=_date(row["ombudsman_referred"]),
        next_due=_date(row["next_due"]),
        version=int(row["version"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        updated_by=row["updated_by"],
        anonymised_at=_moment(row["anonymised_at"]),
        service=row.get("service"),
        ombudsman_reference=row.get("ombudsman_reference"),
        ombudsman_due=_date(row.get("ombudsman_due")),
        ombudsman_conclusion=OmbudsmanConclusion(row["ombudsman_conclusion"])
        if row.get("ombudsman_conclusion")
        else None,
        ombudsman_concluded=_date(row.get("ombudsman_concluded")),
        ombudsman_recommendation=row.get("ombudsman_recommendation"),
    )
