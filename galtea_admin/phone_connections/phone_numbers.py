"""Phone numbers as people type and read them, and as E.164 as the API wants them."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from galtea_admin.phone_connections.country_names import COUNTRY_NAMES

# What people put around digits: spaces, dashes, dots, brackets, slashes.
DECORATION = re.compile(r"[\s\-().\/]")
PHONE_LIKE = re.compile(r"\+?[\d\s\-().\/]+")


class InvalidPhoneNumber(ValueError):
    """A number that is not a real, dialable international number."""


def strip_decoration(text: str) -> str:
    """ "+1 (415) 555-26" → "+141555526", for partial searches."""
    return DECORATION.sub("", text)


def looks_like_phone_number(text: str) -> bool:
    """Whether quick-search text is a (partial) phone number rather than a name."""
    text = text.strip()
    if not PHONE_LIKE.fullmatch(text):
        return False
    digits = sum(c.isdigit() for c in text)
    return digits >= 3 or (text.startswith("+") and digits >= 1)


def to_e164(text: str) -> str:
    """What a person typed ("+1 (415) 555-2671", "0044 20 7946 0958") as E.164."""
    cleaned = text.strip()
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    if not cleaned.startswith("+"):
        raise InvalidPhoneNumber(
            "Start with + and the country code, e.g. +44 20 7946 0958 or +1 415 555 2671."
        )
    try:
        number = phonenumbers.parse(cleaned, None)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber("This is not a phone number.") from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhoneNumber("This number has the wrong number of digits for its country.")
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber("This number does not exist in its country's numbering plan.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)
def describe(e164: str) -> tuple[str, str]:
    """(international format, country name) for display; the raw text when unparsable."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164, ""
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return formatted, country_name(number)


def country_name(number: phonenumbers.PhoneNumber) -> str:
    """The country's English name (the main one for codes shared by several, like +1),
    with ", toll-free" for toll-free numbers."""
    regions = phonenumbers.region_codes_for_country_code(number.country_code)
    valid = [r for r in regions if phonenumbers.is_valid_number_for_region(number, r)]
    if len(regions) == 1:
        region = regions[0]
    elif len(valid) == 1:
        region = valid[0]
    else:
        region = phonenumbers.region_code_for_number(number) or ""
    name = COUNTRY_NAMES.get(region, "")
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.TOLL_FREE:
        return f"{name}, toll-free" if name else "Toll-free"
    return name
