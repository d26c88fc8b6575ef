"""“All N matching” (as Django admin's "Select all N"): a bulk action over every row that
matches a list's filters and quick search, not only the rows ticked on its page.

The list's bulk form carries the choice as a real form field (`all_matching`, a box offered
once the page's rows are all ticked, and there without JavaScript too) beside the list's
query (`list_query`: its URL's filters; its sort and page say nothing of which rows match).
The action's pages name the filters with the list's own chips and estimate how many rows
match (the list's count probes: the API gives no total). The job then finds the matching
ids itself, through the API a page at a time, and stores them all before it changes
anything: deleting while paging by offset would skip rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.http import QueryDict

from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaError, GalteaIdsNotFound
from galtea_admin.galtea.products import cached_products
from galtea_admin.galtea.resources import (
    IDS,
    resource_absent_fields,
    resource_count,
    resource_iterate,
)
from galtea_admin.lists.changelist import filters_valid
from galtea_admin.lists.chips import Chip, filter_chips
from galtea_admin.lists.params import COUNT_VAR, NEXT_VAR, ORDER_VAR, PAGE_VAR, PER_PAGE_VAR
from galtea_admin.lists.tables import api_order

# The bulk form's fields: the choice ("yes") and the list's query.
ALL_MATCHING_VAR = "all_matching"
LIST_QUERY_VAR = "list_query"
# The list's controls: none of them says which rows match.
CONTROLS = (ORDER_VAR, PAGE_VAR, PER_PAGE_VAR, COUNT_VAR, NEXT_VAR)
# How many ids a job reads at once while it finds the matching rows (the API's largest page).
COLLECT_PAGE_ROWS = contract.MAX_LIMIT


class BadFilters(ValueError):
    """The list's filters cannot be applied (no longer valid, or damaged on the way)."""


@dataclass(frozen=True)
class Matching:
    """Every row of `resource` that matches a list's filters (`query`, as its URL has them)."""

    resource: object
    query: str
    filterset: object
    chips: list[Chip]

    @property
    def filters_text(self) -> str:
        """ "Name contains: Staging; Product: Acme", as the list's chips say (empty: none)."""
        return "; ".join(f"{chip.label}: {chip.value}" for chip in self.chips)

    @property
    def rows_text(self) -> str:
        """ "every phone connection matching Name contains: Staging"."""
        every = f"every {self.resource.noun}"
        return f"{every} matching {self.filters_text}" if self.chips else every

    def estimate(self) -> int | None:
        """How many match now, by the list's one-row probes (None: Galtea could not say)."""
        try:
            return resource_count(self.resource.spec, query=self.filterset.qs)
        except GalteaError:
            return None


def chosen(data) -> bool:
    """Whether a bulk form asks for every matching row (rather than the ticked ones)."""
    return data.get(ALL_MATCHING_VAR) == "yes"


def filters_query(raw: str) -> str:
    """The list's query without its controls (sort, page, page size)."""
    params = QueryDict(raw.strip().lstrip("?"), mutable=True)
    for key in CONTROLS:
        params.pop(key, None)
    return params.urlencode()


def matching(resource, raw_query: str, *, products, absent_fields) -> Matching:
    """The rows a list's query matches; BadFilters when its filters do not apply."""
    query = filters_query(raw_query)
    params = QueryDict(query)
    filterset = resource.filterset_class(
        params or None, products=products, absent_fields=absent_fields
    )
    if not filters_valid(filterset) or filterset.matches_nothing:
        raise BadFilters(
            "The list's filters do not apply any more: check them on the list, then select "
            "the rows again."
        )
    return Matching(resource, query, filterset, filter_chips(filterset, params))


def posted_matching(resource, data, *, absent_fields) -> Matching:
    """The rows a bulk form's POST asks for with "all matching"."""
    return matching(
        resource,
        data.get(LIST_QUERY_VAR, ""),
        products=cached_products(),
        absent_fields=absent_fields,
    )


def matching_ids(resource, query: str) -> Iterator[str]:
    """The id of every row that matches `query` now, read through the API a page at a time
    in the list's default order (unique, so that pages neither overlap nor leave gaps). Ids
    of an id filter that are gone by now are left out, as the list leaves them."""
    found = matching(
        resource,
        query,
        products=cached_products(),
        absent_fields=resource_absent_fields(resource.spec),
    )
    remote = found.filterset.qs.order_by(*api_order(resource.table_class, [resource.default_sort]))
    while True:
        try:
            for record in resource_iterate(
                resource.spec, query=remote, chunk_size=COLLECT_PAGE_ROWS
            ):
                yield record.id
            return
        except GalteaIdsNotFound as error:  # only ever on the first page, before any row
            asked = remote.condition(IDS, ())
            left = [entity_id for entity_id in asked if entity_id not in error.missing_ids]
            if len(left) == len(asked):
                raise
            if not left:
                return
            remote = remote.filter(ids=left)
