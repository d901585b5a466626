"""The intake form as data: what each field accepts, and the case it makes.

Pure Python: the screen calls ``check_field`` as the agent leaves a field and ``check_form``
before saving; messages are catalogue keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from plaintes_tui.domain.validation import (
    BELGIUM,
    InvalidValue,
    normalise_country,
    normalise_email,
    normalise_niss,
    normalise_phone,
    normalise_postal_code,
)

# Older than this, the date of receipt is probably a typing mistake: the agent confirms it.
CONFIRM_OLDER_THAN_DAYS = 30

# A complainant's record, as typed at intake and corrected from the case file.
PERSON_FIELDS = (
    "last_name",
    "first_name",
    "phone",
    "email",
    "street",
    "postal_code",
    "town",
    "country",
    "niss",
)
FIELDS = (
    *PERSON_FIELDS,
    "language",
    "channel",
    "received",
    "category",
    "subject",
    "description",
    "urgent",
)
_TODAY_WORDS = {"auj", "auj.", "aujourd'hui", "aujourdhui", "vandaag"}
_YESTERDAY_WORDS = {"hier", "gisteren"}


def parse_receipt_date(text: str, today: date) -> date:
    """A date as agents type it: ``28/11/2026``, ``28/11``, ``28.11.26``, ``2026-11-28``,
    ``hier``; never in the future."""
    return _not_future(parse_day(text, today), today)


def parse_deadline(text: str, today: date) -> date:
    """A deadline as agents type it (as ``parse_receipt_date``, the future allowed): a day and
    month long past this year, typed without a year, is next year's (``15/01`` in December)."""
    day = parse_day(text, today)
    if day < today - timedelta(days=60) and len(re.findall(r"\d+", text)) < 3:
        return day.replace(year=day.year + 1)
    return day


def parse_day(text: str, today: date) -> date:
    cleaned = text.strip().lower()
    if not cleaned:
        raise InvalidValue("intake.error_date_missing")
    if cleaned in _TODAY_WORDS:
        return today
    if cleaned in _YESTERDAY_WORDS:
        return today - timedelta(days=1)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):  # ISO: year first, whatever dayfirst says
            return date.fromisoformat(cleaned)
        from dateutil import parser as date_parser  # loaded on the first date typed, not at start

        return date_parser.parse(
            cleaned, dayfirst=True, default=datetime(today.year, today.month, today.day)
        ).date()
    except (ValueError, OverflowError):
        raise InvalidValue("intake.error_date") from None


def _not_future(day: date, today: date) -> date:
    if day > today:
        raise InvalidValue("intake.error_date_future")
    return day


def needs_old_date_confirmation(received: date, today: date) -> bool:
    return (today - received).days > CONFIRM_OLDER_THAN_DAYS


def check_field(name: str, value: str, today: date, country: str = "") -> str:
    """The value to keep for ``name`` (normalised), or ``InvalidValue`` saying why not; a
    postal code is checked against ``country`` (an ISO code, "" for Belgium)."""
    text = value.strip()
    if name == "last_name" and not text:
        raise InvalidValue("intake.error_last_name")
    if name == "subject" and not text:
        raise InvalidValue("intake.error_subject")
    if name == "received":
        return parse_receipt_date(text, today).isoformat()
    if not text:
        return ""
    if name == "phone":
        return normalise_phone(text)
    if name == "email":
        return normalise_email(text)
    if name == "niss":
        return normalise_niss(text)
    if name == "postal_code":
        return normalise_postal_code(text, country or BELGIUM)
    if name == "country":
        return normalise_country(text)
    return text


@dataclass(frozen=True)
class CheckedForm:
    """A form that passed every check: the values to store."""

    values: Mapping[str, str]
    received: date
    errors: Mapping[str, str] = field(default_factory=dict)

    @property
    def contact_incomplete(self) -> bool:
        return not self.values.get("phone") and not self.values.get("email")

    @property
    def anonymous(self) -> bool:
        return bool(self.values.get("anonymous"))


def check_form(raw: Mapping[str, str], today: date) -> CheckedForm:
    """Check every field; ``errors`` maps each bad field to its message key."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    anonymous = bool(raw.get("anonymous"))
    try:
        country = normalise_country(raw.get("country", ""))
    except InvalidValue:
        country = ""  # reported with the country field below
    for name in FIELDS:
        try:
            if name == "last_name" and anonymous:  # no name to give
                values[name] = raw.get(name, "").strip()
                continue
            values[name] = check_field(name, raw.get(name, ""), today, country)
        except InvalidValue as invalid:
            errors[name] = invalid.key
    values["anonymous"] = "1" if anonymous else ""
    received = date.fromisoformat(values["received"]) if "received" not in errors else today
    return CheckedForm(values=values, received=received, errors=errors)


def check_person(raw: Mapping[str, str], today: date) -> tuple[dict[str, str], dict[str, str]]:
    """A complainant's fields checked as at intake: the values to store (normalised, "" for
    none) and the message key of each bad field."""
    try:
        country = normalise_country(raw.get("country", ""))
    except InvalidValue:
        country = ""  # reported with the country field
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in PERSON_FIELDS:
        try:
            values[name] = check_field(name, raw.get(name, ""), today, country)
        except InvalidValue as invalid:
            errors[name] = invalid.key
    return values, errors


# The language of a Belgian postal address: the Flemish provinces write in Dutch, the Walloon
# ones in French, the German-speaking municipalities (Eupen, Kelmis, Lontzen, Raeren, Amel,
# Büllingen, Burg-Reuland, Bütgenbach, Sankt Vith: 4700–4799) in German. Brussels (1000–1299)
# is bilingual: the agent chooses.
_LANGUAGE_BY_POSTAL_CODE = (
    (1000, 1299, None),
    (1300, 1499, "fr"),
    (1500, 3999, "nl"),
    (4000, 4699, "fr"),
    (4700, 4799, "de"),
    (4800, 7999, "fr"),
    (8000, 9999, "nl"),
)


def language_for_postal_code(code: str) -> str | None:
    """The language a Belgian address suggests for the case's letters; None for Brussels or
    a code that is not a Belgian one. Only ever a suggestion: the complainant decides."""
    if not (len(code) == 4 and code.isdigit()):
        return None
    number = int(code)
    return next(
        (language for low, high, language in _LANGUAGE_BY_POSTAL_CODE if low <= number <= high),
        None,
    )


# Words frequent in a citizen's message and rare in the other languages: enough to tell which
# language an e-mail is written in (the agent still sees and may change it).
_COMMON_WORDS = {
    language: frozenset(words.split())
    for language, words in {
        "fr": "je j ai vous nous mon ma mes votre vos le la les une est pas pour que qui avec sur "
        "et il elle ne n dans mais",
        "nl": "ik u wij mijn uw het een is niet voor dat die met op ook maar wel geen heb van te "
        "en de nog",
        "de": "ich sie wir mein meine ihr der die das ein eine ist nicht für dass mit auf und "
        "habe keine zu den dem",
        "en": "i you we my your the a is not for that with on and have has of to",
    }.items()
}


def language_of_text(text: str) -> str | None:
    """The language a message is most likely written in (fr, nl, de, en); None when too
    short or too mixed to say."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {
        language: sum(word in common for word in words)
        for language, common in _COMMON_WORDS.items()
    }
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, first), (_, second) = ranked[0], ranked[1]
    return best if first >= 3 and first >= 2 * second else None
