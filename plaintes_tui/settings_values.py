"""How each value of the settings file is read: checked, converted, or refused with one
sentence in the agent's language (``settings.py`` names the keys and builds the settings).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from plaintes_tui.domain.access import ROLES
from plaintes_tui.domain.calendar import parse_month_day
from plaintes_tui.domain.contacts import (
    Person,
)
from plaintes_tui.domain.services import Service
from plaintes_tui.i18n import tr
from plaintes_tui.printable import clean

UI_LANGUAGES = ("fr", "nl")
CHANNELS = ("phone", "letter", "email", "web_form")

Converter = Callable[[Any], Any]


def expect(
    check: Callable[[Any], bool],
    expected: str,
    convert: Converter = lambda v: v,
    **values: Any,
) -> Converter:
    """A converter refusing what fails ``check`` with the message ``expected`` (a catalogue
    key, read in the language of the moment the settings are read)."""

    def converter(value: Any) -> Any:
        if not check(value):
            raise ValueError(tr(expected, **values))
        try:
            return convert(value)
        except (ValueError, TypeError, KeyError):
            raise ValueError(tr(expected, **values)) from None

    return converter


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def int_between(low: int, high: int) -> Converter:
    return expect(
        lambda v: is_int(v) and low <= v <= high, "settings.expect_int", low=low, high=high
    )


def string() -> Converter:
    return expect(lambda v: isinstance(v, str), "settings.expect_text")


def string_list() -> Converter:
    return expect(
        lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "settings.expect_text_list",
        tuple,
    )


def choice(choices: tuple[str, ...]) -> Converter:
    return expect(
        lambda v: v in choices,
        "settings.expect_choice",
        choices=", ".join(f'"{c}"' for c in choices),
    )


def closure_days(value: Any) -> tuple[str, ...]:
    expected = tr("settings.expect_month_days")
    if not isinstance(value, list):
        raise ValueError(expected)
    for item in value:
        try:
            parse_month_day(item)
        except (ValueError, TypeError, AttributeError):
            raise ValueError(f"{expected} ({item!r})") from None
    return tuple(value)


def closure_dates(value: Any) -> tuple[date, ...]:
    expected = tr("settings.expect_dates")
    if not isinstance(value, list):
        raise ValueError(expected)
    dates = []
    for item in value:
        if isinstance(item, date) and not isinstance(item, datetime):
            dates.append(item)
            continue
        try:
            dates.append(date.fromisoformat(item))
        except (ValueError, TypeError):
            raise ValueError(f"{expected} ({item!r})") from None
    return tuple(dates)


def clock_time(value: Any) -> time | None:
    expected = tr("settings.expect_time")
    if value == "":
        return None
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(value)
    except (ValueError, TypeError):
        raise ValueError(expected) from None


def channel_by_agent(value: Any) -> tuple[tuple[str, str], ...]:
    expected = tr("settings.expect_channel_map", choices=", ".join(f'"{c}"' for c in CHANNELS))
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and v in CHANNELS for k, v in value.items()
    ):
        raise ValueError(expected)
    return tuple(sorted(value.items()))


def path(value: Any) -> Path:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise ValueError(tr("settings.expect_path"))
    return Path(value).expanduser()


def optional_path(value: Any) -> Path | None:
    """A path, or "" for none."""
    return None if value == "" else path(value)


def table(value: Any, known: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(tr("settings.expect_table"))
    for name in value:
        if name not in known:
            raise ValueError(
                tr(
                    "format.labelled",
                    label=name,
                    value=tr("settings.unknown_key", known=", ".join(known)),
                )
            )
    return value


def text_table(value: Any, known: tuple[str, ...], where: str) -> dict[str, Any]:
    """A table of texts: each value a string, or a list of strings (lines)."""
    converted: dict[str, Any] = {}
    for name, item in table(value, known).items():
        if isinstance(item, str):  # an agent's name reaches letters and screens: no escape
            converted[name] = clean(item)
        elif isinstance(item, list) and all(isinstance(x, str) for x in item):
            converted[name] = tuple(clean(x) for x in item)
        else:
            raise ValueError(
                tr("format.labelled", label=f"{where}.{name}", value=tr("settings.expect_text"))
            )
    return converted


def language_texts(defaults: Mapping[str, Any], language: str) -> Converter:
    """One language's names and addresses, each value replacing the default's."""
    default = defaults[language]
    known = tuple(f.name for f in fields(default))

    def convert(value: Any) -> Any:
        return replace(default, **text_table(value, known, language))

    return convert


def directory(value: Any) -> dict[str, Person]:
    """login → the agent as letters name them."""
    if not isinstance(value, dict):
        raise ValueError(tr("settings.expect_table"))
    known = tuple(f.name for f in fields(Person))
    directory = {}
    for login, entry in value.items():
        entry = dict(table(entry, known))
        offer = entry.pop("offer_admissibility", None)
        active = entry.pop("active", True)
        for name, value in (("offer_admissibility", offer), ("active", active)):
            if value is not None and not isinstance(value, bool):
                raise ValueError(
                    tr("format.labelled", label=f"{login}.{name}", value=tr("settings.expect_bool"))
                )
        texts = text_table(entry, known, login)
        if not isinstance(texts.get("name"), str) or not texts["name"].strip():
            raise ValueError(tr("settings.expect_agent_name", login=login))
        for name, choices, default in (("role", ROLES, "agent"), ("language", UI_LANGUAGES, "")):
            if texts.get(name, default) not in (*choices, default):
                expected = tr(
                    "settings.expect_choice", choices=", ".join(f'"{c}"' for c in choices)
                )
                raise ValueError(tr("format.labelled", label=f"{login}.{name}", value=expected))
        directory[login] = Person(**texts, offer_admissibility=offer, active=active)
    return directory


_SERVICE_TEXTS = ("fr", "nl", "de", "en", "email")


def services(value: Any) -> tuple[Service, ...]:
    """``[services]``: code = { fr = "…", nl = "…", de, en, email, active, categories }."""
    from plaintes_tui.domain.cases import Category

    if not isinstance(value, dict):
        raise ValueError(tr("settings.expect_table"))
    known = {category.value for category in Category}
    listed = []
    for code, entry in value.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", code):
            raise ValueError(tr("settings.service_code", code=code))
        given = table(entry, (*_SERVICE_TEXTS, "active", "categories"))
        texts = text_table(
            {k: v for k, v in given.items() if k in _SERVICE_TEXTS}, _SERVICE_TEXTS, code
        )
        active, categories = given.get("active", True), given.get("categories", [])
        if (
            not texts.get("fr")
            or not isinstance(active, bool)
            or not (isinstance(categories, list) and set(categories) <= known)
        ):
            raise ValueError(tr("settings.service", code=code, known=", ".join(sorted(known))))
        names = {k: str(v) for k, v in texts.items() if k != "email"}
        listed.append(Service(code, names, str(texts.get("email", "")), active, tuple(categories)))
    return tuple(listed)
