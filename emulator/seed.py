"""Deterministic seed data: ~8 products and N realistic phone connections.

The same N always gives the same rows: every value comes from `random.Random(N)` and times
are placed in the two years before a fixed reference date, never relative to now.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from emulator.phone_numbers import valid_numbers
from emulator.store import PHONE_CONNECTIONS, PRODUCTS, Store
from emulator.timestamps import EPOCH, ONE_MILLISECOND
from emulator.voices import VOICE_IDS

REFERENCE_DATE = datetime(2026, 11, 1, tzinfo=UTC)
SEEDED_SPAN = timedelta(days=730)
FIRST_PHONE_CONNECTION_MS = (REFERENCE_DATE - SEEDED_SPAN - EPOCH) // ONE_MILLISECOND
SPAN_MS = SEEDED_SPAN // ONE_MILLISECOND
ORGANIZATION_ID = "org_7c1e5a2b9d3f4e60"
PRODUCT_SEED = "galtea-emulator-products"

# (name, description, relative weight of its share of phone connections)
PRODUCTS_CATALOG = (
    ("Acme Insurance Voicebot", "Answers policy and claims calls for Acme Insurance.", 5),
    ("Northwind Support Agent", "First-line technical support for Northwind customers.", 4),
    ("Contoso Bank Assistant", "Balance, card and transfer enquiries for Contoso Bank.", 3),
    ("Globex Travel Concierge", "Bookings, changes and cancellations for Globex Travel.", 2),
    ("Initech Billing Bot", "Invoices, payment plans and refunds for Initech.", 2),
    ("Umbrella Health Scheduler", "Books and reschedules appointments at Umbrella clinics.", 2),
    ("Stark Energy Outage Line", "Reports and updates on power outages for Stark Energy.", 1),
    ("Wayne Logistics Tracker", "Parcel tracking and delivery changes for Wayne Logistics.", 1),
)
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
USER_IDS = (
    "user_2f8c41d07a9b",
    "user_5b13e9a6c2d4",
    "user_8e0d7f3b1a65",
    "user_a4c92b6e0f17",
    "user_d61f05c8b3e2",
)
NUMBERS_PER_REGION = 300
VOICE_CHOICES = (*VOICE_IDS, None)
NULL_LANGUAGE_SHARE = 0.2


def seed_store(store: Store, phone_connections: int) -> None:
    """Create the products if the store has none, then N phone connections if it has none."""
    if not store.count(PRODUCTS, include_deleted=True):
        store.insert_products(seed_products())
    if phone_connections and not store.count(PHONE_CONNECTIONS, include_deleted=True):
        store.bulk_load_phone_connections(seed_phone_connections(phone_connections))


def seed_products() -> list[dict]:
    """The catalog's products, with the same ids and dates in every store."""
    rng = random.Random(PRODUCT_SEED)
    first_created = FIRST_PHONE_CONNECTION_MS - SPAN_MS // 8
    return [
        {
            "id": f"prod_{rng.getrandbits(64):016x}",
            "name": name,
            "description": description,
            "organization_id": ORGANIZATION_ID,
            "created_at": first_created + index * 86_400_000 * 9 + rng.randrange(86_400_000),
            "deleted_at": None,
        }
        for index, (name, description, _weight) in enumerate(PRODUCTS_CATALOG)
    ]


def seed_phone_connections(count: int) -> Iterator[dict]:
    """`count` phone connections, identical for the same count, in creation order."""
    rng = random.Random(count)
    products = seed_products()
    product_ids = rng.choices(
        [product["id"] for product in products],
        weights=[weight for _name, _description, weight in PRODUCTS_CATALOG],
        k=count,
    )
    created_offsets = sorted(rng.sample(range(SPAN_MS), count))
    numbers = _number_pool(rng, count)
    regions = tuple(numbers)
    names = _UniqueNames()
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


class _UniqueNames:
    """Hands out names unique within each product, suffixing ` #2`, ` #3`… on a clash."""

    def __init__(self) -> None:
        self._taken: dict[str, set[str]] = {}
        self._next_suffix: dict[tuple[str, str], int] = {}

    def claim(self, product_id: str, name: str) -> str:
        taken = self._taken.setdefault(product_id, set())
        unique = name
        while unique in taken:
            suffix = self._next_suffix.get((product_id, name), 2)
            self._next_suffix[(product_id, name)] = suffix + 1
            unique = f"{name} #{suffix}"
        taken.add(unique)
        return unique
