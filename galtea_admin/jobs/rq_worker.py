"""The worker of the "rq" jobs backend: `manage.py rqworker --job-class django_tasks_rq.Job
--worker-class galtea_admin.jobs.rq_worker.JobWorker` (settings.JOB_WORKER_ARGS).

rq runs each job in a work horse, a process forked for it, and when told to stop at once (a
second SIGTERM or Ctrl-C) kills the horse outright. This worker asks its horse first
(SIGTERM): the job then does what it does under `db_worker` when stopped (it waits a few
seconds for the requests under way, records them and marks itself interrupted, to be
resumed). A horse still there after HORSE_STOP_SECONDS is killed as rq kills it.
"""

from __future__ import annotations

import os
import signal
import time

from rq.worker import SHUTDOWN_SIGNAL, Worker

# Longer than a job waits for its requests under way (jobs/running.py), shorter than
# bin/with-workers waits for a worker after its second TERM.
HORSE_STOP_SECONDS = 8.0


def stop_now(signum, frame):
    raise SystemExit(f"Stopped by signal {signum}.")


class JobWorker(Worker):
    def setup_work_horse_signals(self):
        super().setup_work_horse_signals()
        signal.signal(signal.SIGTERM, stop_now)

    def kill_horse(self, sig: signal.Signals = SHUTDOWN_SIGNAL):
        if sig == signal.SIGKILL and self.horse_pid and self.horse_stops_when_asked():
            return
        super().kill_horse(sig)

    def horse_stops_when_asked(self) -> bool:
        """SIGTERM to the horse; whether it ended (and was reaped) within the grace time."""
        super().kill_horse(signal.SIGTERM)
        deadline = time.monotonic() + HORSE_STOP_SECONDS
        while time.monotonic() < deadline:
            try:
                ended, _ = os.waitpid(self.horse_pid, os.WNOHANG)
            except ChildProcessError:
                return True
            if ended:
                return True
            time.sleep(0.1)
        return False
