"""The one catalogue of what agents read: ``tr("key", **values)``.

Messages live in ``resources/messages/<language>.toml``: French (``fr.toml``) and Dutch
(``nl.toml``), each with every key of the other (``make test`` checks it). Nothing is
translated when a module is imported: the agent's language is known only once the settings
and the agent are (see ``cli.agent_language``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from typing import Any

from plaintes_tui.packaged import RESOURCES, read_toml

DEFAULT_LANGUAGE = "fr"
_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "de": "de_BE", "en": "en_GB"}
_language = DEFAULT_LANGUAGE
# What is written for someone else, in their language: this thread (or task) only, so that
# the screens an agent is reading meanwhile keep theirs.
_speaking: ContextVar[str | None] = ContextVar("speaking", default=None)


MESSAGES = RESOURCES / "messages"


@cache
def catalogue(language: str) -> dict[str, str]:
    """Every message of ``language`` by key; empty for a language without a catalogue (read
    through its compiled copy, see ``packaged.py``)."""
    source = MESSAGES / f"{language}.toml"
    if not source.is_file():
        return {}
    return read_toml(source)


def set_language(language: str) -> None:
    global _language
    _language = language


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Messages in ``language`` for a while: what is written for someone else (an e-mail to
    an agent who reads another language)."""
    token = _speaking.set(language)
    try:
        yield
    finally:
        _speaking.reset(token)


def interface_language() -> str:
    """The language the agents' screens speak (or, inside :func:`speaking`, its language)."""
    return _speaking.get() or _language


def tr(key: str, /, **values: Any) -> str:
    """The message ``key`` in the interface language, with ``values`` filled in."""
    text = catalogue(interface_language()).get(key) or catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    return text.format(**values) if values else text


def tr_or(key: str, fallback: str) -> str:
    """The message ``key`` when the catalogue has it, else ``fallback`` (a raw code)."""
    try:
        return tr(key)
    except KeyError:
        return fallback


def long_date(day: date, language: str | None = None) -> str:
    """``lundi 28 décembre 2026`` in the given language (the interface's by default); the
    first of a month is ``1er`` in French."""
    from babel.dates import format_date

    language = language or interface_language()
    locale = _LOCALES.get(language, _LOCALES[DEFAULT_LANGUAGE])
    text = str(format_date(day, format="full", locale=locale))
    return _first_of_month(text, day, language)


def _first_of_month(text: str, day: date, language: str) -> str:
    """The first of a month as French writes it: ``1er février``."""
    return re.sub(r"\b1 ", "1er ", text, count=1) if language == "fr" and day.day == 1 else text


# A letter's date line after its place, as each language writes it: "Bruxelles, le 4 janvier
# 2027", "Brussel, 4 januari 2027", "Brüssel, den 4. Januar 2027", "Brussels, 4 January 2027".
_LETTER_DATES = {"fr": ("le ", "d MMMM y"), "de": ("den ", "d. MMMM y")}


def letter_date(day: date, language: str) -> str:
    """The date of a letter's place-and-date line, in the letter's language."""
    from babel.dates import format_date

    prefix, pattern = _LETTER_DATES.get(language, ("", "d MMMM y"))
    locale = _LOCALES.get(language, _LOCALES[DEFAULT_LANGUAGE])
    text = prefix + str(format_date(day, format=pattern, locale=locale))
    return _first_of_month(text, day, language)


def month_name(month: str, language: str | None = None) -> str:
    """``nov. 2026`` (``nov. 2026`` in Dutch too, ``Nov. 2026`` in German) from ``2026-11``."""
    from babel.dates import format_date

    locale = _LOCALES.get(language or interface_language(), _LOCALES[DEFAULT_LANGUAGE])
    year, number = month.split("-")
    return str(format_date(date(int(year), int(number), 1), format="MMM y", locale=locale))


def moment(at: datetime | str) -> str:
    """``le samedi 28 novembre 2026 à 10:32``: when something happened, in words."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return tr("moment.at", day=long_date(at.date()), time=at.strftime("%H:%M"))


def percent(value: float | None) -> str:
    """``86,1 %`` (the Belgian way), or a dash when there is nothing to count."""
    return "—" if value is None else f"{value:.1f} %".replace(".", ",")


def short_moment(at: datetime | str) -> str:
    """``28/11/2026 10:32`` (from a stored ISO timestamp too): dates in one format everywhere."""
    moment_ = datetime.fromisoformat(at) if isinstance(at, str) else at
    return f"{short_date(moment_.date())} {moment_:%H:%M}"


def short_date(day: date) -> str:
    """``28/12/2026``: the Belgian way to write a date in a table."""
    return day.strftime("%d/%m/%Y")
