"""Who the letters speak for and send the citizen to, in each letter language.

A letter in language L uses L's names and addresses only (the language law). The defaults are the
published procedure's, in their French and Dutch forms; the settings may replace any value. A
value left empty for L is taken from L's fallback language, and the letter dialog says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import TypeVar

LETTER_LANGUAGES = ("fr", "nl", "de", "en")
# Where a missing value is looked for: Brussels streets have French and Dutch names only.
FALLBACK = {"fr": "nl", "nl": "fr", "de": "fr", "en": "fr"}


@dataclass(frozen=True)
class ServiceText:
    """The complaints service as a letter in one language names it."""

    name: str = ""
    address: str = ""
    place: str = ""  # the place in the date line: "Bruxelles, le …"
    # Lines printed at the top of the PDF; empty: the name, the address, the phone and e-mail.
    letterhead: tuple[str, ...] = ()
    # Lines under the closing formula; empty: the service's name.
    signature: tuple[str, ...] = ()


@dataclass(frozen=True)
class OmbudsmanText:
    """The second line, the Federal Ombudsman, as a letter in one language names it."""

    name: str = ""
    address: str = ""
    phone: str = ""
    website: str = ""


@dataclass(frozen=True)
class Person:
    """An agent as letters name them: the contact person, never a computer login."""

    name: str
    phone: str = ""
    email: str = ""
    language: str = ""  # the language of their screens; empty: the service's
    # Whether saving a complaint offers its admissibility check (None: not for the mailroom).
    offer_admissibility: bool | None = None
    role: str = "agent"  # agent, mailroom, supervisor or coordinator (see domain/access.py)
    active: bool = True  # an agent who left: kept for the journal's names, given no case


SERVICE = {
    "fr": ServiceText(
        "Service des plaintes du SPF Sécurité sociale",
        "Boulevard du Jardin Botanique 50, boîte 135, 1000 Bruxelles (3e étage)",
        "Bruxelles",
    ),
    "nl": ServiceText(
        "Klachtendienst van de FOD Sociale Zekerheid",
        "Kruidtuinlaan 50, bus 135, 1000 Brussel (3de verdieping)",
        "Brussel",
    ),
    "de": ServiceText(
        "Beschwerdedienst des FÖD Soziale Sicherheit",
        "Boulevard du Jardin Botanique 50, boîte 135, 1000 Bruxelles (3. Etage)",
        "Brüssel",
    ),
    "en": ServiceText(
        "Complaints service of the FPS Social Security",
        "Boulevard du Jardin Botanique 50, boîte 135, 1000 Brussels (3rd floor)",
        "Brussels",
    ),
}
OMBUDSMAN = {
    "fr": OmbudsmanText(
        "le Médiateur fédéral",
        "Rue Ducale 43, 1000 Bruxelles",
        "0800 99 961",
        "www.mediateurfederal.be",
    ),
    "nl": OmbudsmanText(
        "de federale Ombudsman",
        "Hertogsstraat 43, 1000 Brussel",
        "0800 99 962",
        "www.federaalombudsman.be",
    ),
    "de": OmbudsmanText(
        "der Föderale Ombudsmann",
        "Rue Ducale 43, 1000 Bruxelles",
        "0800 99 961",
        "www.federalombudsman.be",
    ),
    "en": OmbudsmanText(
        "the Federal Ombudsman",
        "Rue Ducale 43, 1000 Brussels",
        "0800 99 961",
        "www.federalombudsman.be",
    ),
}

T = TypeVar("T", ServiceText, OmbudsmanText)


def in_language(texts: Mapping[str, T], language: str) -> tuple[T, tuple[str, ...]]:
    """``texts`` for a letter in ``language``, and the fields taken from the fallback language
    because ``language`` has no value for them."""
    language = language if language in texts else "fr"
    own = texts[language]
    other = texts.get(FALLBACK[language], own)
    borrowed = tuple(
        f.name
        for f in fields(own)
        if f.name not in ("letterhead", "signature")
        and not getattr(own, f.name)
        and getattr(other, f.name)
    )
    return replace(own, **{name: getattr(other, name) for name in borrowed}), borrowed
