"""Profile admin views in-process: `.venv/bin/python bench/profile_views.py [PATH ...]`.

Starts the emulator on the benchmark's store (var/bench-emulator.sqlite3, seeded with
100,000 rows when missing), sets up Django in this process with production settings
(DEBUG off) and a throw-away database, signs in a Manager with the test client, and runs
each PATH (default: the list's page 1, its deep page, 100 rows, and the CSV export) under
cProfile. Prints where the time goes, by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from servers import REPO, Processes, start_emulator

STORE = REPO / "var" / "bench-emulator.sqlite3"
DEFAULT_PATHS = (
    "/phone-connections/",
    "/phone-connections/?page=3601",
    "/phone-connections/?per_page=100",
    "/phone-connections/export.csv",
)


def setup_django(workdir: Path, api_url: str, api_key: str):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "galtea_admin.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "GALTEA_API_URL": api_url,
            "GALTEA_API_KEY": api_key,
            "DJANGO_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"sqlite:///{workdir / 'profile.sqlite3'}",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    user = get_user_model().objects.create(username="profile-manager")
    user.groups.set([Group.objects.get(name="Manager")])
    client = Client()
    client.force_login(user)
    return client


def fetch(client, path: str) -> int:
    """One request, its body read to the end; returns the body's size."""
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    if response.streaming:
        return sum(len(part) for part in response.streaming_content)
    return len(response.content)


def profile(client, path: str, count: int, top: int) -> None:
    fetch(client, path)  # warm caches (products, voices, templates)
    plain = []
    for _ in range(count):
        started = time.perf_counter()
        size = fetch(client, path)
        plain.append(time.perf_counter() - started)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        fetch(client, path)
    profiler.disable()
    print(f"\n{'=' * 100}\n{path}: {count} requests, {size:,} bytes each")
    print(f"without profiler: median {statistics.median(plain) * 1000:.1f} ms per request")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(top)
        print(f"--- by {order} (totals for {count} requests) ---")
        print("\n".join(out.getvalue().splitlines()[4:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--count", type=int, default=20, help="requests per path (export: 1)")
    parser.add_argument("--top", type=int, default=25, help="functions to show")
    parser.add_argument("--latency-ms", type=int, default=0)
    options = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    processes = Processes()
    workdir = Path(tempfile.mkdtemp(prefix="galtea-profile-"))
    try:
        api_key = "gsk_profile_" + secrets.token_hex(12)
        emulator = start_emulator(
            processes,
            workdir,
            data=STORE,
            seed=100_000,
            api_key=api_key,
            latency_ms=options.latency_ms,
        )
        client = setup_django(workdir, emulator.url, api_key)
        for path in options.paths:
            count = 1 if "export" in path else options.count
            profile(client, path, count, options.top)
    except KeyboardInterrupt:
        return 130
    finally:
        processes.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
