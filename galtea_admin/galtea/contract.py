"""What the admin assumes about the Galtea API, in one place.

Every encoding and every "unknown" of the API contract (docs/galtea-api.md in the project
notes) is decided here, so that changing an assumption is a one-line edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

DEFAULT_API_URL = "https://api.galtea.ai"

# Statuses that mean success for each kind of call.
CREATED_STATUSES = frozenset({200, 201})
DELETED_STATUSES = frozenset({200, 204})  # unknown upstream: accept both

# Batch delete: `DELETE <resource path>/batch` with {"ids": [...]}; its limit is unknown.
BATCH_DELETE_SUFFIX = "/batch"
BATCH_DELETE_IDS_KEY = "ids"
MAX_IDS_PER_BATCH_DELETE = 100

# The admin never asks for more rows than this in one request (the API's maximum is unknown).
MAX_LIMIT = 1000
# Requests for the next pages an export keeps on their way while it sends one (the API's
# rate limits are unknown: a small, fixed number per export).
EXPORT_REQUESTS_AHEAD = 2
# Ids per request for an `ids[]` filter (the SDK's own batch size keeps URLs short).
MAX_IDS_PER_REQUEST = 200
# What the admin accepts as an entity id typed or posted by a person (letters, digits, - _).
ID_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{1,128}$")

# Sorting: fields the API is assumed to sort by (unknown beyond createdAt), the tie-breaker
# the admin appends so that pages never repeat or skip a row, and the default order.
SORTABLE_PHONE_CONNECTION_FIELDS = frozenset({"createdAt", "name", "phoneNumber"})
SORT_TIE_BREAKER = ("createdAt", "desc")
DEFAULT_PHONE_CONNECTION_SORT = (("createdAt", "desc"),)
SORT_DIRECTIONS = frozenset({"asc", "desc"})

# A 400 whose message contains this word rejects the list's sort (the fields the API sorts
# by are unknown): the list offers its default order instead.
SORT_REJECTION_MARKER = "sort"

# A duplicate name within a product is rejected with a 400 whose message contains this.
DUPLICATE_NAME_MARKER = "with the same"

# The voices route. Its answer is {"voices": [...]}; a bare array is read too. When it is no
# route at all (Express's HTML 404), the API has no voices: phone connections then have no
# voice or language (see PHONE_CONNECTION_VOICE_FIELDS).
VOICES_PATH = "/phoneConnections/voices"
VOICES_ENVELOPE_KEY = "voices"
# The phone-connection attributes that exist only where the API has voices.
PHONE_CONNECTION_VOICE_FIELDS = frozenset({"voice", "language_code"})
# Used when GET /phoneConnections/voices fails otherwise: the four documented voices.
DOCUMENTED_VOICES = (
    {"id": "sarah", "name": "Sarah", "languageCode": "en-GB", "gender": "female"},
    {"id": "theo", "name": "Theo", "languageCode": "en-GB", "gender": "male"},
    {"id": "megan", "name": "Megan", "languageCode": "en-US", "gender": "female"},
    {"id": "jack", "name": "Jack", "languageCode": "en-US", "gender": "male"},
)
# A null voice means this one.
DEFAULT_VOICE_ID = "sarah"


def normalise_base_url(url: str) -> str:
    """The API's base URL without a trailing slash (Express answers 404 to `//path`)."""
    return (url or DEFAULT_API_URL).strip().rstrip("/")


def encode_value(value: object) -> str:
    """One query-string value: booleans as true/false, datetimes as ISO 8601 UTC."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_datetime(value)
    return str(value)


def encode_query(params: Mapping[str, object]) -> str:
    """A query string in the API's dialect: lists as repeated `key[]=`, None left out."""
    parts: list[str] = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            parts.extend(f"{key}[]={quote(encode_value(item), safe='')}" for item in value)
        else:
            parts.append(f"{key}={quote(encode_value(value), safe='')}")
    return "&".join(parts)


def sort_pairs(order: Iterable[tuple[str, str]]) -> list[str]:
    """Flatten (field, direction) pairs for `sort[]`, with the tie-breaker appended."""
    pairs = [(field, direction) for field, direction in order]
    if not any(field == SORT_TIE_BREAKER[0] for field, _ in pairs):
        pairs.append(SORT_TIE_BREAKER)
    flat: list[str] = []
    for field, direction in pairs:
        flat += [field, direction]
    return flat


def format_datetime(value: datetime) -> str:
    """An aware datetime as the API's ISO 8601 UTC form, e.g. 2025-01-02T03:04:05.678Z."""
    if value.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous: pass an aware datetime")
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_datetime(raw: str) -> datetime:
    """An ISO 8601 timestamp from the API as an aware datetime (ValueError if malformed)."""
    if not isinstance(raw, str):
        raise ValueError(f"expected an ISO 8601 string, got {type(raw).__name__}")
    parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def path_segment(entity_id: str) -> str:
    """An id made safe to put in a URL path."""
    return quote(str(entity_id), safe="")


# A list with unknown ids answers 404 "PhoneConnections not found: <id>, <id>".
NOT_FOUND_IDS_PATTERN = re.compile(r"not found:\s*(?P<ids>.+)$", re.IGNORECASE)


def named_ids(message: str, asked: Iterable[str]) -> list[str]:
    """The asked ids a strict 404 names (none when its message names none of them)."""
    match = NOT_FOUND_IDS_PATTERN.search(message or "")
    if not match:
        return []
    named = {part.strip() for part in re.split(r"[,\s]+", match.group("ids")) if part.strip()}
    return [i for i in asked if i in named]


def is_sort_rejection(message: str) -> bool:
    """Whether a 400's message is about the list's sort."""
    return SORT_REJECTION_MARKER in (message or "").lower()


def unwrap_voices(data: object) -> object:
    """The voice list of GET /phoneConnections/voices: enveloped or a bare array."""
    if isinstance(data, dict) and VOICES_ENVELOPE_KEY in data:
        return data[VOICES_ENVELOPE_KEY]
    return data


def missing_ids(message: str, asked: Iterable[str]) -> list[str]:
    """The ids a strict `ids[]` 404 names; every asked id when the message names none."""
    asked = list(asked)
    match = NOT_FOUND_IDS_PATTERN.search(message or "")
    if match:
        named = [part.strip() for part in re.split(r"[,\s]+", match.group("ids")) if part.strip()]
        found = [i for i in asked if i in named]
        if found:
            return found
    return asked


# A list's "Count matching" is worked out with one-row probes (the API gives no total) and
# kept this long per query.
COUNT_CACHE_SECONDS = 60

# Versions: in an include/exclude pair of connection filters, this one value means "none"
# (`phoneConnectionIds[]=` lists the versions with no phone connection).
NO_CONNECTION = ""
# Sessions: the statuses the API knows, and the filters of which a session list needs at
# least one (without one the API refuses the list).
SESSION_STATUSES = ("PENDING", "COMPLETED", "FAILED")
SESSION_ID_FILTERS = frozenset({"ids", "version_ids", "test_case_ids", "user_ids", "product_ids"})
# Recordings: the route that turns a session's recordingUri into a short-lived URL a
# browser can play, and the key of that URL in its answer.
RECORDING_URL_PATH = "/storage/generate-get-presigned-url"
RECORDING_URL_KEY = "downloadPresignedUrl"


def url_origin(url: str) -> str:
    """ "https://api.galtea.ai" of "https://api.galtea.ai/v1/…"."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
