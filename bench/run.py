"""Galtea Admin benchmark: `.venv/bin/python bench/run.py [--quick]`.

Starts the API emulator (100,000 seeded phone connections, kept in
var/bench-emulator.sqlite3) and the admin under gunicorn, drives both over loopback, and
prints one markdown table (also written to bench/results.md). The whole run is done twice:
with the emulator answering at once, and with 50 ms of latency per request, like the real
API. Every process it starts is stopped at the end, on Ctrl-C and on errors too.
See bench/README.md for what each scenario measures.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import requests
from import_bench import run_import, start_worker
from scenarios import (
    Context,
    Row,
    Sizes,
    delete_connections,
    delete_leftovers,
    list_scenarios,
    run_create_and_edit,
    run_detail,
    run_export,
    run_list_scenarios,
    run_load,
    run_slow_upstream,
    sign_in,
)
from servers import PYTHON, REPO, Processes, manage, start_admin, start_emulator

# Importable once `servers` has put the repository on the path.
from tests import serving

SEEDED_ROWS = 100_000
EMULATOR_STORE = REPO / "var" / "bench-emulator.sqlite3"
RESULTS = Path(__file__).resolve().parent / "results.md"
LATENCIES_MS = (0, 50)
SLOW_LATENCY_MS = 2000  # a bad day: Galtea answers every request in 2 s
WORKERS = 2
THREADS = 8  # make serve's default
USERNAME = "bench-manager"

FULL = Sizes(
    list_samples=40,
    count_views=10,
    warmup=8,
    detail_samples=30,
    write_samples=15,
    load_requests={8: 200, 32: 320},
    slow_seconds=15,
)
QUICK = Sizes(
    list_samples=12,
    count_views=5,
    warmup=6,
    detail_samples=10,
    write_samples=5,
    load_requests={8: 64, 32: 96},
    slow_seconds=6,
)


def random_text(length: int) -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def admin_database(workdir: Path) -> Path:
    return workdir / "bench.sqlite3"


def admin_environment(workdir: Path, emulator: serving.RunningEmulator) -> dict[str, str]:
    """The production environment the tests serve the admin with (`tests.serving`), on the
    benchmark's database."""
    database_url = f"sqlite:///{admin_database(workdir)}"
    return serving.admin_environment(workdir, emulator=emulator, database_url=database_url)


CREATE_USER = """
import os
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
user, _ = get_user_model().objects.get_or_create(username=os.environ["BENCH_USERNAME"])
user.set_password(os.environ["BENCH_PASSWORD"])
user.save()
user.groups.set([Group.objects.get(name="Manager")])
"""


def prepare_admin(env: dict[str, str], workdir: Path, password: str, repo: Path = REPO) -> None:
    manage(["migrate", "--noinput", "-v0"], env=env, workdir=workdir, repo=repo)
    manage(["collectstatic", "--noinput", "-v0"], env=env, workdir=workdir, repo=repo)
    user_env = {**env, "BENCH_USERNAME": USERNAME, "BENCH_PASSWORD": password}
    manage(["shell", "-c", CREATE_USER], env=user_env, workdir=workdir, repo=repo)


def check_row_count(ctx: Context) -> str | None:
    """A warning when the store does not hold exactly the seeded number of live rows."""
    answer = ctx.api_get(f"/phoneConnections?offset={SEEDED_ROWS - 1}&limit=2")
    answer.raise_for_status()
    if len(answer.json()) != 1:
        return (
            f"the emulator store {EMULATOR_STORE.name} does not hold exactly "
            f"{SEEDED_ROWS:,} live phone connections: delete it to seed it again"
        )
    return None


def run_with_latency(
    processes: Processes,
    workdir: Path,
    *,
    latency_ms: int,
    sizes: Sizes,
    password: str,
    prepared: list[bool],
    notes: list[str],
) -> list[Row]:
    api_key = "gsk_bench_" + secrets.token_hex(12)
    print(f"\n== API latency +{latency_ms} ms: starting the emulator …", flush=True)
    emulator = start_emulator(
        processes,
        workdir,
        data=EMULATOR_STORE,
        seed=SEEDED_ROWS,
        api_key=api_key,
        latency_ms=latency_ms,
    )
    env = admin_environment(workdir, emulator)
    if not prepared[0]:
        print("   migrate, collectstatic, bench user …", flush=True)
        prepare_admin(env, workdir, password)
        prepared[0] = True
    print(f"   starting gunicorn ({WORKERS} workers × {THREADS} threads) …", flush=True)
    admin = start_admin(
        processes, workdir, env=env, workers=WORKERS, threads=THREADS, tag=f"{latency_ms}ms"
    )
    session = sign_in(admin.url, USERNAME, password)
    api = requests.Session()
    products = api.get(f"{emulator.url}/products", headers=emulator.auth, timeout=30).json()
    ctx = Context(admin, emulator, session, sizes, latency_ms, SEEDED_ROWS, products, api)

    leftovers = delete_leftovers(ctx)
    if leftovers:
        print(f"   deleted {leftovers} connections left by an interrupted run", flush=True)
    warning = check_row_count(ctx)
    if warning and warning not in notes:
        notes.append(warning)
        print(f"   warning: {warning}", flush=True)

    rows: list[Row] = []

    def step(what: str, new_rows: list[Row]) -> None:
        rows.extend(new_rows)
        for row in new_rows:
            print(f"   {row.scenario}: p50 {row.median}, p95 {row.p95}; {row.extra} [{row.result}]")
        sys.stdout.flush()

    print("   list pages: warming up, counting upstream requests, then timing …", flush=True)
    step("list pages", run_list_scenarios(ctx, list_scenarios(ctx)))
    step("detail", run_detail(ctx))
    created: list[str] = []
    try:
        write_rows, created = run_create_and_edit(ctx, secrets.token_hex(4))
        step("create/edit", write_rows)
    finally:
        delete_connections(ctx, created)
    for clients, total in sizes.load_requests.items():
        step("load", [run_load(ctx, clients, total)])
    step("export", [run_export(ctx)])
    worker = start_worker(processes, workdir, env, tag=f"{latency_ms}ms")
    try:
        database = admin_database(workdir)
        step("import", [run_import(ctx, worker=worker, database=database, run_id=random_text(8))])
    finally:
        processes.stop(worker)

    processes.stop(admin.process)
    processes.stop(emulator.process)
    return rows


def run_slow_galtea(
    processes: Processes, workdir: Path, *, sizes: Sizes, password: str
) -> list[Row]:
    """Galtea answering in 2 s: the sign-in page with the bulkhead on, then off."""
    api_key = "gsk_bench_" + secrets.token_hex(12)
    print(f"\n== API latency +{SLOW_LATENCY_MS} ms: starting the emulator …", flush=True)
    emulator = start_emulator(
        processes,
        workdir,
        data=EMULATOR_STORE,
        seed=SEEDED_ROWS,
        api_key=api_key,
        latency_ms=SLOW_LATENCY_MS,
    )
    rows: list[Row] = []
    # "off": more slots than threads, so that nothing is ever refused.
    for bulkhead, slots in (("on", None), ("off", "1000")):
        env = admin_environment(workdir, emulator)
        if slots:
            env["GALTEA_PAGE_SLOTS"] = slots
        admin = start_admin(
            processes, workdir, env=env, workers=WORKERS, threads=THREADS, tag=f"slow-{bulkhead}"
        )
        session = sign_in(admin.url, USERNAME, password)
        ctx = Context(admin, emulator, session, sizes, SLOW_LATENCY_MS, SEEDED_ROWS, [])
        row = run_slow_upstream(ctx, bulkhead=bulkhead)
        print(f"   {row.scenario}: p50 {row.median}, p95 {row.p95}; {row.extra} [{row.result}]")
        rows.append(row)
        processes.stop(admin.process)
    processes.stop(emulator.process)
    return rows


def load_average() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def machine_header(quick: bool, notes: list[str], loads: tuple[str, str]) -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    commit = git(["rev-parse", "--short", "HEAD"]) or "unknown"
    # The results of an earlier run are not a change to what is measured.
    dirty = git(["status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results.md"])
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Galtea Admin benchmark",
        "",
        f"- Date: {now}",
        f"- Machine: {os.cpu_count()} cores, {memory} RAM, {cpu}; {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()}; commit {commit}"
        + (" with uncommitted changes" if dirty else ""),
        f"- Admin: gunicorn, {WORKERS} workers × {THREADS} threads (gthread, as `make serve`), "
        "DEBUG off; API: the emulator "
        f"(waitress, 8 threads) with {SEEDED_ROWS:,} phone connections, answering at once "
        "and with +50 ms per request; client, admin and emulator share the machine",
        f"- Load average (1 / 5 / 15 min) at the start {loads[0]}, at the end {loads[1]}",
        f"- Mode: {'quick (fewer samples)' if quick else 'full'}; run with "
        f"`.venv/bin/python bench/run.py{' --quick' if quick else ''}`",
    ]
    lines += [f"- Note: {note}" for note in notes]
    return "\n".join(lines)


def git(args: list[str]) -> str:
    if not shutil.which("git"):
        return ""
    result = subprocess.run(
        ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else ""


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(rows: list[Row]) -> str:
    lines = [
        "| Scenario | median | p95 | details | target | result |",
        "|---|---:|---:|---|---|---|",
    ]
    for row in rows:
        fields = (row.scenario, row.median, row.p95, row.extra, row.target, row.result)
        lines.append("| " + " | ".join(cell(f) for f in fields) + " |")
    return "\n".join(lines)


def summary(rows: list[Row]) -> str:
    failed = [row for row in rows if row.result == "FAIL"]
    skipped = [row for row in rows if row.result == "skipped"]
    text = f"{len(failed)} of {sum(r.result in ('pass', 'FAIL') for r in rows)} checks failed"
    if skipped:
        text += f"; {len(skipped)} skipped"
    return text + "."


def raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (about 3 minutes)")
    options = parser.parse_args()
    sizes = QUICK if options.quick else FULL
    # Also when started in the background, where SIGINT may be inherited as ignored.
    signal.signal(signal.SIGINT, raise_keyboard_interrupt)
    signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
    if not Path(PYTHON).exists():
        print(f"Run with the project's virtualenv: {PYTHON} is missing.", file=sys.stderr)
        return 2

    started = time.monotonic()
    load_at_start = load_average()
    processes = Processes()
    workdir = Path(tempfile.mkdtemp(prefix="galtea-bench-"))
    password = secrets.token_urlsafe(24)
    rows: list[Row] = []
    notes: list[str] = []
    prepared = [False]
    try:
        for latency_ms in LATENCIES_MS:
            rows += run_with_latency(
                processes,
                workdir,
                latency_ms=latency_ms,
                sizes=sizes,
                password=password,
                prepared=prepared,
                notes=notes,
            )
        rows += run_slow_galtea(processes, workdir, sizes=sizes, password=password)
    except KeyboardInterrupt:
        print("\nInterrupted: stopping the emulator and the admin.", file=sys.stderr)
        return 130
    except Exception as error:
        print(f"\nThe benchmark failed: {error}", file=sys.stderr)
        print(f"Logs kept in {workdir}", file=sys.stderr)
        workdir = None
        raise
    finally:
        processes.stop_all()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)

    elapsed = time.monotonic() - started
    header = machine_header(options.quick, notes, (load_at_start, load_average()))
    report = f"{header}\n- Duration: {elapsed:.0f} s\n\n{markdown_table(rows)}\n\n{summary(rows)}\n"
    RESULTS.write_text(report)
    print("\n" + report)
    print(f"Written to {RESULTS.relative_to(REPO)}")
    return 1 if any(row.result == "FAIL" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
