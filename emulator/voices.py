"""The TTS voices a phone connection may use, as `GET /phoneConnections/voices` lists them."""

from __future__ import annotations

VOICES = (
    {"id": "sarah", "name": "Sarah", "languageCode": "en-GB", "gender": "female"},
    {"id": "theo", "name": "Theo", "languageCode": "en-GB", "gender": "male"},
    {"id": "megan", "name": "Megan", "languageCode": "en-US", "gender": "female"},
    {"id": "jack", "name": "Jack", "languageCode": "en-US", "gender": "male"},
)
VOICE_IDS = tuple(voice["id"] for voice in VOICES)
