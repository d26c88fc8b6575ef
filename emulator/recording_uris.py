"""Where a session's recording is stored, as its `recordingUri` says.

`s3://galtea-recordings/<organization>/<session id>.wav`
"""

from __future__ import annotations

import re

RECORDINGS_BUCKET = "galtea-recordings"
RECORDING_URI = re.compile(rf"s3://{RECORDINGS_BUCKET}/[^/]+/([^/]+)\.wav")


def recording_uri(organization_id: str, session_id: str) -> str:
    return f"s3://{RECORDINGS_BUCKET}/{organization_id}/{session_id}.wav"


def session_id_of(uri: str) -> str | None:
    """The session whose recording `uri` names, or None when it is no recording URI."""
    match = RECORDING_URI.fullmatch(uri)
    return match.group(1) if match else None
