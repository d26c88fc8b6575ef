"""Seeded sessions: the calls made for each targeted version over the weeks before the
reference date, in every status.

Completed calls stop for a realistic reason; failed ones carry the telephony or agent error.
A telephony session that got through usually has a recording; a pending one never does.
Sessions come from a random generator of their own, seeded from the number of versions.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence

from emulator.recording_uris import recording_uri
from emulator.seed.organization import HOUR_MS, ORGANIZATION_ID, REFERENCE_MS, USER_IDS

RNG_SEED = "galtea-emulator-sessions-{count}"
VERSION_COLUMNS = ("id", "product_id", "phone_connection_id", "webrtc_connection_id", "created_at")
MAX_SESSIONS_PER_VERSION = 10
RECENT_MS = 42 * 24 * HOUR_MS
# A pending session is one still running or waiting to be scored: a recent one.
PENDING_MS = 36 * HOUR_MS
# Nothing is made in the last minute before the reference date.
LAST_MINUTE_MS = 60_000
STATUSES = ("COMPLETED", "FAILED", "PENDING")
STATUS_WEIGHTS = (70, 18, 12)
STOPPING_REASONS = (
    "Conversation completed",
    "Conversation completed",
    "Conversation completed",
    "Max turns reached",
    "Caller hung up",
    "Agent ended the call",
    "Goal reached",
)
# (error, whether the call got through, so that it may have been recorded)
FAILURES = (
    ("SIP 486 Busy Here", False),
    ("No answer after 30 s", False),
    ("SIP 503 Service Unavailable", False),
    ("Agent did not answer", True),
    ("Agent did not answer", True),
    ("Call dropped after 14 s", True),
    ("Agent stopped responding mid-call", True),
    ("Audio stream timed out", True),
)
COMPLETED_RECORDED_SHARE = 0.92
FAILED_RECORDED_SHARE = 0.85
PRODUCTION_SHARE = 0.15
TEST_CASES_PER_PRODUCT = 12
RUNS_PER_VERSION = (1, 3)


def seed_sessions(versions: Sequence[sqlite3.Row]) -> list[dict]:
    """Sessions of these live versions (oldest first), identical for identical versions,
    oldest first. Versions without a phone or WebRTC target get none."""
    rng = random.Random(RNG_SEED.format(count=len(versions)))
    test_cases: dict[str, list[str]] = {}
    sessions = []
    for version in versions:
        if version["phone_connection_id"] is None and version["webrtc_connection_id"] is None:
            continue
        product_id = version["product_id"]
        cases = test_cases.setdefault(
            product_id,
            [f"testCase_{rng.getrandbits(96):024x}" for _ in range(TEST_CASES_PER_PRODUCT)],
        )
        runs = [f"run_{rng.getrandbits(96):024x}" for _ in range(rng.randint(*RUNS_PER_VERSION))]
        telephony = version["phone_connection_id"] is not None
        for _ in range(rng.randint(0, MAX_SESSIONS_PER_VERSION)):
            session = _session(rng, version, telephony)
            production = rng.random() < PRODUCTION_SHARE
            sessions.append(
                {
                    **session,
                    "product_id": product_id,
                    "test_case_id": None if production else rng.choice(cases),
                    "custom_id": _call_sid(rng) if production and telephony else None,
                    "user_id": None if production else rng.choice(USER_IDS),
                    "run_id": None if production else rng.choice(runs),
                    "is_production": production,
                    "deleted_at": None,
                }
            )
    sessions.sort(key=lambda session: session["created_at"])
    return sessions


def _session(rng: random.Random, version: sqlite3.Row, telephony: bool) -> dict:
    """A session's id, time, status and outcome."""
    session_id = f"session_{rng.getrandbits(96):024x}"
    status = rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]
    recent = PENDING_MS if status == "PENDING" else RECENT_MS
    start = max(version["created_at"] + LAST_MINUTE_MS, REFERENCE_MS - recent)
    created_at = start + rng.randrange(max(1, REFERENCE_MS - LAST_MINUTE_MS - start))
    stopping_reason = error = None
    recorded = False
    if status == "COMPLETED":
        stopping_reason = rng.choice(STOPPING_REASONS)
        recorded = rng.random() < COMPLETED_RECORDED_SHARE
    elif status == "FAILED":
        error, connected = rng.choice(FAILURES)
        recorded = connected and rng.random() < FAILED_RECORDED_SHARE
    return {
        "id": session_id,
        "version_id": version["id"],
        "status": status,
        "stopping_reason": stopping_reason,
        "error": error,
        "recording_uri": (
            recording_uri(ORGANIZATION_ID, session_id) if recorded and telephony else None
        ),
        "created_at": created_at,
    }


def _call_sid(rng: random.Random) -> str:
    """The telephony provider's id of the call, which production traffic sends as customId."""
    return f"CA{rng.getrandbits(128):032x}"
