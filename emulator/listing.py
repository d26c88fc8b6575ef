"""What a list request asks for: filters, order and page, parsed and checked from its query.

Each list endpoint describes its parameters with a `ListSpec`; `parse_list_query` turns a
query string into a `ListQuery` the store can run, or raises a 400 `ApiError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from emulator.errors import bad_request
from emulator.querystring import QueryParams
from emulator.timestamps import parse_timestamp

DEFAULT_LIMIT = 10_000
MAX_LIMIT = 10_000
SORT_DIRECTIONS = {"asc": "ASC", "desc": "DESC"}
DEFAULT_ORDER = (("created_at", "DESC"),)
STRICT_IDS_KEY = "ids"
# In an include/exclude pair of reference filters, this value stands for "no reference".
NO_REFERENCE = ""
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
class ChoiceFilter:
    """An exact filter on `column` whose every value must be one of `choices`, else a 400."""

    column: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class ReferenceFilter:
    """An include/exclude pair of id arrays on a nullable reference `column`.

    In either array `""` stands for no reference: `phoneConnectionIds[]=` alone asks for rows
    without one, `excludePhoneConnectionIds[]=` for rows with one; both mix with real ids.
    """

    column: str
    include: str
    exclude: str


@dataclass(frozen=True)
class ListSpec:
    """The parameters one list endpoint accepts, mapped to its table's columns.

    When `scoping_filters` is not empty, a request must give at least one of them a value.
    """

    exact_filters: dict[str, str]
    partial_filters: dict[str, PartialFilter]
    sort_fields: dict[str, str]
    choice_filters: dict[str, ChoiceFilter] = field(default_factory=dict)
    reference_filters: tuple[ReferenceFilter, ...] = ()
    scoping_filters: tuple[str, ...] = ()


@dataclass(frozen=True)
class IdSet:
    """Ids asked for by one array of a reference filter, and whether `""` (none) was among them."""

    ids: tuple[str, ...]
    none: bool


@dataclass(frozen=True)
class ListQuery:
    """A checked list request. `order` is (column, "ASC"/"DESC") pairs, without the tie-breaker.

    `included` and `excluded` map a reference column to the ids its filter pair names.
    """

    exact: dict[str, tuple[str, ...]]
    partial: dict[str, str]
    created_from: int | None
    created_to: int | None
    order: tuple[tuple[str, str], ...]
    limit: int
    offset: int
    strict_ids: tuple[str, ...]
    included: dict[str, IdSet] = field(default_factory=dict)
    excluded: dict[str, IdSet] = field(default_factory=dict)


def parse_list_query(params: QueryParams, spec: ListSpec) -> ListQuery:
    _require_scope(params, spec.scoping_filters)
    return ListQuery(
        exact={
            **{
                column: params.array(key)
                for key, column in spec.exact_filters.items()
                if key in params
            },
            **_choice_filters(params, spec.choice_filters),
        },
        partial=_partial_filters(params, spec.partial_filters),
        created_from=_timestamp(params, "fromCreatedAt"),
        created_to=_timestamp(params, "toCreatedAt"),
        order=_order(params.array("sort"), spec.sort_fields),
        limit=_limit(params),
        offset=_non_negative_int(params, "offset", default=0),
        strict_ids=tuple(dict.fromkeys(params.array(STRICT_IDS_KEY))),
        included=_id_sets(params, {ref.include: ref.column for ref in spec.reference_filters}),
        excluded=_id_sets(params, {ref.exclude: ref.column for ref in spec.reference_filters}),
    )


def _require_scope(params: QueryParams, scoping: tuple[str, ...]) -> None:
    """A blank value scopes nothing: `versionIds[]=` alone names no version."""
    if not scoping:
        return
    if not any(value.strip() for key in scoping for value in params.array(key)):
        names = ", ".join(f"{key}[]" for key in scoping)
        raise bad_request(f"At least one id filter is required, one of: {names}.")


def _choice_filters(
    params: QueryParams, filters: dict[str, ChoiceFilter]
) -> dict[str, tuple[str, ...]]:
    chosen = {}
    for key, choice in filters.items():
        if key not in params:
            continue
        values = params.array(key)
        wrong = [value for value in values if value not in choice.choices]
        if wrong:
            raise bad_request(
                f"{key} must hold only {', '.join(choice.choices)}, not {wrong[0]!r}."
            )
        chosen[choice.column] = values
    return chosen


def _id_sets(params: QueryParams, columns: dict[str, str]) -> dict[str, IdSet]:
    sets = {}
    for key, column in columns.items():
        if key in params:
            values = params.array(key)
            ids = tuple(dict.fromkeys(value for value in values if value != NO_REFERENCE))
            sets[column] = IdSet(ids=ids, none=NO_REFERENCE in values)
    return sets


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
    for name, direction in zip(sort[::2], sort[1::2], strict=True):
        if name not in sort_fields:
            raise bad_request(f"Cannot sort by {name!r}: use one of {', '.join(sort_fields)}.")
        if direction not in SORT_DIRECTIONS:
            raise bad_request(f"Sort direction must be asc or desc, not {direction!r}.")
        order.append((sort_fields[name], SORT_DIRECTIONS[direction]))
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
