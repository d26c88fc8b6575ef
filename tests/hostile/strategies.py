"""Hostile input for property-based tests: what a broken link, a fuzzer or an attacker sends.

Values mix ordinary text with huge strings, every kind of Unicode, control characters,
markup, negative and enormous numbers and dates that are not dates. Query strings come two
ways: as key/value pairs the test client encodes (repeated keys and `key[]` arrays included),
and as raw bytes a client could put after the `?` (bad percent-escapes, stray `&` and `=`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Django's test fixtures are function-scoped: one signed-in client serves every example.
FUZZ_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

MARKUP = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "%(value)s",
    "{0}",
    '=HYPERLINK("http://evil.example")',
)
NUMBERS = (
    "-1",
    "0",
    "-0",
    "1e309",
    "9" * 40,
    "-" + "9" * 40,
    "NaN",
    "Infinity",
    "0x10",
    "1_000",
    "٣",  # an Arabic-Indic digit
    "²",
    " 2 ",
    "2.5",
)
DATES = (
    "2025-13-45",
    "2025-02-30T25:61",
    "0000-00-00",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "10000-01-01",
    "-2025-01-01",
    "2025-01-01T00:00:00+99:00",
    "2025-01-01T00:00Z",
    "yesterday",
    "1e10",
    "2025‐01‐01",  # Unicode hyphens
)
PHONE_LIKE = ("+", "+0", "+1 (415) 555-2671", "00", "0044 20 7946 0958", "+" + "9" * 60, "+1\n415")
IDS = ("phoneConnection_1", "..", ".", "%2E%2E", "a/b", "a b", "x" * 129, "_", "-")


def repeated(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One character repeated until the value is huge."""
    return st.builds(lambda ch, n: ch * n, alphabet, st.integers(1_000, 30_000))


control_characters = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(
    ["\x7f", "\x85", "\u2028", "\u2029", "\u200b", "\u202e", "\ufeff"]
)

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(control_characters, max_size=12),
    st.text(st.characters(min_codepoint=0x80, codec="utf-8"), max_size=20),
    st.sampled_from(MARKUP + NUMBERS + DATES + PHONE_LIKE + IDS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
    st.datetimes().map(lambda moment: moment.isoformat()),
    repeated(st.characters(codec="utf-8")),
    st.lists(st.sampled_from(IDS + PHONE_LIKE), max_size=300).map("\n".join),
)


def query_pairs(keys: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Key/value pairs: known keys (also as `key[]`), repeated, and random ones."""
    key = st.one_of(
        st.sampled_from(keys),
        st.sampled_from(keys).map(lambda name: f"{name}[]"),
        st.text(max_size=12),
    )
    return st.lists(st.tuples(key, hostile_text), max_size=10)


# Raw bytes after the "?" reach Django as a latin-1 string (the WSGI convention).
raw_query_characters = st.characters(min_codepoint=0x21, max_codepoint=0xFF, exclude_characters="#")
raw_query = st.lists(
    st.one_of(
        st.sampled_from(
            ["%", "%Z", "%ZZ", "%00", "%FF%FE", "%C3%28", "%E2%82", "&", "=", "==", ";"]
        ),
        st.sampled_from(["page=%2D1", "sort=%00", "per_page=1e9", "product[]=", "&&q=%0A"]),
        st.text(raw_query_characters, max_size=12),
    ),
    max_size=12,
).map("".join)


@st.composite
def query_strings(draw, keys: list[str]) -> str:
    """A whole query string: encoded pairs, sometimes followed by raw bytes."""
    encoded = urlencode(draw(query_pairs(keys)))
    raw = draw(st.one_of(st.just(""), raw_query))
    return "&".join(part for part in (encoded, raw) if part)
