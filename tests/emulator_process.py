"""Start and stop the Galtea API emulator as a real process on a free loopback port."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_API_KEY = "gsk_test_emulator_key_0123456789"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningEmulator:
    """A running emulator: where it listens, its key, its files."""

    url: str
    api_key: str
    port: int
    data_path: Path
    request_log_path: Path
    process: subprocess.Popen
    args: list[str] = field(default_factory=list)
    api_generation: str = "documented"

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, headers=self.auth, timeout=10, **kwargs)

    def requests_received(self) -> list[dict]:
        """Every request the emulator has answered so far, oldest first."""
        if not self.request_log_path.exists():
            return []
        lines = self.request_log_path.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def clear_request_log(self) -> None:
        # The emulator appends (O_APPEND): after truncation it writes from the start again.
        self.request_log_path.write_text("")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def emulator_command(
    *,
    port: int,
    data_path: Path,
    seed: int,
    api_key: str,
    request_log_path: Path,
    latency_ms: int = 0,
    api_generation: str = "documented",
    recording_fault: str | None = None,
) -> list[str]:
    """The command line of `python -m emulator` on loopback, logging every request.

    `api_generation` is "documented" (voice, languageCode and the voices route) or
    "current" (without them); `recording_fault` "429" makes every recording transfer answer
    429 Too Many Requests.
    """
    args = [
        sys.executable,
        "-m",
        "emulator",
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
        "--data",
        str(data_path),
        "--seed",
        str(seed),
        "--api-key",
        api_key,
        "--request-log",
        str(request_log_path),
        "--api-generation",
        api_generation,
    ]
    if latency_ms:
        args += ["--latency-ms", str(latency_ms)]
    if recording_fault:
        args += ["--recording-fault", recording_fault]
    return args


def launch(args: list[str], log_path: Path) -> subprocess.Popen:
    """Start a child process in the repository, its output appended to `log_path`."""
    with log_path.open("ab") as log:
        return subprocess.Popen(args, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)


def start_emulator(
    directory: Path,
    *,
    seed: int = 0,
    api_key: str = TEST_API_KEY,
    latency_ms: int = 0,
    api_generation: str = "documented",
    recording_fault: str | None = None,
    port: int | None = None,
    data_path: Path | None = None,
    name: str | None = None,
    start: Callable[[list[str], Path], subprocess.Popen] = launch,
    wait_seconds: float = 60,
) -> RunningEmulator:
    """Start `python -m emulator` and wait until it answers.

    Its log and request log go to `directory`, named after `name` (by default the port);
    `start` starts the process, as `launch` does unless the caller needs more (its own
    process group, say).
    """
    port = port or free_port()
    name = name or str(port)
    data_path = data_path or directory / "emulator.sqlite3"
    request_log_path = directory / f"emulator-requests-{name}.jsonl"
    log_path = directory / f"emulator-{name}.log"
    args = emulator_command(
        port=port,
        data_path=data_path,
        seed=seed,
        api_key=api_key,
        request_log_path=request_log_path,
        latency_ms=latency_ms,
        api_generation=api_generation,
        recording_fault=recording_fault,
    )
    process = start(args, log_path)
    emulator = RunningEmulator(
        url=f"http://127.0.0.1:{port}",
        api_key=api_key,
        port=port,
        data_path=data_path,
        request_log_path=request_log_path,
        process=process,
        args=args,
        api_generation=api_generation,
    )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log_path.read_text(errors="replace")
            raise RuntimeError(f"the emulator exited with {process.returncode}:\n{output}")
        try:
            if emulator.get("/products").status_code == 200:
                emulator.clear_request_log()
                return emulator
        except requests.RequestException:
            pass
        time.sleep(0.1)
    emulator.stop()
    output = log_path.read_text(errors="replace")
    raise RuntimeError(f"the emulator did not answer within {wait_seconds:.0f} s:\n{output}")
