"""Short-lived caching of lookups (products, voices) through Django's cache framework."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")


def cached_lookup(name: str, scope: str, compute: Callable[[], T], seconds: int | None = None) -> T:
    """`compute()`'s result, cached per API and key for `seconds` (by default
    GALTEA_LOOKUP_CACHE_SECONDS)."""
    digest = hashlib.sha256(scope.encode()).hexdigest()[:16]
    key = f"galtea:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.GALTEA_LOOKUP_CACHE_SECONDS if seconds is None else seconds)
    return value
