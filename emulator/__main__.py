"""`python -m emulator`: serve the Galtea API emulator with waitress."""

from __future__ import annotations

import argparse
import contextlib
import signal
from collections.abc import Sequence
from pathlib import Path

from waitress.server import create_server

from emulator.app import EmulatorApp
from emulator.generation import ApiGeneration
from emulator.presigned_urls import DEFAULT_LIFETIME_SECONDS
from emulator.recording_fault import RecordingFault
from emulator.request_log import RequestLog
from emulator.schema import PHONE_CONNECTIONS, SESSIONS, VERSIONS, WEBRTC_CONNECTIONS
from emulator.seed import seed_store
from emulator.store import Store

SERVER_THREADS = 8
# Node's default limit on request headers; longer URLs get 431, as from the real API.
MAX_REQUEST_HEADER_BYTES = 16 * 1024


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value}")
    return value


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m emulator",
        description="Run a local stand-in for the Galtea REST API, backed by a SQLite file.",
    )
    parser.add_argument("--port", type=non_negative_int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--data", type=Path, required=True, help="SQLite file, kept across runs.")
    parser.add_argument(
        "--seed",
        type=non_negative_int,
        required=True,
        help=(
            "Phone connections to create when the store has none; a tenth as many WebRTC "
            "connections (at least 10, none for 0) are created when it has none of those, "
            "and versions and their sessions (none for 0) likewise."
        ),
    )
    parser.add_argument("--api-key", required=True, help="The key every request must bear.")
    parser.add_argument("--latency-ms", type=non_negative_int, default=0)
    parser.add_argument("--request-log", type=Path, help="Append one JSON line per request.")
    parser.add_argument(
        "--api-generation",
        choices=[generation.value for generation in ApiGeneration],
        default=ApiGeneration.DOCUMENTED.value,
        help=(
            "Which API to play: 'documented' (the reference page: phone connections have "
            "voice and languageCode, and GET /phoneConnections/voices exists) or 'current' "
            "(without those three, as the API may be today). Default: %(default)s."
        ),
    )
    parser.add_argument(
        "--recording-fault",
        choices=[fault.value for fault in RecordingFault],
        default=RecordingFault.NONE.value,
        help=(
            "'429' makes every recording transfer (GET /storage/generate-get-presigned-url and "
            "the download through a link) answer 429 Too Many Requests, as the API's transfer "
            "limit does. Default: %(default)s."
        ),
    )
    parser.add_argument(
        "--recording-url-seconds",
        type=positive_int,
        default=DEFAULT_LIFETIME_SECONDS,
        help="How long a presigned recording link stays valid. Default: %(default)s.",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    options = argument_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    with contextlib.suppress(KeyboardInterrupt), contextlib.ExitStack() as cleanup:
        store = Store.open(options.data)
        cleanup.callback(store.close)
        seed_store(store, options.seed)
        request_log = RequestLog(options.request_log) if options.request_log else None
        if request_log:
            cleanup.callback(request_log.close)
        app = EmulatorApp(
            store,
            api_key=options.api_key,
            latency_ms=options.latency_ms,
            request_log=request_log,
            api_generation=ApiGeneration(options.api_generation),
            recording_fault=RecordingFault(options.recording_fault),
            recording_url_seconds=options.recording_url_seconds,
        )
        server = create_server(
            app,
            host=options.host,
            port=options.port,
            threads=SERVER_THREADS,
            max_request_header_size=MAX_REQUEST_HEADER_BYTES,
        )
        cleanup.callback(server.close)
        address = f"http://{options.host}:{server.effective_port}"
        counts = (
            f"{store.count(PHONE_CONNECTIONS)} phone connections, "
            f"{store.count(WEBRTC_CONNECTIONS)} WebRTC connections"
        )
        generation = f"the {options.api_generation} API"
        calls = f"{store.count(VERSIONS)} versions, {store.count(SESSIONS)} sessions"
        print(
            f"Galtea API emulator listening on {address} ({counts}), {generation}; {calls}",
            flush=True,
        )
        server.run()


def _stop(signum: int, frame: object) -> None:
    """Turn SIGTERM into a KeyboardInterrupt, on which waitress (or start-up) stops cleanly."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
