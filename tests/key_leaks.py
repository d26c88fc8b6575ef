"""Watches every page, redirect, export and log line the admin produces during the tests,
so that the suite can check that the API key appears in none of them."""

from __future__ import annotations

import logging
import uuid
from contextlib import contextmanager

from django.core.handlers.base import BaseHandler
from django.http import StreamingHttpResponse

# Every WebRTC connection API key the tests type starts with this (see `pipecat_key()`): no
# page, export or log line of the whole run may hold it.
WATCHED_SECRET = "pk_watched_secret_"


def pipecat_key() -> str:
    """A fresh Pipecat Cloud key for a test to type."""
    return WATCHED_SECRET + uuid.uuid4().hex


class Collected:
    """Where each watched string was seen (nothing else is kept, so memory stays flat)."""

    def __init__(self, watched: tuple[str, ...]):
        self.watched = watched
        self.seen: dict[str, list[str]] = {secret: [] for secret in watched}
        self.count = 0

    def add(self, where: str, data) -> None:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
        self.count += 1
        for secret in self.watched:
            if secret in text:
                self.seen[secret].append(where)

    def containing(self, secret: str) -> list[str]:
        return self.seen[secret]


class _LogCollector(logging.Handler):
    def __init__(self, collected: Collected):
        super().__init__(level=logging.DEBUG)
        self.collected = collected

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is still worth its raw form
            text = f"{record.msg} {record.args}"
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.collected.add(f"log {record.name}", text)


def _collect_stream(stream, collected: Collected, where: str):
    for chunk in stream:
        collected.add(where, chunk)
        yield chunk


@contextmanager
def collecting(*watched: str):
    """Watch every response the admin gives (headers, bodies, streams) and every log line
    for the `watched` strings."""
    collected = Collected(watched)
    original = BaseHandler.get_response

    def recording_get_response(handler, request):
        response = original(handler, request)
        where = f"{request.method} {request.get_full_path()} → {response.status_code}"
        collected.add(where + " (headers)", "\n".join(f"{k}: {v}" for k, v in response.items()))
        if isinstance(response, StreamingHttpResponse):
            stream = response.streaming_content
            response.streaming_content = _collect_stream(stream, collected, where)
        else:
            collected.add(where, response.content)
        return response

    handler = _LogCollector(collected)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    BaseHandler.get_response = recording_get_response
    try:
        yield collected
    finally:
        BaseHandler.get_response = original
        root.removeHandler(handler)
        root.setLevel(previous_level)
