"""Checking and normalising what a complainant gives: phone, e-mail, NISS, postal code.

Each check returns the value to store (normalised) or raises ``InvalidValue`` with a message key
of the catalogue; the screens translate it.
"""

from __future__ import annotations

import re
from datetime import date

# The checking libraries load when a field is first checked, not when the app starts.


class InvalidValue(ValueError):
    """A value that cannot be stored; ``key`` names the catalogue message that explains why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def normalise_phone(text: str) -> str:
    """``0477 84 86 64`` or ``+32 477 84 86 64`` → ``+32477848664`` (E.164)."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, "BE")
    except phonenumbers.NumberParseException:
        raise InvalidValue("validation.phone") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidValue("validation.phone")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def display_phone(stored: str) -> str:
    """The stored E.164 number as a Belgian reads it: ``0477 84 86 64``; foreign ones in full."""
    import phonenumbers

    try:
        number = phonenumbers.parse(stored, "BE")
    except phonenumbers.NumberParseException:
        return stored
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 32
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(number, style))


def phone_search_digits(text: str) -> str | None:
    """The digits a (partly typed) phone number is indexed under, or None if not a phone.

    ``0477 84`` → ``3247784``: a prefix of the stored ``+32477848664``.
    """
    text = text.strip()
    if not re.fullmatch(r"\+?[\d\s./()-]{4,}", text):
        return None
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return "32" + digits[1:]
    return None


def normalise_email(text: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return str(validate_email(text.strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        raise InvalidValue("validation.email") from None


_ADDRESS_SHAPE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def address_of_a_service(text: str) -> str:
    """An address from a file the service maintains (its reference of services to forward
    to), checked for its shape: one @, a dotted domain, no space. Read at each start, it is
    spared the full check typed addresses get (whose rules take 25 ms to load)."""
    address = text.strip()
    if not _ADDRESS_SHAPE.fullmatch(address):
        raise InvalidValue("validation.email")
    local, domain = address.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def normalise_niss(text: str) -> str:
    """A national register or BIS number, checked, as 11 digits."""
    from stdnum import exceptions as stdnum_errors
    from stdnum.be import bis, nn

    digits = re.sub(r"\D", "", text)
    if len(digits) != 11:
        raise InvalidValue("validation.niss_length")
    for module in (nn, bis):
        try:
            return str(module.validate(digits))
        except stdnum_errors.ValidationError:
            continue
    raise InvalidValue("validation.niss_checksum")


def display_niss(digits: str) -> str:
    """``85073003328`` → ``85.07.30-033.28``."""
    from stdnum.be import nn

    return str(nn.format(digits))


def niss_birth_date(digits: str) -> date | None:
    """The birth date a national register or BIS number holds, when it holds a whole one."""
    from stdnum import exceptions as stdnum_errors
    from stdnum.be import bis, nn

    for module in (nn, bis):
        try:
            return module.get_birth_date(digits)  # type: ignore[no-any-return]
        except (stdnum_errors.ValidationError, ValueError):
            continue
    return None


BELGIUM = "BE"
# Postal code formats of the countries Belgian complainants most often live in; elsewhere the
# code is kept as typed.
POSTAL_CODES = {
    "NL": r"\d{4} ?[A-Z]{2}",
    "FR": r"\d{5}",
    "DE": r"\d{5}",
    "LU": r"(L-)?\d{4}",
    "IT": r"\d{5}",
    "ES": r"\d{5}",
}


def normalise_postal_code(text: str, country: str = BELGIUM) -> str:
    code = text.strip().upper()
    if country == BELGIUM:
        if not re.fullmatch(r"\d{4}", code) or not 1000 <= int(code) <= 9992:
            raise InvalidValue("validation.postal_code")
    elif (country in POSTAL_CODES and not re.fullmatch(POSTAL_CODES[country], code)) or len(
        code
    ) > 12:
        raise InvalidValue("validation.postal_code_abroad")
    return code


def normalise_country(text: str) -> str:
    """An ISO 3166 code from a code or a country's name in French, Dutch, German or English
    (``Allemagne``, ``Duitsland``, ``DE``); "" for Belgium."""
    from babel import Locale

    wanted = " ".join(text.strip().casefold().split())
    if not wanted:
        return ""
    if len(wanted) == 2 and wanted.upper() in Locale("en").territories:
        code = wanted.upper()
    else:
        names = {
            name.casefold(): code
            for language in ("fr", "nl", "de", "en")
            for code, name in Locale(language).territories.items()
            if code.isalpha()
        }
        if wanted not in names:
            raise InvalidValue("validation.country")
        code = names[wanted]
    return "" if code == BELGIUM else code


def country_name(code: str, language: str) -> str:
    """The country's name in a letter's language: ``Allemagne``, ``Duitsland``."""
    from babel import Locale

    return str(Locale(language).territories.get(code, code))
