"""Seeded versions: the builds of each product, most calling one phone or WebRTC connection.

Many numbers are called by one version, some by two or three, many by none; a share of the
WebRTC connections have versions too, and some versions have no target. They are made from
the store's live connections (so an older store gets versions that name its own rows), with
a random generator of their own, so no connection changes. Their number is capped, so a
seed of 100,000 numbers stays quick.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from emulator.seed.organization import DAY_MS, REFERENCE_MS
from emulator.seed.unique_names import UniqueNames

RNG_SEED = "galtea-emulator-versions-{phone}-{webrtc}"
# The columns of a connection (or product) a version is made from.
TARGET_COLUMNS = ("id", "product_id", "created_at")
PRODUCT_COLUMNS = ("id", "created_at")
PHONE_TARGET_SHARE = 0.6
MAX_PHONE_TARGETS = 2_000
WEBRTC_TARGET_SHARE = 0.5
MAX_WEBRTC_TARGETS = 300
# How many versions call one connection: mostly one, some two or three.
VERSIONS_PER_PHONE = (1, 1, 1, 1, 1, 1, 1, 2, 2, 3)
VERSIONS_PER_WEBRTC = (1, 1, 1, 2)
# Versions without a conversation target, as a share of those with one.
UNTARGETED_SHARE = 0.2
# Versions keeping the label the API gives an unnamed one, `v<number>`.
CANONICAL_NAME_SHARE = 0.4
RELEASE_NAMES = (
    "Baseline",
    "Prompt refresh",
    "Shorter greeting",
    "Barge-in tuning",
    "Spanish fallback",
    "Latency fix",
    "New voice",
    "Escalation rules",
    "Holiday hours",
    "Guardrails update",
    "Retrieval upgrade",
    "Tone of voice",
    "Compliance review",
    "Intent routing",
    "Release candidate",
    "Hotfix",
    "Smaller model trial",
    "Identity check",
)
DESCRIPTIONS = (
    "Answers inbound calls end to end, escalating to a person on request.",
    "Trims the opening and confirms the caller's intent in one turn.",
    "Hands over to a person after two failed attempts.",
    "Reads back amounts and dates before confirming.",
    "Adds a Spanish flow when the caller asks for it.",
    "Lower latency between the caller's turn and the answer.",
    "Stricter checks before sharing account details.",
    "Routes billing, claims and technical questions to their own flows.",
)
NO_DESCRIPTION_SHARE = 0.25
MODELS = 6
NO_MODEL_SHARE = 0.2


@dataclass(frozen=True)
class _Planned:
    product_id: str
    created_at: int
    phone_connection_id: str | None = None
    webrtc_connection_id: str | None = None


def seed_versions(
    products: Sequence[sqlite3.Row],
    phone_connections: Sequence[sqlite3.Row],
    webrtc_connections: Sequence[sqlite3.Row],
) -> list[dict]:
    """Versions for these live rows (oldest first), identical for identical rows, oldest first."""
    rng = random.Random(
        RNG_SEED.format(phone=len(phone_connections), webrtc=len(webrtc_connections))
    )
    models = [f"model_{rng.getrandbits(64):016x}" for _ in range(MODELS)]
    planned = [
        _Planned(row["product_id"], _after(rng, row["created_at"]), phone_connection_id=row["id"])
        for row in _sample(rng, phone_connections, PHONE_TARGET_SHARE, MAX_PHONE_TARGETS)
        for _ in range(rng.choice(VERSIONS_PER_PHONE))
    ]
    planned += [
        _Planned(row["product_id"], _after(rng, row["created_at"]), webrtc_connection_id=row["id"])
        for row in _sample(rng, webrtc_connections, WEBRTC_TARGET_SHARE, MAX_WEBRTC_TARGETS)
        for _ in range(rng.choice(VERSIONS_PER_WEBRTC))
    ]
    if products:
        for _ in range(round(len(planned) * UNTARGETED_SHARE)):
            product = rng.choice(products)
            planned.append(_Planned(product["id"], _after(rng, product["created_at"])))
    planned.sort(key=lambda version: version.created_at)
    numbers: dict[str, int] = {}
    names = UniqueNames()
    versions = []
    for version in planned:
        number = numbers[version.product_id] = numbers.get(version.product_id, 0) + 1
        versions.append(
            {
                "id": f"version_{rng.getrandbits(96):024x}",
                "product_id": version.product_id,
                "name": names.claim(version.product_id, _name(rng, number, version.created_at)),
                "number": number,
                "description": (
                    None if rng.random() < NO_DESCRIPTION_SHARE else rng.choice(DESCRIPTIONS)
                ),
                "model_id": None if rng.random() < NO_MODEL_SHARE else rng.choice(models),
                "phone_connection_id": version.phone_connection_id,
                "webrtc_connection_id": version.webrtc_connection_id,
                "conversation_endpoint_connection_id": None,
                "created_at": version.created_at,
                "deleted_at": None,
            }
        )
    return versions


def _sample(
    rng: random.Random, rows: Sequence[sqlite3.Row], share: float, most: int
) -> list[sqlite3.Row]:
    """A share of `rows`, at most `most`, in their own order."""
    picked = sorted(rng.sample(range(len(rows)), min(most, round(len(rows) * share))))
    return [rows[index] for index in picked]


def _after(rng: random.Random, earliest_ms: int) -> int:
    """A time after `earliest_ms` and at least a day before the reference date, when it can be."""
    return earliest_ms + rng.randrange(max(1, REFERENCE_MS - DAY_MS - earliest_ms))


def _name(rng: random.Random, number: int, created_ms: int) -> str:
    if rng.random() < CANONICAL_NAME_SHARE:
        return f"v{number}"
    month = datetime.fromtimestamp(created_ms / 1000, UTC)
    return f"{rng.choice(RELEASE_NAMES)} ({month:%b %Y})"
