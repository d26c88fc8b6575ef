"""Servers that some tests start for themselves, from Debian's packages: PostgreSQL and
Redis, each on a free loopback port with its data in a throw-away folder. A missing package
is installed first (as `make test` installs Chromium), so a test never skips for want of one.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.emulator_process import free_port

IS_ROOT = os.geteuid() == 0
START_SECONDS = 30


def install_debian_package(package: str) -> None:
    sudo = [] if IS_ROOT else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-q"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", package], check=True, env=env)


def postgres_bin() -> Path:
    def newest() -> str | None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
        return found[-1] if found else None

    if newest() is None:
        install_debian_package("postgresql")
    return Path(newest())


def redis_server_command() -> str:
    if shutil.which("redis-server") is None:
        install_debian_package("redis-server")
    return shutil.which("redis-server")


def as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, its tools run as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *args] if IS_ROOT else args


@contextlib.contextmanager
def postgres_server(database: str = "galtea_admin") -> Iterator[str]:
    """A PostgreSQL server holding an empty `database`; yields its URL."""
    pg = postgres_bin()
    work = Path(tempfile.mkdtemp(prefix="galtea-admin-pg-", dir="/tmp"))
    if IS_ROOT:
        shutil.chown(work, "postgres")
    port = free_port()
    data = work / "data"

    def run(*args: str) -> None:
        subprocess.run(as_postgres(list(args)), check=True, capture_output=True, timeout=120)

    try:
        run(str(pg / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(str(pg / "pg_ctl"), "-D", str(data), "-l", str(work / "server.log"), "-w",
            "-o", options, "start")  # fmt: skip
        run(str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database)
        yield f"postgres://postgres@127.0.0.1:{port}/{database}"
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            run(str(pg / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A Redis server that keeps nothing on disk; yields its URL."""
    command = redis_server_command()
    work = Path(tempfile.mkdtemp(prefix="galtea-admin-redis-"))
    port = free_port()
    args = [command, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(work)]  # fmt: skip
    with (work / "redis.log").open("ab") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not port_open(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"redis-server did not start:\n{(work / 'redis.log').read_text()}"
                )
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if process.poll() is None:
            process.kill()
        shutil.rmtree(work, ignore_errors=True)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
