"""Where to go back to (the list as the person left it, or a detail page), and the pages of
many entities of one resource."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

MAX_NEXT_LENGTH = 4000
URL_SLOT = "entity-id-slot"
PATH_SAFE = "!$&'()*+,;=~:@"


def safe_next(request) -> str | None:
    """The `next` of the request (form or URL) if it is a path on this site, else None."""
    return safe_target(request, request.POST.get("next") or request.GET.get("next") or "")


def safe_target(request, target: str) -> str | None:
    """`target` if it is a path on this site, else None."""
    if not target or len(target) > MAX_NEXT_LENGTH or not target.startswith("/"):
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target


@lru_cache(maxsize=4096)
def path_segment(entity_id: str) -> str:
    """An id as a URL path segment (as reverse() would quote it)."""
    return quote(entity_id, safe=PATH_SAFE)


class EntityUrls:
    """The pages of many entities of one resource (a table's rows): one reverse() per page
    name, with each id put in its slot as reverse() would quote it, rather than one per row."""

    def __init__(self, resource_key: str):
        self.resource_key = resource_key
        self.patterns: dict[str, str] = {}

    def __call__(self, page: str, entity_id: str) -> str:
        """The URL of page `page` ("detail", "update", "delete") of an entity."""
        pattern = self.patterns.get(page)
        if pattern is None:
            name = f"{self.resource_key}:{page}"
            pattern = self.patterns[page] = reverse(name, args=[URL_SLOT])
        return pattern.replace(URL_SLOT, path_segment(entity_id))
