"""Timestamps: epoch milliseconds in storage, ISO 8601 UTC with milliseconds on the wire."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MILLISECOND = timedelta(milliseconds=1)


def format_timestamp(epoch_ms: int) -> str:
    """`2025-03-04T10:11:12.345Z` for the given epoch milliseconds."""
    moment = EPOCH + timedelta(milliseconds=epoch_ms)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def parse_timestamp(text: str) -> int | None:
    """Epoch milliseconds for an ISO 8601 date or date-time, or None when unparsable.

    A value without an offset is UTC; a date alone is midnight UTC. Sub-millisecond digits
    are dropped.
    """
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // ONE_MILLISECOND


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def format_optional_timestamp(epoch_ms: int | None) -> str | None:
    """`format_timestamp`, or None for a time not set (such as a live row's `deletedAt`)."""
    return None if epoch_ms is None else format_timestamp(epoch_ms)
