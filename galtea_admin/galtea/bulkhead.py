"""A bulkhead between page views and Galtea: a slow Galtea cannot take every thread.

Inside a page view, at most GALTEA_PAGE_SLOTS requests of one process wait on Galtea at
once. A request that finds every slot taken waits GALTEA_PAGE_SLOT_WAIT seconds at most,
then fails fast (GalteaSaturated, nothing sent), so that its thread is soon free again for
pages that need nothing from Galtea (sign-in, activity, jobs). A slot is held only while a
request is on its way, not while the page is drawn. Calls made outside a page view (jobs,
an export's rows) take no slot.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from galtea_admin.galtea.errors import GalteaSaturated


@dataclass(frozen=True)
class Bulkhead:
    slots: threading.BoundedSemaphore
    wait: float


_current: contextvars.ContextVar[Bulkhead | None] = contextvars.ContextVar(
    "galtea_bulkhead", default=None
)
_semaphores: dict[int, threading.BoundedSemaphore] = {}
_semaphores_lock = threading.Lock()


def _slots(size: int) -> threading.BoundedSemaphore:
    """One semaphore per process (per size, so that a changed setting takes effect)."""
    with _semaphores_lock:
        if size not in _semaphores:
            _semaphores[size] = threading.BoundedSemaphore(size)
        return _semaphores[size]


@contextlib.contextmanager
def page_bulkhead(*, size: int, wait: float) -> Iterator[None]:
    """Galtea requests sent inside share the process's `size` slots."""
    token = _current.set(Bulkhead(_slots(size), wait))
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def upstream_slot() -> Iterator[None]:
    """Held while one request (with its retries) is on its way to Galtea."""
    bulkhead = _current.get()
    if bulkhead is None:
        yield
        return
    if not bulkhead.slots.acquire(timeout=bulkhead.wait):
        raise GalteaSaturated(
            "Galtea is answering slowly, and this admin is already waiting on it for as many"
            " requests as it allows. Nothing was sent. Try again in a moment.",
            may_have_arrived=False,
        )
    try:
        yield
    finally:
        bulkhead.slots.release()
