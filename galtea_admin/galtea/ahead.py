"""Galtea requests sent ahead: started on a second thread, so that the caller can get on with
its own work (drawing the page around a list's rows) while the API answers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

# A thread per request being waited on at once (a sync worker waits on one at a time). The
# threads live as long as the process, and each keeps its own keep-alive connection to the
# API, since the client holds one session per thread.
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="galtea-ahead")
# How long the caller waits for a thread to take the call up; when none has (all busy with
# other requests), the caller makes the call itself rather than queue behind them.
PICK_UP_SECONDS = 0.05


def send_ahead(call: Callable, /, *args, **kwargs) -> Future:
    """Start `call(*args, **kwargs)` on a second thread; its answer, or the error it raised,
    is read from the returned future.

    The caller waits until the thread has started, which hands the interpreter to that
    thread until it first blocks on the network. On a kept-alive connection that is once
    the request has been sent; otherwise the caller's own work (drawing a page, which never
    waits on anything) would keep the interpreter for Python's switch interval (5 ms)
    before the request even left. A new connection (a thread's first request, or after
    the API closed an idle one) blocks earlier, on connecting: that request may then leave
    only once the caller's work lets it, which is no later than without a second thread.
    """
    started = threading.Event()

    def run():
        started.set()
        return call(*args, **kwargs)

    future = _POOL.submit(run)
    if not started.wait(PICK_UP_SECONDS) and future.cancel():
        future = Future()  # every thread is busy: called here and now instead
        try:
            future.set_result(call(*args, **kwargs))
        except Exception as error:  # handed over as the future's error, as a thread's is
            future.set_exception(error)
    return future
