"""E.164 phone numbers: checking one, and making realistic valid ones for seed data."""

from __future__ import annotations

import random
import re

import phonenumbers
from phonenumbers import PhoneNumberType

E164_SHAPE = re.compile(r"\+[1-9][0-9]{1,14}")
SEED_NUMBER_TYPES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE)
# Digits kept from an example number's start (its area or mobile prefix); the rest vary.
KEPT_PREFIX_DIGITS = 3
ATTEMPTS_PER_NUMBER = 20


def is_valid_e164(text: str) -> bool:
    """True for `+` and digits only, forming a number phonenumbers considers valid."""
    if not E164_SHAPE.fullmatch(text):
        return False
    try:
        number = phonenumbers.parse(text)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def valid_numbers(rng: random.Random, region: str, count: int) -> list[str]:
    """Up to `count` distinct valid E.164 numbers of `region`, drawn from `rng`.

    Candidates keep the prefix of the region's example numbers and vary the remaining
    digits; only those phonenumbers validates are kept.
    """
    prefixes = _example_national_numbers(region)
    found: dict[str, None] = {}
    for _ in range(count * ATTEMPTS_PER_NUMBER):
        if len(found) == count:
            break
        candidate = _candidate(rng, region, rng.choice(prefixes))
        if is_valid_e164(candidate):
            found[candidate] = None
    return list(found)


def _example_national_numbers(region: str) -> list[str]:
    examples = (phonenumbers.example_number_for_type(region, kind) for kind in SEED_NUMBER_TYPES)
    return [
        phonenumbers.national_significant_number(example)
        for example in examples
        if example is not None
    ]


def _candidate(rng: random.Random, region: str, example: str) -> str:
    varied = "".join(rng.choice("0123456789") for _ in example[KEPT_PREFIX_DIGITS:])
    country_code = phonenumbers.country_code_for_region(region)
    return f"+{country_code}{example[:KEPT_PREFIX_DIGITS]}{varied}"
