"""What a scanned letter says, found for the agent: the sender's block (name, street, postal
code, town, country), NISS, phone, e-mail, the letter's own date and place, the case it
answers, its language, subject and body — each with how sure the reading is.

Pure Python over the lines the OCR read (``ScanLine``: text, the mean confidence of its words,
where it stands on the page); the scanner's driver is ``plaintes_tui/scanning.py``. Nothing
found is never a guess: a field the letter does not show is absent.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from plaintes_tui.domain.cases import REFERENCE_PATTERN
from plaintes_tui.domain.validation import (
    InvalidValue,
    normalise_country,
    normalise_email,
    normalise_niss,
    normalise_phone,
)

# Where the sender's block ends: it stands in the left part of the page, above the letter.
LEFT_PART = 0.45
# What dust and the paper's edge add around a line, which no address ends with.
STRAY = " .,:;|_-'‘’`~°*»«"
# Below this, a field is marked for the agent to check (the mean confidence of its words).
CHECK_BELOW = 0.80


@dataclass(frozen=True)
class ScanLine:
    text: str
    confidence: float  # the mean of its words', 0 to 1
    left: float = 0.0  # where it starts, as a part of the page's width
    top: float = 0.0  # as a part of the page's height
    page: int = 1
    paragraph: int = 0  # lines of one paragraph share it (within a page)


@dataclass(frozen=True)
class Found:
    value: str
    confidence: float

    @property
    def doubtful(self) -> bool:
        return self.confidence < CHECK_BELOW


@dataclass
class LetterReading:
    fields: dict[str, Found] = field(default_factory=dict)

    def value(self, name: str) -> str:
        found = self.fields.get(name)
        return found.value if found else ""

    def as_json(self) -> dict[str, object]:
        """The fields found, by name, and ``confidence``: each one's, by name."""
        said: dict[str, object] = {name: found.value for name, found in self.fields.items()}
        said["confidence"] = {n: round(f.confidence, 2) for n, f in self.fields.items()}
        return said


MONTHS = {
    # fr
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    # nl
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "juni": 6, "juli": 7,
    "augustus": 8, "oktober": 10, "december": 12,
    "mei": 5, "september": 9, "november": 11,
    # de
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "august": 8, "dezember": 12,
}  # fmt: skip
_DATE_LINE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][\w'’. -]{1,40}?),?\s+(?:le\s+|den\s+|am\s+)?"
    r"(?P<day>\d{1,2})(?:er)?\.?\s*(?:(?P<month>[A-Za-zÀ-ÿ]+)|[./-](?P<mm>\d{1,2})[./-])\s*"
    r"(?P<year>\d{4})\s*$"
)
_SALUTATION = re.compile(
    r"^(madame|monsieur|mesdames|messieurs|chère|cher|geachte|beste|zeer geachte|"
    r"sehr geehrte|sehr geehrter|liebe|dear)\b",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^(veuillez agréer|je vous prie d'agréer|recevez|salutations|cordialement|bien à vous|"
    r"met vriendelijke groet|hoogachtend|vriendelijke groeten|met de meeste hoogachting|"
    r"mit freundlichen grüßen|mit freundlichem gruß|hochachtungsvoll|"
    r"yours (sincerely|faithfully)|kind regards)",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"^(concerne|objet|betreft|onderwerp|betreff|subject)\s*:?\s*(.+)$", re.I)
_POSTAL = re.compile(r"^(?:(?:B|BE|F|L|D|NL)\s*-\s*)?(?P<code>\d{4,5})\s+(?P<town>[^\d].*)$")
_STREET = re.compile(r"\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+|00)?\d[\d ./-]{7,}\d")
_NISS = re.compile(r"\b\d{2}[. ]?\d{2}[. ]?\d{2}\s?[- ]?\s?\d{3}[. ]?\d{2}\b")
_TITLES = {"m", "mme", "mr", "mevr", "dhr", "herr", "frau", "mevrouw", "madame", "monsieur"}
_PARTICLES = {
    "van", "de", "der", "den", "von", "le", "la", "du", "des", "di", "vander", "ten", "ter", "op",
    "el", "al", "ben", "da", "dos", "del",
}  # fmt: skip
_STOPWORDS = {
    "fr": {"le", "la", "les", "de", "des", "je", "vous", "et", "est", "une", "pour", "que", "pas"},
    "nl": {"de", "het", "een", "ik", "u", "en", "is", "niet", "voor", "van", "dat", "mijn"},
    "de": {"der", "die", "das", "und", "ich", "sie", "ist", "nicht", "ein", "eine", "mit", "für"},
}


def read_letter(lines: Sequence[ScanLine]) -> LetterReading:
    """What ``lines`` (in reading order) say, found."""
    reading = LetterReading()
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return reading
    date_at = _find_date(lines, reading)
    sender = _sender_block(lines, date_at)
    _find_sender(sender, reading)
    _find_anywhere(lines, reading)
    after = max(
        (date_at + 1) if date_at is not None else 0,
        (lines.index(sender[-1]) + 1) if sender else 0,
    )
    _find_body(lines, after, reading)
    _find_language(reading)
    return reading


def _find_date(lines: Sequence[ScanLine], reading: LetterReading) -> int | None:
    """The line "Liège, le 28 novembre 2026": the letter's date and place; its index."""
    for index, line in enumerate(lines):
        match = _DATE_LINE.match(line.text.strip())
        if match is None:
            continue
        month = int(match["mm"]) if match["mm"] else MONTHS.get((match["month"] or "").casefold())
        if month is None:
            continue
        try:
            day = date(int(match["year"]), month, int(match["day"]))
        except ValueError:
            continue
        reading.fields["letter_date"] = Found(day.isoformat(), line.confidence)
        reading.fields["place"] = Found(match["place"].strip(), line.confidence)
        return index
    return None


def _sender_block(lines: Sequence[ScanLine], date_at: int | None) -> list[ScanLine]:
    """The lines at the left of the first page, from the top, before the date, the subject
    or the salutation: the sender's block (the addressee's stands at the right)."""
    block: list[ScanLine] = []
    for index, line in enumerate(lines):
        text = line.text.strip()
        if line.page != 1 or index == date_at or _SUBJECT.match(text) or _SALUTATION.match(text):
            break
        if line.left < LEFT_PART:
            block.append(line)
        elif block and len(block) >= 3:  # the addressee after a whole block: the sender's ended
            break
    return block


def _find_sender(block: list[ScanLine], reading: LetterReading) -> None:
    postal_at = next((i for i, line in enumerate(block) if _POSTAL.match(line.text.strip())), None)
    if postal_at is None:
        if block:
            _name(block[0], reading)
        return
    postal = block[postal_at]
    match = _POSTAL.match(postal.text.strip())
    assert match is not None
    reading.fields["postal_code"] = Found(match["code"], postal.confidence)
    reading.fields["town"] = Found(_trimmed(match["town"]), postal.confidence)
    streets = [line for line in block[:postal_at] if _STREET.search(line.text)]
    if streets:
        street = streets[-1]
        reading.fields["street"] = Found(_trimmed(street.text), street.confidence)
    names = [line for line in block[:postal_at] if not _STREET.search(line.text)]
    if names:
        _name(names[0], reading)
    if postal_at + 1 < len(block):
        _country(block[postal_at + 1], reading)


def _trimmed(text: str) -> str:
    """A field's words, without the specks a scan adds at its ends (``Liège :``, ``| Gent``)."""
    return " ".join(text.split()).strip(STRAY)


def _name(line: ScanLine, reading: LetterReading) -> None:
    """ "Sophie Lambert", "LAMBERT Sophie", "Jan Van den Broeck": first and last name."""
    words = [w for w in re.split(r"\s+", _trimmed(line.text)) if w]
    words = [w for w in words if w.casefold().rstrip(".") not in _TITLES]
    if not words:
        return
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    if capitals:
        last = " ".join(capitals)
        first = " ".join(w for w in words if w not in capitals)
    else:
        at = len(words) - 1
        while at > 1 and words[at - 1].casefold() in _PARTICLES:
            at -= 1
        first, last = " ".join(words[:at]), " ".join(words[at:])
    reading.fields["last_name"] = Found(last, line.confidence)
    if first:
        reading.fields["first_name"] = Found(first, line.confidence)


def _country(line: ScanLine, reading: LetterReading) -> None:
    try:
        code = normalise_country(line.text)
    except InvalidValue:
        return
    reading.fields["country"] = Found(code or "BE", line.confidence)


def _find_anywhere(lines: Sequence[ScanLine], reading: LetterReading) -> None:
    """E-mail, phone, NISS and the case's reference, wherever the letter gives them."""
    for line in lines:
        text = line.text
        if "email" not in reading.fields and (match := _EMAIL.search(text)):
            with contextlib.suppress(InvalidValue):
                reading.fields["email"] = Found(normalise_email(match[0]), line.confidence)
        if "reference" not in reading.fields and (match := REFERENCE_PATTERN.search(text)):
            reading.fields["reference"] = Found(match[0], line.confidence)
        if "niss" not in reading.fields and (match := _NISS.search(text)):
            try:
                reading.fields["niss"] = Found(normalise_niss(match[0]), line.confidence)
                continue  # a NISS is no phone number
            except InvalidValue:
                pass
        if "phone" not in reading.fields and not _EMAIL.search(text):
            for match in _PHONE.finditer(text):
                try:
                    reading.fields["phone"] = Found(normalise_phone(match[0]), line.confidence)
                    break
                except InvalidValue:
                    continue


def _find_body(lines: Sequence[ScanLine], start: int, reading: LetterReading) -> None:
    """The subject line, and the body: from the salutation (or the line after the sender's
    block, the date and the subject) to the closing formula, paragraphs kept, words cut at a
    line's end joined."""
    for index in range(start, len(lines)):
        text = lines[index].text.strip()
        if match := _SUBJECT.match(text):
            reading.fields["subject"] = Found(match[2].strip(), lines[index].confidence)
            start = index + 1
        elif _SALUTATION.match(text):
            start = index + 1
            break
    body: list[ScanLine] = []
    for line in lines[start:]:
        if _CLOSING.match(line.text.strip()):
            break
        body.append(line)
    if body:
        confidence = sum(line.confidence for line in body) / len(body)
        reading.fields["text"] = Found(_paragraphs(body), confidence)


def _paragraphs(lines: Sequence[ScanLine]) -> str:
    paragraphs: list[str] = []
    key = None
    for line in lines:
        text = " ".join(line.text.split())
        if (line.page, line.paragraph) != key or not paragraphs:
            paragraphs.append(text)
            key = (line.page, line.paragraph)
        elif paragraphs[-1].endswith("-") and text[:1].islower():
            paragraphs[-1] = paragraphs[-1][:-1] + text
        else:
            paragraphs[-1] += " " + text
    return "\n\n".join(paragraphs)


def _find_language(reading: LetterReading) -> None:
    text = reading.value("text") or reading.value("subject")
    words = re.findall(r"\w+", text.casefold())
    if not words:
        return
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    language, hits = max(counts.items(), key=lambda item: item[1])
    if hits:
        reading.fields["language"] = Found(language, min(1.0, hits / max(8, len(words) / 8)))
