"""The admin as it runs for real, for the tests that need a real worker: a file SQLite
database, the admin (`manage.py runserver`) and its workers (`manage.py db_worker`) as
processes of their own, sharing that database, against an emulator.

The tests drive the admin over HTTP (a signed-in `requests` session, or a browser) and read
the database file directly for what no page shows (every item's state).
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from galtea_admin.jobs.worker_commands import job_worker_args
from tests.emulator_process import REPO_ROOT, RunningEmulator, free_port
from tests.jobs.pages import JOB_PATH, LEAVE, JobPage, job_url

PASSWORD = "a-long-worker-test-password"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A language no seeded row has: setting it on seeded rows PATCHes every one.
LANGUAGE = "eu-ES"


def migrated_database(directory: Path) -> Path:
    """A database file with every migration applied (copied for each stack)."""
    path = directory / "template.sqlite3"
    run_manage(["migrate", "--noinput"], environment(path))
    return path


def environment(database: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "true",
        "JOBS_BACKEND": "database",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def run_manage(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@dataclass
class Stack:
    directory: Path
    database: Path
    emulator: RunningEmulator
    settings: dict[str, str] = field(default_factory=dict)
    admin: subprocess.Popen | None = None
    admin_url: str = ""
    workers: list[subprocess.Popen] = field(default_factory=list)

    @classmethod
    def create(cls, directory: Path, template: Path, emulator: RunningEmulator, **settings):
        database = directory / "admin.sqlite3"
        shutil.copy(template, database)
        return cls(directory, database, emulator, {k: str(v) for k, v in settings.items()})

    @property
    def env(self) -> dict[str, str]:
        return environment(
            self.database,
            GALTEA_API_URL=self.emulator.url,
            GALTEA_API_KEY=self.emulator.api_key,
            **self.settings,
        )

    def launch(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (self.directory / f"{name}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def log(self, name: str) -> str:
        path = self.directory / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- processes
    def start_admin(self) -> str:
        port = free_port()
        self.admin = self.launch("admin", ["runserver", f"127.0.0.1:{port}", "--noreload"])
        self.admin_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.admin.poll() is None, self.log("admin")
            try:
                if requests.get(self.admin_url + "/accounts/login/", timeout=5).ok:
                    return self.admin_url
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError("the admin did not start:\n" + self.log("admin"))

    def start_worker(self, args: list[str] | None = None) -> subprocess.Popen:
        """A `db_worker`, or the worker `args` say (`manage.py` ARGS: another backend's)."""
        name = f"worker-{len(self.workers) + 1}"
        # Polling more often than by default keeps the tests short.
        worker = self.launch(name, args or job_worker_args("database", "--interval", "0.2"))
        self.workers.append(worker)
        return worker

    def stop_workers(self) -> None:
        self.stop(self.workers)

    def stop(self, processes=None) -> None:
        for process in [*self.workers, self.admin] if processes is None else processes:
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)

    # --- people
    def add_user(self, username: str, role: str) -> None:
        code = (
            "from django.contrib.auth.models import Group, User\n"
            "from galtea_admin.accounts.roles import ensure_roles\n"
            "ensure_roles()\n"
            f"user = User.objects.create_user({username!r}, password={PASSWORD!r})\n"
            f"user.groups.add(Group.objects.get(name={role!r}))\n"
        )
        run_manage(["shell", "-c", code], self.env)

    def sign_in(self, username: str) -> requests.Session:
        session = requests.Session()
        login = session.get(self.admin_url + "/accounts/login/", timeout=10)
        token = CSRF_INPUT.search(login.text).group(1)
        answer = session.post(
            self.admin_url + "/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 302, answer.text[:2000]
        return session

    def post(self, session: requests.Session, path: str, data: dict) -> requests.Response:
        token = session.cookies["csrftoken"]
        return session.post(
            self.admin_url + path,
            data={**data, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )

    def job_page(self, session: requests.Session, job_id: int) -> JobPage:
        return JobPage(session.get(self.admin_url + job_url(job_id), timeout=10))

    def start_language_edit(self, session: requests.Session, ids: list[str]) -> int:
        """Press "Yes, edit N" setting LANGUAGE on `ids`: the job's id."""
        answer = self.post(
            session,
            "/phone-connections/bulk-edit/",
            {
                "ids": ids,
                "step": "start",
                "agent_speaks_first": LEAVE,
                "voice": LEAVE,
                "language_code": LANGUAGE,
            },
        )
        assert answer.status_code == 302, answer.text[:2000]
        return int(JOB_PATH.fullmatch(answer.headers["Location"]).group(1))

    # --- the database, read directly
    def query(self, sql: str, *params) -> list[tuple]:
        for _ in range(50):
            try:
                with sqlite3.connect(self.database, timeout=5) as db:
                    return db.execute(sql, params).fetchall()
            except sqlite3.OperationalError as error:  # a writer holds it a moment
                if "locked" not in str(error):
                    raise
                time.sleep(0.05)
        raise AssertionError("the database stayed locked")

    def job(self, job_id: int) -> dict:
        columns = ("status", "done_count", "failed_count", "skipped_count", "result", "attempt")
        row = self.query(
            "SELECT status, done_count, failed_count, skipped_count, result, attempt "
            "FROM jobs_job WHERE id = ?",
            job_id,
        )[0]
        return dict(zip(columns, row, strict=True))

    def items(self, job_id: int, status: str) -> set[str]:
        rows = self.query(
            "SELECT key FROM jobs_jobitem WHERE job_id = ? AND status = ?", job_id, status
        )
        return {key for (key,) in rows}

    def wait_for(self, job_id: int, predicate, seconds: float = 60) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if predicate(job):
                return job
            time.sleep(0.05)
        logs = "\n".join(self.log(f"worker-{n + 1}") for n in range(len(self.workers)))
        raise AssertionError(f"job {job_id} stayed {self.job(job_id)}:\n{logs[-5000:]}")


# --- what the emulator holds and was sent, for a LANGUAGE edit of seeded rows
def seeded_ids(emulator: RunningEmulator, offset: int, count: int) -> list[str]:
    """The ids of `count` seeded connections from `offset`, none of them in LANGUAGE."""
    rows = emulator.get("/phoneConnections", params={"offset": offset, "limit": count}).json()
    assert len(rows) == count
    assert all(row["languageCode"] != LANGUAGE for row in rows)
    return [row["id"] for row in rows]


def with_language(emulator: RunningEmulator, ids: list[str]) -> set[str]:
    """Those of `ids` in LANGUAGE now."""
    rows = emulator.get("/phoneConnections", params={"ids[]": ids, "limit": len(ids)}).json()
    return {row["id"] for row in rows if row["languageCode"] == LANGUAGE}


def patches_per_row(emulator: RunningEmulator, ids: list[str]) -> collections.Counter:
    """How many PATCHes the emulator received for each of `ids` (those it received any for)."""
    wanted = {f"/phoneConnections/{row_id}" for row_id in ids}
    return collections.Counter(
        r["path"]
        for r in emulator.requests_received()
        if r["method"] == "PATCH" and r["path"] in wanted
    )


def check_left_as_interrupted(stack: Stack, session, job_id: int, emulator, ids, at_least: int):
    """A language edit whose worker was killed: once its silence is long enough, the job is
    interrupted with exactly what was done, and Resume is offered."""
    assert stack.job(job_id)["status"] == "running"  # as the dead worker left it
    time.sleep(2.5)  # JOB_STALE_SECONDS without a sign of life
    page = stack.job_page(session, job_id)
    assert page.state == "Interrupted"
    done, under_way = stack.items(job_id, "done"), stack.items(job_id, "sending")
    changed = with_language(emulator, ids)
    assert len(done) >= at_least
    assert done <= changed <= done | under_way  # exactly what was done, and what may have been
    assert len(under_way) <= 2  # at most the requests that were on their way
    assert page.result.startswith(f"The worker running it stopped: {len(done)} changed")
    assert "Resume" in page.buttons()


def check_resumed_with_no_row_done_twice(stack: Stack, session, job_id: int, emulator, ids, start):
    """Resume it, with a new worker (`start()`): every row changed once, recorded once."""
    answer = stack.post(session, f"/jobs/{job_id}/resume/", {})
    assert answer.status_code == 302
    start()
    finished = stack.wait_for(job_id, lambda job: job["status"] not in ("queued", "running"))

    assert finished["status"] == "done", finished
    assert finished["result"] == f"{len(ids)} changed."
    assert finished["attempt"] == 2
    assert with_language(emulator, ids) == set(ids)
    assert sorted(patches_per_row(emulator, ids).values()) == [1] * len(ids)  # none twice
    every = stack.query(
        "SELECT object_id, COUNT(*) FROM audit_changerecord WHERE action = 'update' "
        "GROUP BY object_id"
    )
    recorded = [(row_id, count) for row_id, count in every if row_id in set(ids)]
    assert {row_id for row_id, _ in recorded} == set(ids)
    assert {count for _, count in recorded} == {1}
