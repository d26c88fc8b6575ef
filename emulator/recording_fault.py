"""The fault recordings can be made to show (`--recording-fault`), chosen here only.

The API limits file transfers per network address: past the limit, both asking for a link
(`GET /storage/generate-get-presigned-url`) and the transfer through one answer 429 with
the API's JSON error, until a minute has passed. `429` plays that limit as always reached.
"""

from __future__ import annotations

from enum import StrEnum
from http import HTTPStatus

from emulator.errors import ApiError

TOO_MANY_TRANSFERS_MESSAGE = "Too many file transfers from this network address; retry in a minute."
RETRY_AFTER_SECONDS = 60


class RecordingFault(StrEnum):
    NONE = "none"
    TOO_MANY_TRANSFERS = "429"


def transfer_refusal(fault: RecordingFault) -> ApiError | None:
    """The error every recording transfer answers under `fault`, or None to serve them."""
    if fault is RecordingFault.NONE:
        return None
    return ApiError(
        HTTPStatus.TOO_MANY_REQUESTS,
        TOO_MANY_TRANSFERS_MESSAGE,
        headers=(("Retry-After", str(RETRY_AFTER_SECONDS)),),
    )
