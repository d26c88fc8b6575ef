"""The seeded organization: its products, its users, and the two years its rows span.

Times are placed before a fixed reference date, never relative to now, so the same seed
gives the same rows in every store.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from emulator.timestamps import EPOCH, ONE_MILLISECOND

REFERENCE_DATE = datetime(2026, 11, 1, tzinfo=UTC)
SEEDED_SPAN = timedelta(days=730)
FIRST_PHONE_CONNECTION_MS = (REFERENCE_DATE - SEEDED_SPAN - EPOCH) // ONE_MILLISECOND
SPAN_MS = SEEDED_SPAN // ONE_MILLISECOND
REFERENCE_MS = (REFERENCE_DATE - EPOCH) // ONE_MILLISECOND
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
ORGANIZATION_ID = "org_7c1e5a2b9d3f4e60"
PRODUCT_SEED = "galtea-emulator-products"

# (name, description, relative weight of its share of connections)
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
PRODUCT_WEIGHTS = tuple(weight for _name, _description, weight in PRODUCTS_CATALOG)
USER_IDS = (
    "user_2f8c41d07a9b",
    "user_5b13e9a6c2d4",
    "user_8e0d7f3b1a65",
    "user_a4c92b6e0f17",
    "user_d61f05c8b3e2",
)


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
