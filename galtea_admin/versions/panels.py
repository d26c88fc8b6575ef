"""The panels that say what uses a connection: on its page, the versions that call it and
their latest calls; on its delete confirmations, the versions that still call it. A panel
that cannot load says so in place and leaves the rest of the page usable."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.http import urlencode

from galtea_admin.calls.tables import outcome_cell, recording_cell, status_cell
from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaError
from galtea_admin.galtea.sessions import latest_sessions
from galtea_admin.galtea.versions import Version, versions_using
from galtea_admin.lists.navigation import safe_next
from galtea_admin.lists.registry import site
from galtea_admin.lists.views import products_by_id

RECENT_CALLS = 10
VERSIONS_KEY = "versions"


def loaded(fetch: Callable):
    """(what `fetch` returns, None) or (None, what failed): a panel that cannot load says
    so in place and leaves the rest of the page usable."""
    try:
        return fetch(), None
    except GalteaError as error:
        return None, f"{error.title}. {error.message}"


def versions_admin():
    return site.get(VERSIONS_KEY)


def usage_panels(request, *, resource, target: str, connection) -> list[tuple[str, dict]]:
    """The "Used by" and "Recent calls" panels of a connection's page: one request for
    its versions, one for their latest calls."""
    versions, error = loaded(lambda: versions_using(target, [connection.id]))
    products = products_by_id()
    used_by = {
        "rows": [
            (
                version,
                products.get(version.product_id),
                reverse(f"{resource.key}:detach_version", args=[connection.id, version.id]),
            )
            for version in versions or ()
        ],
        "error": error,
        "loaded": versions is not None,
        "may_change": request.user.has_perm(versions_admin().permission("change")),
        "attach_url": reverse(f"{resource.key}:attach_version", args=[connection.id]),
        "connection_noun": resource.noun,
    }
    return [
        ("versions/_used_by.html", used_by),
        recent_calls_panel(request, versions or [], unavailable=error is not None),
    ]


def recent_calls_panel(request, versions: list[Version], *, unavailable: bool = False):
    """The latest calls made for `versions`, newest first, with a player per recording."""
    if unavailable:
        calls, error = None, "The versions could not be read, so neither can their calls."
    else:
        ids = [version.id for version in versions]
        calls, error = loaded(lambda: latest_sessions(ids, limit=RECENT_CALLS))
    names = {version.id: version.name for version in versions}
    return (
        "calls/_recent_calls.html",
        {
            "rows": [
                (
                    call,
                    names.get(call.version_id, call.version_id),
                    status_cell(call.status),
                    outcome_cell(call),
                    recording_cell(call),
                )
                for call in calls or ()
            ],
            "error": error,
            "has_versions": bool(names),
            "all_calls_url": calls_url(list(names)),
        },
    )


def calls_url(version_ids: list[str]) -> str:
    """The session list of these versions."""
    ids = " ".join(version_ids[: contract.MAX_IDS_PER_REQUEST])
    return f"{reverse('sessions:list')}?{urlencode({'version': ids})}"


def usage_delete_panel(request, *, resource, target: str, records) -> tuple[str, dict]:
    """The versions that still call the connections about to be deleted (one request),
    with the offer to detach them first."""
    ids = [record.id for record in records]
    bulk = request.method == "POST"
    versions, error = loaded(lambda: versions_using(target, ids))
    by_connection: dict[str, list[Version]] = {}
    for version in versions or ():
        by_connection.setdefault(getattr(version, target), []).append(version)
    return (
        "versions/_delete_usage.html",
        {
            "users": [(r, by_connection[r.id]) for r in records if r.id in by_connection],
            "error": error,
            "ids": ids,
            "may_change": request.user.has_perm(versions_admin().permission("change")),
            "detach_all_url": reverse(f"{resource.key}:detach_all_versions"),
            # After detaching: back to this confirmation (the bulk one is posted again, with
            # its own way back).
            "next_url": (
                (safe_next(request) or reverse(f"{resource.key}:list"))
                if bulk
                else request.get_full_path()
            ),
            "bulk": bulk,
        },
    )
