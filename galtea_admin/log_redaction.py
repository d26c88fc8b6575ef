"""What a log line may not hold: the Galtea API key, and the query strings of URLs (filters
people typed, which may name customers)."""

from __future__ import annotations

import logging
import re

from django.conf import settings

from galtea_admin.galtea.redaction import redact_api_key

# A path followed by its query string: the query string is dropped.
QUERY_STRING = re.compile(r"(/[^\s?#\"'<>]*)\?[^\s#\"'<>]*")


def redact(text: str) -> str:
    text = redact_api_key(text, getattr(settings, "GALTEA_API_KEY", ""))
    return QUERY_STRING.sub(r"\1", text)


class RedactionFilter(logging.Filter):
    """Rewrites each record's message and traceback without the API key and without query
    strings. The record is changed in place, so every later handler, whatever its format,
    sees only the redacted text."""

    formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call is still logged, in its raw form
            message = f"{record.msg} {record.args}"
        record.msg = redact(message)
        record.args = ()
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = self.formatter.formatException(record.exc_info)
            # Formatters append exc_text and format exc_info only when it is missing.
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
