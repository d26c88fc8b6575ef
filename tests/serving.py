"""Run the admin as `make serve` does (gunicorn, gthread workers, DEBUG off) on a free
loopback port, for the tests that need several processes (workers, instances).

Each request a test sends may carry a marker in its query string; the access log names the
worker (its pid) that answered it, so a test can tell which process answered what.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.emulator_process import REPO_ROOT, RunningEmulator, free_port

BIN = Path(sys.executable).parent
# One line per request: the worker's pid, then the request line.
ACCESS_LOG_FORMAT = '%(p)s "%(r)s" %(s)s'
ACCESS_LINE = re.compile(r'^<(?P<pid>\d+)> "(?P<request>[^"]*)" (?P<status>\d+)$')
STOP_SECONDS = 10


def admin_environment(
    directory: Path, *, emulator: RunningEmulator, database_url: str | None = None, **extra: str
) -> dict[str, str]:
    """The production environment of `make serve`, over plain HTTP on loopback: DEBUG off,
    a test secret key, the emulator as Galtea, a database of the test's own (by default a
    SQLite file in `directory`). Settings of the caller's own environment are left out."""
    own = ("DJANGO_", "GALTEA_", "LOGIN_", "DATABASE_URL", "CACHE_URL", "REDIS_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    env.update(
        DJANGO_SETTINGS_MODULE="galtea_admin.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="test-only-" + secrets.token_urlsafe(40),
        DJANGO_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        GALTEA_API_URL=emulator.url,
        GALTEA_API_KEY=emulator.api_key,
        DATABASE_URL=database_url or f"sqlite:///{directory / 'admin.sqlite3'}",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    """Run `manage.py ARGS` with `env`; its output, or an error that shows it."""
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# What `make serve` does before gunicorn, then superusers: in one process, to start quicker.
PREPARE = """
import os
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
for name in filter(None, os.environ["TEST_USERNAMES"].split(",")):
    get_user_model().objects.create_superuser(name, f"{name}@example.com",
                                              os.environ["TEST_PASSWORD"])
"""


def prepare(env: dict[str, str], *, users: list[str] = (), password: str = "") -> None:
    """Migrate, collect the static files and create the superusers `users`."""
    manage(
        {**env, "TEST_USERNAMES": ",".join(users), "TEST_PASSWORD": password},
        "shell",
        "-c",
        PREPARE,
    )


@dataclass
class RunningAdmin:
    url: str
    process: subprocess.Popen
    log_path: Path
    access_log_path: Path
    workers: int

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the processes whose parent is the master."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'.
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return sorted(pids)

    def answered_by(self, marker: str, *, wait_seconds: float = 5) -> int:
        """The pid of the worker that answered the request whose URL holds `marker`."""
        deadline = time.monotonic() + wait_seconds
        while True:
            text = self.access_log_path.read_text() if self.access_log_path.exists() else ""
            for line in text.splitlines():
                found = ACCESS_LINE.match(line)
                if found and marker in found["request"]:
                    return int(found["pid"])
            if time.monotonic() > deadline:
                raise AssertionError(f"no request with {marker!r} in the access log:\n{text}")
            time.sleep(0.02)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stop the master (quick shutdown), then whatever is left of its process group."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_SECONDS)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.returncode is None:
            self.process.wait(timeout=STOP_SECONDS)


def launch(
    args: list[str],
    log_path: Path,
    *,
    env: dict[str, str] | None = None,
    cwd: Path = REPO_ROOT,
) -> subprocess.Popen:
    """Start a child process in the repository (or `cwd`), in a process group of its own (so
    that whatever it leaves can be stopped with it), its output appended to `log_path`."""
    with log_path.open("ab") as log:
        return subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def start_admin(
    directory: Path,
    *,
    env: dict[str, str],
    workers: int = 2,
    threads: int = 4,
    name: str = "admin",
    wait_seconds: float = 60,
    start: Callable[..., subprocess.Popen] = launch,
) -> RunningAdmin:
    """gunicorn as `make serve` starts it, without the control socket (shared by every
    gunicorn of the machine otherwise); its output goes to `directory`/NAME.log, its access
    log (with the worker's pid) to NAME-access.log. `start` starts the process, as `launch`
    does unless the caller needs more (to keep track of it, say)."""
    port = free_port()
    log_path = directory / f"{name}.log"
    access_log_path = directory / f"{name}-access.log"
    args = [
        str(BIN / "gunicorn"),
        "galtea_admin.wsgi",
        "--config",
        "python:galtea_admin.gunicorn_hooks",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--no-control-socket",
        "--graceful-timeout",
        "5",
        "--keep-alive",
        "30",
        "--access-logfile",
        str(access_log_path),
        "--access-logformat",
        ACCESS_LOG_FORMAT,
    ]
    process = start(args, log_path, env=env)
    admin = RunningAdmin(f"http://127.0.0.1:{port}", process, log_path, access_log_path, workers)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{admin.log()}")
        if len(admin.worker_pids()) >= workers:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{admin.url}/accounts/login/", timeout=5).status_code == 200:
                    return admin
        time.sleep(0.1)
    admin.stop()
    raise RuntimeError(f"gunicorn did not answer within {wait_seconds:.0f} s:\n{admin.log()}")
