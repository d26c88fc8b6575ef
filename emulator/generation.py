"""Which generation of the Galtea API the emulator plays (`--api-generation`).

The reference page documents a phone connection's `voice`, its `languageCode` and
`GET /phoneConnections/voices`; the SDK dropped all three in 4.33.0, and the live API may no
longer serve them. Only the phone-connection declaration reads this choice.
"""

from __future__ import annotations

from enum import StrEnum


class ApiGeneration(StrEnum):
    DOCUMENTED = "documented"
    CURRENT = "current"
