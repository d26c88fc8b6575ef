"""Saved list views: a name for a list URL, kept private or shared with the team."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.http import QueryDict

from galtea_admin.lists.params import PAGE_VAR, query_string
from galtea_admin.preferences.models import SavedView


def saved_query(query: QueryDict | str) -> str:
    """The query string a view saves: the list's parameters without the page (a saved view
    restores filters, sort and page size, and opens on the first page)."""
    params = QueryDict(query) if isinstance(query, str) else query
    return query_string(params, remove=(PAGE_VAR,))[1:]


def visible_views(user, list_name: str) -> list[SavedView]:
    """The user's own views and those others shared, the user's own first; each with
    `owner_name`, its owner's username."""
    views = (
        SavedView.objects.filter(Q(owner=user) | Q(shared=True), list_name=list_name)
        .annotate(owner_name=F(f"owner__{get_user_model().USERNAME_FIELD}"))
        .order_by()
    )
    return sorted(views, key=lambda view: (view.owner_id != user.pk, view.name.casefold(), view.id))
