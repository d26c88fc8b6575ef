"""The URL parameters of every list's controls, named once (filters add their own), and
links that change some of them."""

from __future__ import annotations

from django.http import QueryDict

# The URL parameters of every list's controls (filters add their own).
SEARCH_VAR = "q"
ORDER_VAR = "sort"
PAGE_VAR = "page"
PER_PAGE_VAR = "per_page"
NEXT_VAR = "next"
# Asks the list to count the rows that match (worked out on demand: the API gives no total).
COUNT_VAR = "count"
# An id-list filter: where ids the API does not know are reported.
IDS_VAR = "ids"


def query_string(params: QueryDict, *, changes: dict | None = None, remove=()) -> str:
    """`?query` of `params` with each of `changes` set to one value and `remove` left out
    (just "?" when nothing is left: a link to the same list without parameters)."""
    query = params.copy()
    for key in remove:
        query.pop(key, None)
    for key, value in (changes or {}).items():
        query[key] = str(value)
    return f"?{query.urlencode()}"
