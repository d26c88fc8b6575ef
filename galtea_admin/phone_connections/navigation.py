"""Where to go back to: the list as the user left it (filters, sort, page), or a detail."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

MAX_NEXT_LENGTH = 4000
URL_SLOT = "connection-id-slot"
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


def detail_url(connection_id: str) -> str:
    return reverse("phone_connections:detail", args=[connection_id])


def list_url() -> str:
    return reverse("phone_connections:list")


@lru_cache(maxsize=4096)
def path_segment(connection_id: str) -> str:
    """A connection id as a URL path segment (as reverse() would quote it)."""
    return quote(connection_id, safe=PATH_SAFE)


class ConnectionUrls:
    """The pages of many connections (a table's rows): one reverse() per page name, with
    each id put in its slot as reverse() would quote it, rather than one per row."""

    def __init__(self):
        self.patterns: dict[str, str] = {}

    def __call__(self, name: str, connection_id: str) -> str:
        """The URL of page `name` ("detail", "update", "delete") of a connection."""
        pattern = self.patterns.get(name)
        if pattern is None:
            pattern = self.patterns[name] = reverse(f"phone_connections:{name}", args=[URL_SLOT])
        return pattern.replace(URL_SLOT, path_segment(connection_id))
