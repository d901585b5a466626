"""Finding a complainant already in the store by phone, e-mail, NISS or name, with their open
cases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from plaintes_tui.domain.intake import PERSON_FIELDS
from plaintes_tui.store.database import Store


@dataclass(frozen=True)
class OpenCase:
    reference: str
    received: str
    status: str
    subject: str


@dataclass(frozen=True)
class KnownComplainant:
    id: int
    last_name: str
    first_name: str
    phone: str | None
    email: str | None
    niss: str | None
    street: str | None
    postal_code: str | None
    town: str | None
    language: str
    matched_on: tuple[str, ...]
    open_cases: tuple[OpenCase, ...]
    cases_total: int

    def record(self) -> dict[str, str | None]:
        """The person's fields as found: what a form linked to them was filled in from."""
        return {name: getattr(self, name) for name in PERSON_FIELDS if hasattr(self, name)}


MAX_MATCHES = 5


def same_as(column: str, alias: str = "") -> str:
    """The SQL condition that a complainant's ``column`` (``phone``, ``email``, ``niss``) is
    the value given: an e-mail address whatever its capitals (``PIERRE@…`` is
    ``pierre@…``; indexed so, see migration 19)."""
    name = f"{alias}{column}"
    return f"{name} = ? COLLATE NOCASE" if column == "email" else f"{name} = ?"


# The same name (an index seek, see migration 19), unless both postal codes are known and differ.
NAME_MATCH = (
    "last_name = ? COLLATE NOCASE AND first_name = ? COLLATE NOCASE "
    "AND (postal_code IS NULL OR ?3 = '' OR postal_code = ?3)"
)


def find_known(
    store: Store,
    *,
    phone: str = "",
    email: str = "",
    niss: str = "",
    name: tuple[str, str] = ("", ""),
    postal_code: str = "",
) -> list[KnownComplainant]:
    """People whose phone, e-mail or NISS (all normalised) match, or whose last and first name
    do (whatever the case) where the postal code does not tell them apart: each lookup an
    index seek."""
    keys: list[tuple[str, str, tuple[str, ...]]] = [
        (column, same_as(column), (value,)) for column, value in _contacts(phone, email, niss)
    ]
    last, first = (part.strip() for part in name)
    if last and first:
        keys.append(("name", NAME_MATCH, (last, first, postal_code)))
    matched: dict[int, list[str]] = {}
    connection = store.connection
    for column, where, values in keys:
        for (person_id,) in connection.execute(
            f"SELECT id FROM complainants WHERE {where} LIMIT ?", (*values, MAX_MATCHES)
        ):
            matched.setdefault(person_id, []).append(column)
    found = []
    for person_id, columns in list(matched.items())[:MAX_MATCHES]:
        person = connection.execute(
            "SELECT last_name, first_name, phone, email, niss, street, postal_code, town, "
            "language FROM complainants WHERE id = ?",
            (person_id,),
        ).fetchone()
        cases = connection.execute(
            "SELECT reference, received, status, subject, next_due FROM cases "
            "WHERE complainant_id = ? ORDER BY received DESC",
            (person_id,),
        ).fetchall()
        last_name, first_name, phone_, email_, niss_, street, postal_code, town, language = person
        found.append(
            KnownComplainant(
                id=person_id,
                last_name=last_name,
                first_name=first_name,
                phone=phone_,
                email=email_,
                niss=niss_,
                street=street,
                postal_code=postal_code,
                town=town,
                language=language,
                matched_on=tuple(columns),
                open_cases=tuple(OpenCase(*case[:4]) for case in cases if case[4] is not None),
                cases_total=len(cases),
            )
        )
    return found


def known_count(store: Store, *, phone: str = "", email: str = "", niss: str = "") -> int:
    """How many people the phone, e-mail or NISS match in all (``find_known`` lists at most
    ``MAX_MATCHES``: a social worker's phone may be on many records)."""
    keys = _contacts(phone, email, niss)
    if not keys:
        return 0
    (count,) = store.connection.execute(
        f"SELECT count(*) FROM complainants WHERE {' OR '.join(same_as(c) for c, _ in keys)}",
        [value for _, value in keys],
    ).fetchone()
    return int(count)


def _contacts(phone: str, email: str, niss: str) -> list[tuple[str, str]]:
    """The contact columns given a value, with it: what a known person is looked up by."""
    return [(c, v) for c, v in (("phone", phone), ("email", email), ("niss", niss)) if v]


def record_for(
    store: Store, values: Mapping[str, str]
) -> tuple[KnownComplainant | None, KnownComplainant | None]:
    """For a new complaint's checked ``values`` (normalised): the record with the same NISS,
    which is the same person; else someone with the same phone, e-mail or name (and no other
    NISS), about whom the agent must be asked before a second record is made (``(None,
    None)``: nobody known)."""
    niss = values["niss"]
    known = find_known(
        store,
        phone=values["phone"],
        email=values["email"],
        niss=niss,
        name=(values["last_name"], values["first_name"]),
        postal_code=values["postal_code"],
    )
    same = next((k for k in known if niss and k.niss == niss), None)
    if same is not None:
        return same, None
    # Two different NISS are two people, whatever else they share.
    known = [k for k in known if not (niss and k.niss and k.niss != niss)]
    return None, (known[0] if known else None)
