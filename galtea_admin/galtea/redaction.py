"""Keeping the API key out of anything shown or logged: the key itself in any letter case,
any long piece of it, and anything shaped like a Galtea key (`gsk_…`, `gsk-…`)."""

from __future__ import annotations

import re

REDACTED = "[redacted]"
# A Galtea key's shape (see contract: keys are gsk_... or gsk-...), even cut short.
KEY_SHAPE = re.compile(r"gsk[_-][A-Za-z0-9_\-]{4,}", re.IGNORECASE)
# Pieces of the key this long are the key's, wherever they stand.
PIECE = 12


def redact_api_key(text: str, key: str) -> str:
    """`text` with the key, any piece of it of PIECE characters or more, and any key-shaped
    token replaced by [redacted]."""
    if key:
        text = re.sub(re.escape(key), REDACTED, text, flags=re.IGNORECASE)
        key, folded = key.lower(), text.lower()
        for start in range(max(0, len(key) - PIECE + 1)):
            piece = key[start : start + PIECE]
            if piece in folded:
                text = re.sub(re.escape(piece), REDACTED, text, flags=re.IGNORECASE)
                folded = text.lower()
    return KEY_SHAPE.sub(REDACTED, text)
