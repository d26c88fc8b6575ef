"""gunicorn's hooks for the admin (`gunicorn -c python:galtea_admin.gunicorn_hooks`)."""

from __future__ import annotations

import gc


def post_worker_init(worker) -> None:
    """Once a worker has loaded the admin (and its URLs, so every view module), what it
    holds is kept out of the garbage collector's sweeps, which otherwise go through those
    long-lived objects again and again, at a cost to every page (bench/README.md)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view before the freeze
    gc.freeze()
