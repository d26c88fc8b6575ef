"""gunicorn's hooks: a worker that has loaded the admin keeps what it holds out of the
garbage collector's sweeps."""

from __future__ import annotations

import gc

from galtea_admin.gunicorn_hooks import post_worker_init


def test_a_started_worker_freezes_what_it_has_loaded():
    assert gc.get_freeze_count() == 0
    try:
        post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
