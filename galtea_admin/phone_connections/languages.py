"""Language codes for the telephony agent: common BCP 47 tags, and how to check one."""

from __future__ import annotations

import re

COMMON_LANGUAGE_CODES = (
    ("en-US", "English (United States)"),
    ("en-GB", "English (United Kingdom)"),
    ("en-AU", "English (Australia)"),
    ("en-CA", "English (Canada)"),
    ("en-IN", "English (India)"),
    ("es-ES", "Spanish (Spain)"),
    ("es-MX", "Spanish (Mexico)"),
    ("es-US", "Spanish (United States)"),
    ("ca-ES", "Catalan (Spain)"),
    ("fr-FR", "French (France)"),
    ("fr-CA", "French (Canada)"),
    ("de-DE", "German (Germany)"),
    ("it-IT", "Italian (Italy)"),
    ("pt-PT", "Portuguese (Portugal)"),
    ("pt-BR", "Portuguese (Brazil)"),
    ("nl-NL", "Dutch (Netherlands)"),
    ("pl-PL", "Polish (Poland)"),
    ("sv-SE", "Swedish (Sweden)"),
    ("da-DK", "Danish (Denmark)"),
    ("nb-NO", "Norwegian Bokmål (Norway)"),
    ("fi-FI", "Finnish (Finland)"),
    ("ja-JP", "Japanese (Japan)"),
    ("ko-KR", "Korean (South Korea)"),
    ("zh-CN", "Chinese (China)"),
    ("hi-IN", "Hindi (India)"),
    ("ar-SA", "Arabic (Saudi Arabia)"),
)

# language[-Script][-REGION], e.g. en, en-US, zh-Hant-TW, es-419.
LANGUAGE_TAG = re.compile(
    r"^(?P<language>[A-Za-z]{2,3})(?:-(?P<script>[A-Za-z]{4}))?(?:-(?P<region>[A-Za-z]{2}|\d{3}))?$"
)


class InvalidLanguageCode(ValueError):
    pass


def normalise_language_code(text: str) -> str:
    """ "EN-us" → "en-US"; raises InvalidLanguageCode for anything that is not a BCP 47 tag."""
    match = LANGUAGE_TAG.fullmatch(text.strip())
    if not match:
        raise InvalidLanguageCode(
            "Use a language code such as en-US, es-ES or fr: language, then optionally a region."
        )
    parts = [match["language"].lower()]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    return "-".join(parts)
