"""Where to go back to: the list as the user left it (filters, sort, page), or a detail."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

MAX_NEXT_LENGTH = 4000


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
