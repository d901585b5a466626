"""Checking and normalising what a complainant gives: phone, e-mail, NISS, postal code.

Each check returns the value to store (normalised) or raises ``InvalidValue`` with a message key
of the catalogue; the screens translate it.
"""

from __future__ import annotations

import re

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


def normalise_postal_code(text: str) -> str:
    code = text.strip()
    if not re.fullmatch(r"\d{4}", code) or not 1000 <= int(code) <= 9992:
        raise InvalidValue("validation.postal_code")
    return code
