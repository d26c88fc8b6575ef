"""What a list request asks for: filters, order and page, parsed and checked from its query.

Each list endpoint describes its parameters with a `ListSpec`; `parse_list_query` turns a
query string into a `ListQuery` the store can run, or raises a 400 `ApiError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from emulator.errors import bad_request
from emulator.querystring import QueryParams
from emulator.timestamps import parse_timestamp

DEFAULT_LIMIT = 10_000
MAX_LIMIT = 10_000
SORT_DIRECTIONS = {"asc": "ASC", "desc": "DESC"}
DEFAULT_ORDER = (("created_at", "DESC"),)
STRICT_IDS_KEY = "ids"
DIGITS = re.compile(r"[0-9]+")
# SQLite's largest integer: a larger offset means the same as this one, past every row.
LARGEST_INTEGER = 2**63 - 1


@dataclass(frozen=True)
class PartialFilter:
    """A substring filter on `column`; `casefold` makes it case-insensitive.

    A case-insensitive filter searches a column that holds the casefolded text.
    """

    column: str
    casefold: bool


@dataclass(frozen=True)
class ListSpec:
    """The parameters one list endpoint accepts, mapped to its table's columns."""

    exact_filters: dict[str, str]
    partial_filters: dict[str, PartialFilter]
    sort_fields: dict[str, str]


@dataclass(frozen=True)
class ListQuery:
    """A checked list request. `order` is (column, "ASC"/"DESC") pairs, without the tie-breaker."""

    exact: dict[str, tuple[str, ...]]
    partial: dict[str, str]
    created_from: int | None
    created_to: int | None
    order: tuple[tuple[str, str], ...]
    limit: int
    offset: int
    strict_ids: tuple[str, ...]


def parse_list_query(params: QueryParams, spec: ListSpec) -> ListQuery:
    return ListQuery(
        exact={
            column: params.array(key) for key, column in spec.exact_filters.items() if key in params
        },
        partial=_partial_filters(params, spec.partial_filters),
        created_from=_timestamp(params, "fromCreatedAt"),
        created_to=_timestamp(params, "toCreatedAt"),
        order=_order(params.array("sort"), spec.sort_fields),
        limit=_limit(params),
        offset=_non_negative_int(params, "offset", default=0),
        strict_ids=tuple(dict.fromkeys(params.array(STRICT_IDS_KEY))),
    )


def _partial_filters(params: QueryParams, filters: dict[str, PartialFilter]) -> dict[str, str]:
    needles = {}
    for key, partial in filters.items():
        needle = params.scalar(key)
        if needle is not None:
            needles[partial.column] = needle.casefold() if partial.casefold else needle
    return needles


def _timestamp(params: QueryParams, key: str) -> int | None:
    text = params.scalar(key)
    if text is None:
        return None
    epoch_ms = parse_timestamp(text)
    if epoch_ms is None:
        raise bad_request(f"{key} must be an ISO 8601 date-time, not {text!r}.")
    return epoch_ms


def _order(sort: tuple[str, ...], sort_fields: dict[str, str]) -> tuple[tuple[str, str], ...]:
    if not sort:
        return DEFAULT_ORDER
    if len(sort) % 2:
        raise bad_request(
            "sort must hold field and direction pairs, e.g. sort[]=createdAt&sort[]=desc."
        )
    order = []
    for field, direction in zip(sort[::2], sort[1::2], strict=True):
        if field not in sort_fields:
            raise bad_request(f"Cannot sort by {field!r}: use one of {', '.join(sort_fields)}.")
        if direction not in SORT_DIRECTIONS:
            raise bad_request(f"Sort direction must be asc or desc, not {direction!r}.")
        order.append((sort_fields[field], SORT_DIRECTIONS[direction]))
    return tuple(order)


def _limit(params: QueryParams) -> int:
    limit = _non_negative_int(params, "limit", default=DEFAULT_LIMIT)
    if limit > MAX_LIMIT:
        raise bad_request(f"limit must be at most {MAX_LIMIT}, not {limit}.")
    return limit


def _non_negative_int(params: QueryParams, key: str, *, default: int) -> int:
    text = params.scalar(key)
    if text is None:
        return default
    if not DIGITS.fullmatch(text):
        raise bad_request(f"{key} must be a non-negative integer, not {text!r}.")
    significant = text.lstrip("0") or "0"
    return int(significant) if len(significant) < len(str(LARGEST_INTEGER)) else LARGEST_INTEGER
