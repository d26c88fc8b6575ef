"""The text-to-speech voices a simulated caller can speak with."""

from __future__ import annotations

from dataclasses import dataclass

from galtea_admin.galtea import contract
from galtea_admin.galtea.caching import cached_lookup
from galtea_admin.galtea.client import GalteaClient, get_client
from galtea_admin.galtea.decoding import list_reader, optional_text, text
from galtea_admin.galtea.errors import GalteaError


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    language_code: str | None
    gender: str | None

    @property
    def label(self) -> str:
        """e.g. "Jack (en-US)"."""
        return f"{self.name} ({self.language_code})" if self.language_code else self.name


VOICE_FIELDS = {
    "id": text("id"),
    "name": text("name"),
    "language_code": optional_text("languageCode"),
    "gender": optional_text("gender"),
}

read_voices = list_reader(Voice, VOICE_FIELDS, "voice")

DOCUMENTED_VOICES = tuple(
    Voice(v["id"], v["name"], v["languageCode"], v["gender"]) for v in contract.DOCUMENTED_VOICES
)


def list_voices(*, client: GalteaClient | None = None) -> list[Voice]:
    """The voices the API offers now (GET /phoneConnections/voices)."""
    client = client or get_client()
    return client.get("/phoneConnections/voices", decode=read_voices)


def available_voices(*, client: GalteaClient | None = None) -> list[Voice]:
    """The voices to offer, cached briefly; the documented four when the API cannot say."""
    client = client or get_client()
    try:
        return cached_lookup("voices", client.cache_scope, lambda: list_voices(client=client))
    except GalteaError:
        return list(DOCUMENTED_VOICES)


def default_voice(voices: list[Voice]) -> Voice | None:
    """The voice a connection with no voice set speaks with."""
    return next((v for v in voices if v.id == contract.DEFAULT_VOICE_ID), None)
