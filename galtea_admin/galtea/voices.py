"""The text-to-speech voices a simulated caller can speak with."""

from __future__ import annotations

from dataclasses import dataclass

from galtea_admin.galtea import contract
from galtea_admin.galtea.caching import cached_lookup
from galtea_admin.galtea.client import GalteaClient, get_client
from galtea_admin.galtea.decoding import list_reader, optional_text, text
from galtea_admin.galtea.errors import GalteaError, GalteaNoSuchRoute


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

_read_voice_list = list_reader(Voice, VOICE_FIELDS, "voice")


def read_voices(data: object) -> list[Voice]:
    return _read_voice_list(contract.unwrap_voices(data))


DOCUMENTED_VOICES = tuple(
    Voice(v["id"], v["name"], v["languageCode"], v["gender"]) for v in contract.DOCUMENTED_VOICES
)


@dataclass(frozen=True)
class VoiceCatalogue:
    """What an API says of voices: whether it has them at all, and which it offers."""

    has_voices: bool
    voices: tuple[Voice, ...]


def list_voices(*, client: GalteaClient | None = None) -> list[Voice]:
    """The voices the API offers now (GET /phoneConnections/voices)."""
    client = client or get_client()
    return client.get(contract.VOICES_PATH, decode=read_voices)


def voice_catalogue(*, client: GalteaClient | None = None) -> VoiceCatalogue:
    """The API's voices, cached briefly. An API without the voices route has none (this
    generation of the API has no voice or language); any other failure falls back to the
    documented four, uncached, so that the API is asked again."""
    client = client or get_client()

    def compute() -> VoiceCatalogue:
        try:
            return VoiceCatalogue(True, tuple(list_voices(client=client)))
        except GalteaNoSuchRoute:
            return VoiceCatalogue(False, ())

    try:
        return cached_lookup("voice-catalogue", client.cache_scope, compute)
    except GalteaError:
        return VoiceCatalogue(True, DOCUMENTED_VOICES)


def available_voices(*, client: GalteaClient | None = None) -> list[Voice]:
    """The voices to offer; none when the API has no voices."""
    return list(voice_catalogue(client=client).voices)


def api_has_voices(*, client: GalteaClient | None = None) -> bool:
    """Whether the API has voices (and so phone connections a voice and a language)."""
    return voice_catalogue(client=client).has_voices


def default_voice(voices: list[Voice]) -> Voice | None:
    """The voice a connection with no voice set speaks with."""
    return next((v for v in voices if v.id == contract.DEFAULT_VOICE_ID), None)
