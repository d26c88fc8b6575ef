"""Query strings of list URLs: the current one with some parameters changed or left out.

Built from the parameters' (key, values) pairs: copying a QueryDict deep-copies every value,
and a list page makes a dozen of these links (sort links, filter chips, the export link).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlencode

from django.http import QueryDict


def encode_query(
    params: QueryDict,
    *,
    drop: Iterable[str] = (),
    replace: Mapping[str, str] | None = None,
    keep: Callable[[str, str], bool] | None = None,
) -> str:
    """`params` as a query string (no "?"; "" when nothing is left), the same encoding as
    `QueryDict.urlencode()`: without the `drop` keys and the (key, value) pairs `keep`
    refuses, with each `replace` key set to its one value (in its place, else at the end).
    A key both dropped and replaced is dropped."""
    drop = frozenset(drop)
    replace = {key: value for key, value in (replace or {}).items() if key not in drop}
    pairs = []
    for key, values in params.lists():
        if key in drop:
            continue
        if key in replace:
            values = [replace.pop(key)]
        pairs.extend((key, value) for value in values if keep is None or keep(key, value))
    pairs.extend(replace.items())
    return urlencode(pairs)
