"""Recordings: `GET /storage/generate-get-presigned-url` and the links it hands out.

The API answers a link to object storage; the emulator serves that storage itself, on the
origin the client reached it at, at `/recordings/<session id>.wav`. A link needs no API key
(it is presigned) and answers as S3 does: XML errors, and `Range` requests, which browsers'
audio players send.
"""

from __future__ import annotations

import sqlite3
from http import HTTPStatus
from xml.sax.saxutils import escape

from emulator.byte_ranges import UnsatisfiableRange, requested_range
from emulator.errors import bad_request, not_found
from emulator.handlers import Reply, Request
from emulator.presigned_urls import Refusal, UrlSigner
from emulator.recording_audio import recording_wav
from emulator.recording_fault import RecordingFault, transfer_refusal
from emulator.recording_uris import session_id_of
from emulator.schema import SESSIONS
from emulator.store import Store

PRESIGN_PATH = "/storage/generate-get-presigned-url"
DOWNLOAD_PREFIX = "/recordings"
FILE_SUFFIX = ".wav"
AUDIO_TYPE = "audio/wav"
XML_TYPE = "application/xml"
XML_ERROR = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Error><Code>{code}</Code><Message>{message}</Message></Error>\n"
)
NO_SUCH_KEY = Refusal("NoSuchKey", "The specified key does not exist.")
INVALID_RANGE = Refusal("InvalidRange", "The requested range is not satisfiable")
ACCEPT_RANGES = ("Accept-Ranges", "bytes")


class Recordings:
    """The two routes' handlers, sharing one signer and the fault they play, if any."""

    def __init__(self, signer: UrlSigner, fault: RecordingFault = RecordingFault.NONE) -> None:
        self._signer = signer
        self._fault = fault

    def presign(self, store: Store, request: Request) -> Reply:
        """`{"downloadPresignedUrl": …}` for the recording `uri` names; 404 when none has it."""
        refusal = transfer_refusal(self._fault)
        if refusal:
            raise refusal
        uri = request.query.scalar("uri")
        if uri is None or not uri.strip():
            raise bad_request("uri is required: the storage URI of a file, e.g. a recordingUri.")
        session = _session_recorded_at(store, uri)
        if session is None:
            raise not_found(f"File not found: {uri}")
        path = f"{DOWNLOAD_PREFIX}/{session['id']}{FILE_SUFFIX}"
        return Reply(
            HTTPStatus.OK, {"downloadPresignedUrl": self._signer.sign(request.origin, path)}
        )

    def download(self, store: Store, request: Request, file_name: str) -> Reply:
        """The recording's WAV, or the part of it a `Range` header asks for."""
        refusal = transfer_refusal(self._fault)
        if refusal:
            raise refusal
        link_refusal = self._signer.refusal(f"{DOWNLOAD_PREFIX}/{file_name}", request.query)
        if link_refusal:
            return _xml_error(HTTPStatus.FORBIDDEN, link_refusal)
        session = store.get(SESSIONS, file_name.removesuffix(FILE_SUFFIX))
        if session is None or session["recording_uri"] is None:
            return _xml_error(HTTPStatus.NOT_FOUND, NO_SUCH_KEY)
        audio = recording_wav(session["id"])
        try:
            wanted = requested_range(request.headers.get("range"), len(audio))
        except UnsatisfiableRange:
            content_range = ("Content-Range", f"bytes */{len(audio)}")
            return _xml_error(
                HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, INVALID_RANGE, content_range
            )
        if wanted is None:
            return Reply(
                HTTPStatus.OK, content=audio, content_type=AUDIO_TYPE, headers=(ACCEPT_RANGES,)
            )
        return Reply(
            HTTPStatus.PARTIAL_CONTENT,
            content=audio[wanted.start : wanted.end + 1],
            content_type=AUDIO_TYPE,
            headers=(ACCEPT_RANGES, ("Content-Range", wanted.content_range)),
        )


def _session_recorded_at(store: Store, uri: str) -> sqlite3.Row | None:
    session_id = session_id_of(uri)
    session = store.get(SESSIONS, session_id) if session_id else None
    if session is None or session["recording_uri"] != uri:
        return None
    return session


def _xml_error(status: int, refusal: Refusal, *headers: tuple[str, str]) -> Reply:
    body = XML_ERROR.format(code=refusal.code, message=escape(refusal.message))
    return Reply(status, content=body.encode(), content_type=XML_TYPE, headers=headers)
