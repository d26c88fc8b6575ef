"""Two checkouts of the admin served side by side, answering the same list view in turns.

    .venv/bin/python bench/side_by_side.py OTHER_TREE [--views 400] [--latency-ms 0] [--path P]

OTHER_TREE is another checkout of the project, e.g. `git worktree add ../before <commit>`.
Both are served by this virtualenv's gunicorn as `make serve` runs them (2 workers × 8
threads), against one emulator on the benchmark's store; each view of one is followed by a
view of the other and by the same query sent to the API, so that the machine's changing
speed weighs on both alike (bench/README.md, "Reading the numbers"). Prints, for each: the
median and the trimmed mean (the middle half) of a view, its overhead over the API, and its
workers' CPU time per view.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import requests
from run import EMULATOR_STORE, SEEDED_ROWS, USERNAME, admin_environment, prepare_admin
from scenarios import TIMEOUT, sign_in, timed
from servers import REPO, Processes, start_admin, start_emulator, workers_cpu_seconds

WARM_UP_VIEWS = 20


def trimmed_mean_ms(samples: list[float]) -> float:
    """The mean of the middle half: steadier than the median over a few hundred views."""
    ordered = sorted(samples)
    quarter = len(ordered) // 4
    return statistics.mean(ordered[quarter : len(ordered) - quarter]) * 1000


def view(session: requests.Session, url: str, **kwargs) -> float:
    """Seconds one GET of `url` took (the benchmark's own timing), raising unless 200."""
    seconds, response = timed(lambda: session.get(url, timeout=TIMEOUT, **kwargs))
    response.raise_for_status()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="another checkout of the project")
    parser.add_argument("--views", type=int, default=400, help="views of each (default 400)")
    parser.add_argument("--latency-ms", type=int, default=0, help="the API's added latency")
    parser.add_argument("--path", default="/phone-connections/", help="the page to view")
    options = parser.parse_args()
    trees = {"this": REPO, "other": options.other.resolve()}
    if not (trees["other"] / "manage.py").exists():
        print(f"{trees['other']} is not a checkout of the project.", file=sys.stderr)
        return 2

    processes = Processes()
    workdir = Path(tempfile.mkdtemp(prefix="galtea-side-by-side-"))
    password = secrets.token_urlsafe(24)
    try:
        emulator = start_emulator(
            processes,
            workdir,
            data=EMULATOR_STORE,
            seed=SEEDED_ROWS,
            api_key="gsk_bench_" + secrets.token_hex(12),
            latency_ms=options.latency_ms,
        )
        sessions, admins = {}, {}
        for name, tree in trees.items():
            (workdir / name).mkdir()
            env = admin_environment(workdir / name, emulator)
            prepare_admin(env, workdir / name, password, repo=tree)
            admins[name] = start_admin(
                processes, workdir / name, env=env, workers=2, threads=8, tag=name, repo=tree
            )
            sessions[name] = sign_in(admins[name].url, USERNAME, password)
            for _ in range(WARM_UP_VIEWS):
                view(sessions[name], admins[name].url + options.path)
        emulator.clear_request_log()
        view(sessions["this"], admins["this"].url + options.path)
        last = emulator.requests_received()[-1]  # the page's own request (lookups are cached)
        query = f"{last['path']}?{last['query']}"
        api = requests.Session()

        walls = {name: [] for name in trees}
        cpu = dict.fromkeys(trees, 0.0)
        raw = []
        for turn in range(options.views):
            for name in trees if turn % 2 == 0 else reversed(trees):
                before = workers_cpu_seconds(admins[name])
                walls[name].append(view(sessions[name], admins[name].url + options.path))
                cpu[name] += workers_cpu_seconds(admins[name]) - before
            raw.append(view(api, emulator.url + query, headers=emulator.auth))
    finally:
        processes.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)

    api_median = statistics.median(raw) * 1000
    print(f"{options.path} at +{options.latency_ms} ms, {options.views} views each; API alone:")
    print(f"median {api_median:.2f} ms, trimmed mean {trimmed_mean_ms(raw):.2f} ms\n")
    print("| tree | median | trimmed mean | overhead (median) | CPU per view |")
    print("|---|---:|---:|---:|---:|")
    for name, tree in trees.items():
        median = statistics.median(walls[name]) * 1000
        print(
            f"| {name} ({tree}) | {median:.2f} ms | {trimmed_mean_ms(walls[name]):.2f} ms | "
            f"{median - api_median:.2f} ms | {cpu[name] / options.views * 1000:.2f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
