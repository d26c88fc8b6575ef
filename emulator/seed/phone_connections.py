"""Seeded phone connections: realistic names, valid numbers of several countries, voices.

The same count always gives the same rows: every value comes from `random.Random(count)`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from emulator.phone_numbers import valid_numbers
from emulator.seed.organization import (
    FIRST_PHONE_CONNECTION_MS,
    PRODUCT_WEIGHTS,
    SPAN_MS,
    USER_IDS,
    seed_products,
)
from emulator.seed.unique_names import UniqueNames
from emulator.voices import VOICE_IDS

BASE_NAMES = (
    "Support line",
    "Billing",
    "After-hours triage",
    "Claims intake",
    "Sales desk",
    "Appointment booking",
    "Order status",
    "Returns and refunds",
    "Technical support",
    "Customer onboarding",
    "Collections",
    "Fraud alerts",
    "Roadside assistance",
    "Policy renewals",
    "Front desk",
    "Escalations",
    "Customer care",
    "Password reset",
    "Delivery updates",
    "Prescription refills",
    "Outbound survey",
    "VIP concierge",
    "Lead qualification",
    "Outage hotline",
)
QUALIFIERS = (
    "",
    "",
    "",
    " — EMEA",
    " — APAC",
    " — LATAM",
    " — Spain",
    " — Germany",
    " — UK",
    " — US East",
    " — US West",
    " — Mexico",
    " — France",
    " — night shift",
    " (staging)",
    " (QA)",
    " v2",
)
QUALIFIER_REGIONS = {
    " — Spain": "ES",
    " — Germany": "DE",
    " — UK": "GB",
    " — US East": "US",
    " — US West": "US",
    " — Mexico": "MX",
    " — France": "FR",
}
# Region: language codes a line in that region is usually configured with.
REGION_LANGUAGES = {
    "US": ("en-US", "es-US"),
    "GB": ("en-GB",),
    "ES": ("es-ES", "ca-ES"),
    "DE": ("de-DE",),
    "FR": ("fr-FR",),
    "IT": ("it-IT",),
    "MX": ("es-MX",),
    "BR": ("pt-BR",),
    "AU": ("en-AU",),
    "CA": ("en-CA", "fr-CA"),
    "IN": ("en-IN", "hi-IN"),
}
NUMBERS_PER_REGION = 300
VOICE_CHOICES = (*VOICE_IDS, None)
NULL_LANGUAGE_SHARE = 0.2


def seed_phone_connections(count: int) -> Iterator[dict]:
    """`count` phone connections, identical for the same count, in creation order."""
    rng = random.Random(count)
    products = seed_products()
    product_ids = rng.choices(
        [product["id"] for product in products],
        weights=PRODUCT_WEIGHTS,
        k=count,
    )
    created_offsets = sorted(rng.sample(range(SPAN_MS), count))
    numbers = _number_pool(rng, count)
    regions = tuple(numbers)
    names = UniqueNames()
    for created_offset, product_id in zip(created_offsets, product_ids, strict=True):
        qualifier = rng.choice(QUALIFIERS)
        region = QUALIFIER_REGIONS.get(qualifier) or rng.choice(regions)
        yield {
            "id": f"phoneConnection_{rng.getrandbits(96):024x}",
            "product_id": product_id,
            "name": names.claim(product_id, rng.choice(BASE_NAMES) + qualifier),
            "phone_number": rng.choice(numbers[region]),
            "user_id": rng.choice(USER_IDS),
            "voice": rng.choice(VOICE_CHOICES),
            "language_code": _language_code(rng, region),
            "agent_speaks_first": rng.random() < 0.3,
            "created_at": FIRST_PHONE_CONNECTION_MS + created_offset,
            "deleted_at": None,
        }


def _number_pool(rng: random.Random, count: int) -> dict[str, list[str]]:
    """Valid numbers per region: enough for variety, few enough to build quickly."""
    per_region = min(NUMBERS_PER_REGION, count // len(REGION_LANGUAGES) + 1)
    return {region: valid_numbers(rng, region, per_region) for region in REGION_LANGUAGES}


def _language_code(rng: random.Random, region: str) -> str | None:
    if rng.random() < NULL_LANGUAGE_SHARE:
        return None
    return rng.choice(REGION_LANGUAGES[region])
