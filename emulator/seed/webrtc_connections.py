"""Seeded WebRTC connections: browser entry points to each product's Pipecat Cloud agents.

They come from a random generator of their own, so adding them changed no phone connection.
WebRTC is the newer channel: they were all made in the last year of the seeded span.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator

from emulator.seed.organization import (
    FIRST_PHONE_CONNECTION_MS,
    PRODUCT_WEIGHTS,
    SPAN_MS,
    USER_IDS,
    seed_products,
)
from emulator.seed.unique_names import UniqueNames

RNG_SEED = "galtea-emulator-webrtc-connections-{count}"
MIN_ROWS = 10
PHONE_CONNECTIONS_PER_ROW = 10
BASE_NAMES = (
    "Web concierge",
    "Checkout assistant",
    "Help centre widget",
    "Onboarding guide",
    "Booking assistant",
    "Claims helper",
    "Account support",
    "Product advisor",
    "Order tracker",
    "Returns assistant",
    "Live demo",
    "Voice FAQ",
    "Appointment desk",
    "Billing helper",
    "Technical support",
    "In-app coach",
    "Lead capture",
    "Store locator",
)
# A qualifier, and the suffix of the agent deployed for it.
QUALIFIERS = {
    "": "",
    " — EMEA": "",
    " — APAC": "",
    " — LATAM": "",
    " — US": "",
    " — UK": "",
    " (staging)": "-staging",
    " (QA)": "-qa",
    " (dev)": "-dev",
    " v2": "-v2",
    " beta": "-beta",
}
# Unqualified names are the commonest, as for phone connections.
QUALIFIER_CHOICES = ("", "", "", *QUALIFIERS)
AGENT_ROLES = (
    "support-agent",
    "concierge",
    "checkout-assistant",
    "booking-agent",
    "claims-agent",
    "voice-assistant",
    "triage-agent",
    "sales-agent",
    "onboarding-agent",
)
API_KEY_SHARE = 0.6
# Rows made with an organization key that no user owns have no user.
NO_USER_SHARE = 0.1
SPEAKS_FIRST_SHARE = 0.35


def webrtc_connection_count(phone_connections: int) -> int:
    """How many WebRTC connections go with a seed of `phone_connections`: none for none."""
    if not phone_connections:
        return 0
    return max(MIN_ROWS, phone_connections // PHONE_CONNECTIONS_PER_ROW)


def seed_webrtc_connections(count: int) -> Iterator[dict]:
    """`count` WebRTC connections, identical for the same count, in creation order."""
    rng = random.Random(RNG_SEED.format(count=count))
    products = seed_products()
    agent_prefixes = {product["id"]: product["name"].split()[0].lower() for product in products}
    product_ids = rng.choices(list(agent_prefixes), weights=PRODUCT_WEIGHTS, k=count)
    created_offsets = sorted(rng.sample(range(SPAN_MS // 2, SPAN_MS), count))
    names = UniqueNames()
    for created_offset, product_id in zip(created_offsets, product_ids, strict=True):
        qualifier = rng.choice(QUALIFIER_CHOICES)
        agent_name = f"{agent_prefixes[product_id]}-{rng.choice(AGENT_ROLES)}"
        yield {
            "id": f"webRtcConnection_{rng.getrandbits(96):024x}",
            "product_id": product_id,
            "name": names.claim(product_id, rng.choice(BASE_NAMES) + qualifier),
            "agent_name": agent_name + QUALIFIERS[qualifier],
            "api_key": _api_key(rng),
            "agent_speaks_first": rng.random() < SPEAKS_FIRST_SHARE,
            "user_id": None if rng.random() < NO_USER_SHARE else rng.choice(USER_IDS),
            "created_at": FIRST_PHONE_CONNECTION_MS + created_offset,
            "deleted_at": None,
        }


def _api_key(rng: random.Random) -> str | None:
    if rng.random() >= API_KEY_SHARE:
        return None
    return f"pk_{uuid.UUID(int=rng.getrandbits(128), version=4)}"
