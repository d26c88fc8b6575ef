"""Start and stop the processes a benchmark run needs: the API emulator and the admin.

Every process is started in its own session (process group), so Ctrl-C in the terminal
reaches only the benchmark, which then stops each process it started, by its id: SIGTERM,
then SIGKILL to its group if it has not exited in time. The emulator is started as the
tests start it (`tests.emulator_process`), only in a process group of its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
# Run as `python bench/run.py`, only bench/ is on the path: add the repository after it.
if str(REPO) not in sys.path:
    sys.path.insert(1, str(REPO))
from tests import emulator_process  # noqa: E402

BIN = Path(sys.executable).parent
PYTHON = str(BIN / "python")
GUNICORN = str(BIN / "gunicorn")
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
        self, args: list[str], log_path: Path, *, env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                args,
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
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


def wait_until(
    process: subprocess.Popen,
    ready: Callable[[], bool],
    *,
    log_path: Path,
    seconds: float,
    what: str,
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}:\n{tail(log_path)}")
        try:
            if ready():
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} was not ready within {seconds:.0f} s:\n{tail(log_path)}")


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


def manage(args: list[str], *, env: dict[str, str], workdir: Path) -> None:
    """Run one `manage.py` command with the admin's environment; raise with its output."""
    log_path = workdir / "manage.log"
    with log_path.open("ab") as log:
        result = subprocess.run(
            [PYTHON, str(REPO / "manage.py"), *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=180,
            check=False,
        )
    if result.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{tail(log_path)}")


@dataclass
class Admin:
    url: str
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the processes whose parent is the master."""
        workers = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'.
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid:
                workers.append(int(entry.name))
        return sorted(workers)

    def workers_cpu_seconds(self) -> float:
        """User + system CPU time the workers have used so far."""
        total = 0
        for pid in self.worker_pids():
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
) -> Admin:
    """gunicorn as `make serve` runs it (gthread workers), on a free loopback port."""
    port = emulator_process.free_port()
    args = [
        GUNICORN,
        "galtea_admin.wsgi",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    log_path = workdir / f"gunicorn-{tag}.log"
    process = processes.start(args, log_path, env=env)
    admin = Admin(f"http://127.0.0.1:{port}", process)

    def ready() -> bool:
        if len(admin.worker_pids()) < workers:
            return False
        answer = requests.get(f"{admin.url}/accounts/login/", timeout=5)
        return answer.status_code == 200

    wait_until(process, ready, log_path=log_path, seconds=60, what="The admin (gunicorn)")
    return admin


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
