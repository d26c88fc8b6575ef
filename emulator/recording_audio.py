"""A session's recording as audio: a short WAV of tones, made on request, never stored.

8 kHz mono 16-bit PCM, as telephony records; 2 to 5 seconds of a few notes whose key,
tune and length come from the session id, so recordings differ and each stays the same.
"""

from __future__ import annotations

import io
import math
import random
import sys
import wave
from array import array
from functools import lru_cache

SAMPLE_RATE = 8000
SAMPLE_BYTES = 2
SHORTEST_SECONDS = 2.0
LONGEST_SECONDS = 5.0
BASE_PITCHES_HZ = (196.0, 220.0, 262.0, 294.0, 330.0, 392.0, 440.0)
# A major pentatonic scale and its octave, as ratios to the base pitch.
SCALE = (1.0, 9 / 8, 5 / 4, 3 / 2, 5 / 3, 2.0)
NOTE_SECONDS = (0.25, 0.7)
GAP_SECONDS = 0.08
AMPLITUDE = 0.35 * 32767
# Each note fades in and out over this long, so it starts and stops without a click.
FADE_SECONDS = 0.01


@lru_cache(maxsize=256)
def recording_wav(session_id: str) -> bytes:
    """The WAV file of `session_id`'s recording; a player's range requests reuse it."""
    rng = random.Random(f"galtea-emulator-recording-{session_id}")
    total = int(rng.uniform(SHORTEST_SECONDS, LONGEST_SECONDS) * SAMPLE_RATE)
    base = rng.choice(BASE_PITCHES_HZ)
    samples = array("h", bytes(total * SAMPLE_BYTES))
    position = 0
    while position < total:
        length = min(int(rng.uniform(*NOTE_SECONDS) * SAMPLE_RATE), total - position)
        _tone(samples, position, length, base * rng.choice(SCALE))
        position += length + int(GAP_SECONDS * SAMPLE_RATE)
    if sys.byteorder == "big":
        # WAV holds little-endian samples.
        samples.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(SAMPLE_BYTES)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(samples.tobytes())
    return buffer.getvalue()


def _tone(samples: array, start: int, length: int, pitch_hz: float) -> None:
    step = 2 * math.pi * pitch_hz / SAMPLE_RATE
    fade = max(1, int(FADE_SECONDS * SAMPLE_RATE))
    for index in range(length):
        envelope = min(1.0, index / fade, (length - 1 - index) / fade)
        samples[start + index] = int(AMPLITUDE * envelope * math.sin(step * index))
