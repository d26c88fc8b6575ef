"""`Range: bytes=…` requests (RFC 9110), as media players send them: one range at most.

A header this server does not act on (another unit, several ranges, bad syntax) is ignored,
as the RFC allows, and the whole body is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SINGLE_RANGE = re.compile(r"\s*bytes\s*=\s*([0-9]*)\s*-\s*([0-9]*)\s*")


class UnsatisfiableRange(Exception):
    """The range starts past the body's end (or asks for an empty suffix): a 416."""


@dataclass(frozen=True)
class ByteRange:
    """Bytes `start` to `end`, both included, of a body of `size` bytes."""

    start: int
    end: int
    size: int

    @property
    def content_range(self) -> str:
        return f"bytes {self.start}-{self.end}/{self.size}"


def requested_range(header: str | None, size: int) -> ByteRange | None:
    """The one range `header` asks for within `size` bytes, or None to send them all."""
    match = SINGLE_RANGE.fullmatch(header or "")
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise UnsatisfiableRange
        return ByteRange(max(0, size - suffix), size - 1, size)
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise UnsatisfiableRange
    end = int(last) if last else size - 1
    return ByteRange(start, min(end, size - 1), size)
