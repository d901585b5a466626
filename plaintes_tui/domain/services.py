"""The services of the FPS a complaint can be about (a DG, an inspection, a support service):
reference data the service keeps in its settings (``[services]``), counted in the yearly
figures. A code is what the store and the exports keep; each reader reads its name in their
language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Service:
    """A service a complaint may concern: its names, its contact, the categories it takes."""

    code: str
    names: Mapping[str, str]  # by language: fr, nl, de, en
    email: str = ""  # its contact for complaints
    active: bool = True  # false: kept for the cases that name it, offered no more
    categories: tuple[str, ...] = field(default=())  # the categories that suggest it

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("fr") or self.code


DEFAULT_SERVICES = (
    Service(
        "dg_handicap",
        {
            "fr": "DG Personnes handicapées",
            "nl": "DG Personen met een handicap",
            "de": "GD Personen mit Behinderung",
            "en": "DG Persons with disabilities",
        },
    ),
    Service(
        "dg_self_employed",
        {
            "fr": "DG Indépendants",
            "nl": "DG Zelfstandigen",
            "de": "GD Selbständige",
            "en": "DG Self-employed",
        },
    ),
    Service(
        "dg_social_policy",
        {
            "fr": "DG Politique sociale",
            "nl": "DG Sociaal Beleid",
            "de": "GD Sozialpolitik",
            "en": "DG Social policy",
        },
    ),
    Service(
        "social_inspection",
        {
            "fr": "Inspection sociale",
            "nl": "Sociale Inspectie",
            "de": "Sozialinspektion",
            "en": "Social inspection",
        },
    ),
    Service(
        "support",
        {
            "fr": "Services d'appui (accueil, publications, site web)",
            "nl": "Ondersteunende diensten (onthaal, publicaties, website)",
            "de": "Unterstützungsdienste (Empfang, Veröffentlichungen, Website)",
            "en": "Support services (reception, publications, website)",
        },
        categories=("unclear_publication",),
    ),
)


def by_code(services: Iterable[Service]) -> dict[str, Service]:
    return {service.code: service for service in services}


def suggested(services: Iterable[Service], category: str) -> str | None:
    """The active service the settings map ``category`` to, if one."""
    for service in services:
        if service.active and category in service.categories:
            return service.code
    return None


def named(services: Iterable[Service], code: str | None, language: str) -> str:
    """A code as the reader reads it: its name, or the code itself when the settings no
    longer list it (a case keeps what it was given)."""
    if code is None:
        return ""
    found = by_code(services).get(code)
    return found.name(language) if found else code
