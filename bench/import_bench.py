"""The import scenario: a CSV of new phone connections uploaded, previewed and imported as a
job by a real worker (`manage.py db_worker`, as `make serve` starts one beside gunicorn).

Rows per second come from the job's own start and end (its row in the admin's database),
set against the limit the job's bounded concurrency allows: GALTEA_JOB_CONCURRENCY requests
on their way at once, each taking the API's latency, so at most concurrency ÷ latency rows
a second. The worker's peak memory (VmHWM, reset just before the job starts) is its whole
process's. Every connection imported is deleted again through the API afterwards.
"""

from __future__ import annotations

import csv
import io
import math
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import requests
from scenarios import BENCH_NAME_PREFIX, TIMEOUT, Context, Row, ms, verdict
from servers import PYTHON, REPO, Processes, memory_kib, reset_peak_memory

# Importing servers has put the repository on the path.
from galtea_admin.jobs.worker_commands import job_worker_args

CONCURRENCY = 4  # GALTEA_JOB_CONCURRENCY's default
# Rows imported at each added latency: the large file at +0 ms (where it takes a minute or
# so), the 1,000 rows of the throughput figure at +50 ms.
IMPORT_ROWS = {0: 10_000, 50: 1_000}
RSS_TARGET_MB = 150.0
# At +50 ms: rows/s at least this share of concurrency ÷ latency (77 % measured on a quiet
# 2-core machine, where the API itself allows 87 % of it).
RATE_SHARE_TARGET = 0.6
# Creates sent straight to the API, CONCURRENCY at a time: what the API itself allows.
DIRECT_ROWS = 200
NUMBERS = ("+14155552671", "+442079460958", "+34912345678", "+33142685300")
BATCH_DELETE = 100


def start_worker(processes: Processes, workdir: Path, env: dict[str, str], tag: str):
    """One `manage.py db_worker`, as bin/with-workers starts it."""
    args = [PYTHON, str(REPO / "manage.py"), *job_worker_args("database")]
    env = {**env, "GALTEA_JOB_CONCURRENCY": str(CONCURRENCY)}
    return processes.start(args, workdir / f"worker-{tag}.log", env=env)


def import_file(names: list[str], product: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Phone number", "Product", "Agent speaks first"])
    for n, name in enumerate(names):
        writer.writerow([name, NUMBERS[n % len(NUMBERS)], product, "no"])
    return out.getvalue().encode()


def read_job(database: Path, job_id: int) -> dict:
    with sqlite3.connect(database, timeout=30) as db:
        row = db.execute(
            "SELECT status, done_count, failed_count, skipped_count, started_at, finished_at, "
            "result FROM jobs_job WHERE id = ?",
            (job_id,),
        ).fetchone()
    keys = ("status", "done", "failed", "skipped", "started_at", "finished_at", "result")
    return dict(zip(keys, row, strict=True))


def moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def run_import(ctx: Context, *, worker: subprocess.Popen, database: Path, run_id: str) -> Row:
    rows = IMPORT_ROWS.get(ctx.latency_ms, 1_000)
    scenario = ctx.label(f"import of {rows:,} rows (a job, {CONCURRENCY} at a time)")
    limit = CONCURRENCY / (ctx.latency_ms / 1000) if ctx.latency_ms else math.inf
    target = f"peak RSS < {RSS_TARGET_MB:.0f} MB; every row created"
    if ctx.latency_ms:
        target = f"≥ {RATE_SHARE_TARGET:.0%} of concurrency ÷ latency; {target}"
    prefix = f"{BENCH_NAME_PREFIX} import {run_id}"
    direct = direct_rate(ctx, f"{prefix} direct")
    names = [f"{prefix} {n:05d}" for n in range(rows)]
    content = import_file(names, ctx.products[0]["name"])
    token = ctx.session.cookies["csrftoken"]
    try:
        started = time.perf_counter()
        answer = ctx.session.post(
            ctx.admin.url + "/phone-connections/import/",
            data={"csrfmiddlewaretoken": token},
            files={"file": ("bench.csv", content, "text/csv")},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if answer.status_code != 302:
            return Row(scenario, "—", "—", f"upload answered {answer.status_code}", target, "FAIL")
        preview_url = answer.headers["Location"]
        preview = ctx.admin_get(preview_url)
        previewed = time.perf_counter() - started
        if (
            f"Import {rows:,} rows" not in preview.text
            and f"Import {rows} rows" not in preview.text
        ):
            return Row(scenario, "—", "—", "the preview does not offer every row", target, "FAIL")

        baseline = memory_kib(worker.pid, "VmRSS") or 0
        peak_was_reset = reset_peak_memory(worker.pid)
        answer = ctx.session.post(
            ctx.admin.url + preview_url,
            data={"csrfmiddlewaretoken": token, "existing": "skip"},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        job_id = int(answer.headers["Location"].strip("/").rsplit("/", 1)[-1])
        deadline = time.monotonic() + 120 + rows / 20
        job = read_job(database, job_id)
        while job["status"] in ("queued", "running") and time.monotonic() < deadline:
            if worker.poll() is not None:
                break
            time.sleep(0.2)
            job = read_job(database, job_id)
        peak_mb = (memory_kib(worker.pid, "VmHWM") or 0) / 1024
    finally:
        deleted = delete_imported(ctx, prefix)
    begun, ended = moment(job["started_at"]), moment(job["finished_at"])
    seconds = (ended - begun).total_seconds() if begun and ended else math.nan
    rate = 0.0 if math.isnan(seconds) or seconds <= 0 else job["done"] / seconds
    share = rate / limit if limit != math.inf else math.nan
    ok = (
        job["status"] == "done"
        and job["done"] == rows
        and deleted == rows
        and peak_mb < RSS_TARGET_MB
        and (not ctx.latency_ms or share >= RATE_SHARE_TARGET)
    )
    against = (
        f" = {share:.0%} of the limit {limit:.0f} rows/s ({CONCURRENCY} ÷ {ctx.latency_ms} ms)"
        if ctx.latency_ms
        else ""
    )
    against += f", {rate / direct:.0%} of the API's own {direct:.0f} rows/s {CONCURRENCY} at a time"
    since = "" if peak_was_reset else ", peak since start"
    extra = (
        f"{job['done']:,} created, {rate:,.0f} rows/s{against}; upload + preview "
        f"{previewed:.1f} s; worker peak RSS {peak_mb:.0f} MB ({peak_mb - baseline / 1024:+.0f} "
        f"MB over its {baseline / 1024:.0f} MB before{since})"
    )
    if job["status"] != "done":
        extra += f"; the job ended {job['status']}: {job['result']}"
    return Row(scenario, ms(seconds * 1000), "—", extra, target, verdict(ok))


def direct_rate(ctx: Context, prefix: str) -> float:
    """Creates per second sent straight to the API, CONCURRENCY at a time (then deleted)."""
    sessions = [requests.Session() for _ in range(CONCURRENCY)]
    product = ctx.products[0]["id"]

    def create(n: int) -> None:
        body = {"name": f"{prefix} {n:05d}", "phoneNumber": NUMBERS[0], "productId": product}
        sessions[n % CONCURRENCY].post(
            f"{ctx.emulator.url}/phoneConnections",
            json=body,
            headers=ctx.emulator.auth,
            timeout=TIMEOUT,
        ).raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        list(pool.map(create, range(DIRECT_ROWS)))
    seconds = time.perf_counter() - started
    delete_imported(ctx, prefix)
    return DIRECT_ROWS / seconds


def delete_imported(ctx: Context, prefix: str) -> int:
    """Soft-delete every connection whose name holds `prefix`, a batch at a time; returns
    how many."""
    deleted = 0
    while True:
        answer = ctx.api_get(f"/phoneConnections?name={prefix.replace(' ', '%20')}&limit=1000")
        answer.raise_for_status()
        ids = [row["id"] for row in answer.json()]
        if not ids:
            return deleted
        for start in range(0, len(ids), BATCH_DELETE):
            ctx.api.delete(
                f"{ctx.emulator.url}/phoneConnections/batch",
                json={"ids": ids[start : start + BATCH_DELETE]},
                headers=ctx.emulator.auth,
                timeout=TIMEOUT,
            ).raise_for_status()
        deleted += len(ids)
