"""Start and stop the processes a benchmark run needs: the API emulator and the admin.

Every process is started in its own session (process group), so Ctrl-C in the terminal
reaches only the benchmark, which then stops each process it started, by its id: SIGTERM,
then SIGKILL to its group if it has not exited in time. The emulator and gunicorn are
started as the tests start them (`tests.emulator_process`, `tests.serving`), each only kept
track of here.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as `python bench/run.py`, only bench/ is on the path: add the repository after it.
if str(REPO) not in sys.path:
    sys.path.insert(1, str(REPO))
from tests import emulator_process, serving  # noqa: E402

BIN = Path(sys.executable).parent
PYTHON = str(BIN / "python")
STOP_SECONDS = 10
EMULATOR_READY_SECONDS = 180  # seeding an empty store with 100,000 rows takes a while


def tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Processes:
    """The processes started so far; `stop_all()` stops every one still running."""

    started: list[subprocess.Popen] = field(default_factory=list)

    def start(
        self,
        args: list[str],
        log_path: Path,
        *,
        env: dict[str, str] | None = None,
        cwd: Path = REPO,
    ) -> subprocess.Popen:
        process = serving.launch(args, log_path, env=env, cwd=cwd)
        self.started.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=STOP_SECONDS)
        # Whatever is left of its group (e.g. gunicorn workers of a killed master).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        if process.returncode is None:
            process.wait(timeout=STOP_SECONDS)
        if process in self.started:
            self.started.remove(process)

    def stop_all(self) -> None:
        for process in reversed(list(self.started)):
            self.stop(process)


def start_emulator(
    processes: Processes,
    workdir: Path,
    *,
    data: Path,
    seed: int,
    api_key: str,
    latency_ms: int,
) -> emulator_process.RunningEmulator:
    """The emulator on a free loopback port, its logs in `workdir`, its store `data`."""
    return emulator_process.start_emulator(
        workdir,
        seed=seed,
        api_key=api_key,
        latency_ms=latency_ms,
        data_path=data,
        name=f"{latency_ms}ms",
        start=processes.start,
        wait_seconds=EMULATOR_READY_SECONDS,
    )


def manage(args: list[str], *, env: dict[str, str], workdir: Path, repo: Path = REPO) -> None:
    """Run one `manage.py` command of `repo` with the admin's environment; raise with its
    output."""
    log_path = workdir / "manage.log"
    with log_path.open("ab") as log:
        result = subprocess.run(
            [PYTHON, str(repo / "manage.py"), *args],
            cwd=repo,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=180,
            check=False,
        )
    if result.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{tail(log_path)}")


# The admin as gunicorn serves it: its URL, its master process and its workers.
Admin = serving.RunningAdmin


def workers_cpu_seconds(admin: Admin) -> float:
    """User + system CPU time the admin's workers have used so far."""
    total = 0
    for pid in admin.worker_pids():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def start_admin(
    processes: Processes,
    workdir: Path,
    *,
    env: dict[str, str],
    workers: int,
    threads: int,
    tag: str,
    repo: Path = REPO,
) -> Admin:
    """gunicorn as `make serve` runs it (gthread workers) serving `repo`, on a free loopback
    port."""
    return serving.start_admin(
        workdir,
        env=env,
        workers=workers,
        threads=threads,
        name=f"gunicorn-{tag}",
        start=functools.partial(processes.start, cwd=repo),
    )


def memory_kib(pid: int, field_name: str) -> int | None:
    """A `/proc/<pid>/status` memory field (VmRSS, VmHWM) in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_memory(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux `clear_refs` 5); False when not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True
