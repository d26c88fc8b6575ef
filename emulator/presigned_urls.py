"""Presigned download links: a path, when it expires, and an HMAC over both.

Like S3's, a link needs no API key: whoever holds it may fetch that one path until it
expires. The signing secret is the process's own, so links die with a restart, as short-lived
links may.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from emulator.querystring import QueryParams

DEFAULT_LIFETIME_SECONDS = 300
EXPIRES_KEY = "expires"
SIGNATURE_KEY = "signature"
DIGITS = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class Refusal:
    """Why a link does not open, as S3 words it: an error code and a message."""

    code: str
    message: str


MISSING = Refusal(
    "AccessDenied",
    "Query-string authentication requires the expires and signature parameters.",
)
BAD_SIGNATURE = Refusal(
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided.",
)
EXPIRED = Refusal("AccessDenied", "Request has expired")


class UrlSigner:
    """Signs paths into links valid for `lifetime_seconds`, and checks the links it made."""

    def __init__(
        self,
        lifetime_seconds: int = DEFAULT_LIFETIME_SECONDS,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = secrets.token_bytes(32)
        self._lifetime_seconds = lifetime_seconds
        self._clock = clock

    def sign(self, origin: str, path: str) -> str:
        # Rounded up, so a link is never valid for less than its lifetime.
        expires = math.ceil(self._clock() + self._lifetime_seconds)
        query = urlencode({EXPIRES_KEY: expires, SIGNATURE_KEY: self._signature(path, expires)})
        return f"{origin}{path}?{query}"

    def refusal(self, path: str, query: QueryParams) -> Refusal | None:
        """None when `path` with `query` is a link this signer made that has not expired."""
        expires, signature = query.array(EXPIRES_KEY), query.array(SIGNATURE_KEY)
        if len(expires) != 1 or len(signature) != 1 or not DIGITS.fullmatch(expires[0]):
            return MISSING
        expected = self._signature(path, int(expires[0]))
        if not hmac.compare_digest(signature[0].encode(), expected.encode()):
            return BAD_SIGNATURE
        if self._clock() > int(expires[0]):
            return EXPIRED
        return None

    def _signature(self, path: str, expires: int) -> str:
        message = f"GET\n{path}\n{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()
