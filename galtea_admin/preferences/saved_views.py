"""Saved list views: a name for a list URL, kept private or shared with the team."""

from __future__ import annotations

from django.db.models import Q
from django.http import QueryDict

from galtea_admin.preferences.models import SavedView

# A saved view restores filters, sort and page size, and opens on the first page.
NOT_SAVED = ("page",)


def saved_query(query_string: str) -> str:
    params = QueryDict(query_string, mutable=True)
    for key in NOT_SAVED:
        params.pop(key, None)
    return params.urlencode()


def visible_views(user, list_name: str):
    """The user's own views and those others shared, the user's own first."""
    views = SavedView.objects.filter(list_name=list_name).filter(Q(owner=user) | Q(shared=True))
    return sorted(
        views.select_related("owner"),
        key=lambda view: (view.owner_id != user.id, view.name.casefold(), view.id),
    )
