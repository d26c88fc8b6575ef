"""The API's dialect as contract.py encodes it: query strings, sorting, dates, ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qsl

import pytest

from galtea_admin.galtea import contract


class TestEncodeQuery:
    def test_lists_become_repeated_bracketed_keys(self):
        query = contract.encode_query({"productIds": ["p1", "p2"], "limit": 25})
        assert query == "productIds[]=p1&productIds[]=p2&limit=25"

    def test_tuples_are_lists_too(self):
        assert contract.encode_query({"ids": ("a", "b")}) == "ids[]=a&ids[]=b"

    def test_an_empty_list_sends_nothing(self):
        assert contract.encode_query({"ids": [], "limit": 5}) == "limit=5"

    def test_none_is_left_out(self):
        assert contract.encode_query({"name": None, "offset": 0}) == "offset=0"

    def test_nothing_to_send_is_an_empty_string(self):
        assert contract.encode_query({}) == ""
        assert contract.encode_query({"name": None}) == ""

    def test_zero_and_false_are_kept(self):
        assert contract.encode_query({"offset": 0, "flag": False}) == "offset=0&flag=false"

    def test_booleans_are_lowercase_words(self):
        assert contract.encode_query({"a": True, "b": False}) == "a=true&b=false"

    def test_plus_of_a_phone_number_is_percent_encoded(self):
        query = contract.encode_query({"phoneNumber": "+1415", "phoneNumbers": ["+44 20"]})
        assert query == "phoneNumber=%2B1415&phoneNumbers[]=%2B44%2020"
        # Decoded as a server does, the plus survives (a raw `+` would turn into a space).
        assert parse_qsl(query) == [("phoneNumber", "+1415"), ("phoneNumbers[]", "+44 20")]

    def test_reserved_characters_are_encoded(self):
        query = contract.encode_query({"name": "a&b=c/d?é#"})
        assert query == "name=a%26b%3Dc%2Fd%3F%C3%A9%23"
        assert parse_qsl(query) == [("name", "a&b=c/d?é#")]

    def test_datetimes_go_out_as_utc_with_z(self):
        madrid = timezone(timedelta(hours=2))
        moment = datetime(2025, 6, 1, 12, 30, 15, 123456, tzinfo=madrid)
        query = contract.encode_query({"fromCreatedAt": moment})
        assert query == "fromCreatedAt=2025-06-01T10%3A30%3A15.123Z"
        assert dict(parse_qsl(query)) == {"fromCreatedAt": "2025-06-01T10:30:15.123Z"}

    def test_datetimes_in_a_list(self):
        moment = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
        assert contract.encode_query({"at": [moment]}) == "at[]=2025-01-02T03%3A04%3A05.000Z"

    def test_a_naive_datetime_is_refused(self):
        with pytest.raises(ValueError, match="naive"):
            contract.encode_query({"fromCreatedAt": datetime(2025, 1, 1)})

    def test_numbers_are_plain(self):
        assert contract.encode_query({"limit": 1000, "ratio": 0.5}) == "limit=1000&ratio=0.5"


class TestSortPairs:
    def test_the_tie_breaker_is_appended(self):
        assert contract.sort_pairs([("name", "asc")]) == ["name", "asc", "createdAt", "desc"]

    def test_several_pairs_keep_their_order(self):
        pairs = contract.sort_pairs([("phoneNumber", "desc"), ("name", "asc")])
        assert pairs == ["phoneNumber", "desc", "name", "asc", "createdAt", "desc"]

    def test_no_tie_breaker_when_created_at_is_already_sorted_on(self):
        assert contract.sort_pairs([("createdAt", "asc")]) == ["createdAt", "asc"]
        assert contract.sort_pairs([("name", "desc"), ("createdAt", "asc")]) == [
            "name",
            "desc",
            "createdAt",
            "asc",
        ]

    def test_no_order_is_just_the_tie_breaker(self):
        assert contract.sort_pairs([]) == ["createdAt", "desc"]

    def test_accepts_any_iterable_of_pairs(self):
        assert contract.sort_pairs(iter([("name", "asc")]))[:2] == ["name", "asc"]

    def test_encoded_as_the_api_expects(self):
        query = contract.encode_query({"sort": contract.sort_pairs([("name", "asc")])})
        assert query == "sort[]=name&sort[]=asc&sort[]=createdAt&sort[]=desc"


class TestNormaliseBaseUrl:
    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            ("https://api.galtea.ai/", "https://api.galtea.ai"),
            ("https://api.galtea.ai//", "https://api.galtea.ai"),
            ("https://api.galtea.ai", "https://api.galtea.ai"),
            ("  http://127.0.0.1:8000/  ", "http://127.0.0.1:8000"),
            ("http://proxy.local/galtea/", "http://proxy.local/galtea"),
        ],
    )
    def test_trailing_slashes_and_spaces_go(self, given, expected):
        assert contract.normalise_base_url(given) == expected

    @pytest.mark.parametrize("given", ["", None])
    def test_empty_means_the_public_api(self, given):
        assert contract.normalise_base_url(given) == "https://api.galtea.ai"


class TestDatetimes:
    def test_format_is_utc_milliseconds_with_z(self):
        moment = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
        assert contract.format_datetime(moment) == "2025-01-02T03:04:05.678Z"

    def test_format_converts_other_zones_to_utc(self):
        tokyo = timezone(timedelta(hours=9))
        moment = datetime(2025, 1, 1, 8, 0, tzinfo=tokyo)
        assert contract.format_datetime(moment) == "2024-12-31T23:00:00.000Z"

    def test_format_refuses_naive(self):
        with pytest.raises(ValueError):
            contract.format_datetime(datetime(2025, 1, 1))

    def test_parse_reads_z_as_utc(self):
        parsed = contract.parse_datetime("2025-01-02T03:04:05.678Z")
        assert parsed == datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
        assert parsed.utcoffset() == timedelta(0)

    def test_parse_keeps_an_offset(self):
        parsed = contract.parse_datetime("2025-01-02T05:04:05+02:00")
        assert parsed == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)

    def test_parse_makes_a_naive_timestamp_utc(self):
        parsed = contract.parse_datetime("2025-01-02T03:04:05")
        assert parsed.tzinfo is not None
        assert parsed == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)

    @pytest.mark.parametrize("raw", ["", "yesterday", "2025-13-01T00:00:00Z", 1735787045, None])
    def test_parse_refuses_garbage(self, raw):
        with pytest.raises(ValueError):
            contract.parse_datetime(raw)

    @pytest.mark.parametrize(
        "moment",
        [
            datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
            datetime(1999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC),
            datetime(2030, 7, 1, 0, 0, tzinfo=timezone(timedelta(hours=-7))),
        ],
    )
    def test_round_trip(self, moment):
        assert contract.parse_datetime(contract.format_datetime(moment)) == moment

    def test_round_trip_drops_sub_millisecond_digits(self):
        moment = datetime(2025, 1, 2, 3, 4, 5, 678999, tzinfo=UTC)
        back = contract.parse_datetime(contract.format_datetime(moment))
        assert back == moment.replace(microsecond=678000)


class TestMissingIds:
    def test_reads_the_ids_the_message_names(self):
        message = "PhoneConnections not found: pc_2, pc_3"
        assert contract.missing_ids(message, ["pc_1", "pc_2", "pc_3"]) == ["pc_2", "pc_3"]

    def test_keeps_the_order_asked(self):
        message = "PhoneConnections not found: pc_3, pc_1"
        assert contract.missing_ids(message, ["pc_1", "pc_2", "pc_3"]) == ["pc_1", "pc_3"]

    def test_one_id(self):
        assert contract.missing_ids("PhoneConnections not found: x", ["x", "y"]) == ["x"]

    def test_case_and_spacing_do_not_matter(self):
        message = "phoneconnections NOT FOUND:x,y"
        assert contract.missing_ids(message, ["x", "y", "z"]) == ["x", "y"]

    def test_ids_the_admin_did_not_ask_for_are_ignored(self):
        message = "PhoneConnections not found: a, other"
        assert contract.missing_ids(message, ["a", "b"]) == ["a"]

    @pytest.mark.parametrize(
        "message", ["", None, "Not Found", "PhoneConnections not found: z", "not found:  "]
    )
    def test_every_asked_id_when_the_message_names_none(self, message):
        assert contract.missing_ids(message, ("a", "b")) == ["a", "b"]

    def test_an_id_that_contains_another_is_not_confused(self):
        message = "PhoneConnections not found: pc_10"
        assert contract.missing_ids(message, ["pc_1", "pc_10"]) == ["pc_10"]


class TestPathSegment:
    def test_ids_cannot_escape_their_segment(self):
        assert contract.path_segment("a/../b?c#d") == "a%2F..%2Fb%3Fc%23d"

    def test_plain_ids_are_unchanged(self):
        assert contract.path_segment("phoneConnection_123") == "phoneConnection_123"
