"""Query strings as the API reads them: `key[]=v` and repeated `key=v` both make arrays."""

from __future__ import annotations

from urllib.parse import parse_qsl

from emulator.errors import bad_request

ARRAY_SUFFIX = "[]"


class QueryParams:
    """The parameters of one query string, each key holding its values in order.

    Keys are read without their `[]` suffix, so `ids[]=a&ids=b` gives `ids` two values.
    A `+` decodes to a space, as in form encoding; a literal plus arrives as `%2B`.
    """

    def __init__(self, raw_query: str) -> None:
        self._values: dict[str, list[str]] = {}
        for key, value in parse_qsl(raw_query, keep_blank_values=True):
            self._values.setdefault(key.removesuffix(ARRAY_SUFFIX), []).append(value)

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def array(self, key: str) -> tuple[str, ...]:
        """Every value given for `key`, in order; empty when absent."""
        return tuple(self._values.get(key, ()))

    def scalar(self, key: str) -> str | None:
        """The single value of `key`, None when absent; 400 when given more than once."""
        values = self._values.get(key)
        if values is None:
            return None
        if len(values) > 1:
            raise bad_request(f"{key} must be given once, not {len(values)} times.")
        return values[0]
