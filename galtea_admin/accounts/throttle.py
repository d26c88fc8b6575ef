"""Slow down password guessing: too many failed sign-ins lock that name (and that address)
out for a while. Counts live in Django's cache (shared between workers when the cache is)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(request, username: str) -> list[tuple[str, int]]:
    """(cache key, failure limit): per name and address, and per address alone."""
    address = request.META.get("REMOTE_ADDR", "")
    name = hashlib.sha256(f"{username.strip().casefold()}|{address}".encode()).hexdigest()
    place = hashlib.sha256(address.encode()).hexdigest()
    return [
        (f"sign-in-failures:name:{name}", settings.LOGIN_FAILURE_LIMIT),
        (f"sign-in-failures:address:{place}", settings.LOGIN_FAILURE_LIMIT * 4),
    ]


def is_locked_out(request, username: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, username))


def record_failure(request, username: str) -> None:
    for key, _ in _keys(request, username):
        if cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear_failures(request, username: str) -> None:
    cache.delete(_keys(request, username)[0][0])
