"""Saved list views: a name for a list URL, kept private or shared with the team."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import QueryDict

from galtea_admin.lists.params import PAGE_VAR, query_string
from galtea_admin.preferences.models import SavedView

UNDO_SALT = "galtea_admin.preferences.saved_view_undo"
# How long the "Undo" of a removal works: it is offered once, right after removing.
UNDO_SECONDS = 60 * 60


class UndoRefused(Exception):
    """The removal cannot be undone (by this person, or any more)."""


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


def saved_view_remove(*, view: SavedView, by) -> str:
    """Remove `view`; returns the signed note with which `by`, and only they, may undo it."""
    note = {
        "by": by.pk,
        "owner": view.owner_id,
        "list": view.list_name,
        "name": view.name,
        "query": view.query,
        "shared": view.shared,
    }
    view.delete()
    return signing.dumps(note, salt=UNDO_SALT, compress=True)


def saved_view_undo_list(*, note: str) -> str | None:
    """The list a removal note's view belonged to (None for a damaged note)."""
    try:
        return signing.loads(note, salt=UNDO_SALT)["list"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def saved_view_restore(*, note: str, by) -> SavedView:
    """Make the view a removal note describes again, with the same name, query and sharing."""
    try:
        removed = signing.loads(note, salt=UNDO_SALT, max_age=UNDO_SECONDS)
    except signing.SignatureExpired:
        raise UndoRefused("It is too late to undo that removal: save the view again.") from None
    except signing.BadSignature:
        raise UndoRefused("That removal cannot be undone.") from None
    if removed["by"] != by.pk:
        raise PermissionDenied  # only the person who removed a view may undo it
    name = removed["name"]
    if not get_user_model().objects.filter(pk=removed["owner"]).exists():
        raise UndoRefused("That removal cannot be undone: its owner has left.")
    if SavedView.objects.filter(
        owner_id=removed["owner"], list_name=removed["list"], name=name
    ).exists():
        raise UndoRefused(f"There is a saved view named “{name}” already.")
    return SavedView.objects.create(
        owner_id=removed["owner"],
        list_name=removed["list"],
        name=name,
        query=removed["query"],
        shared=removed["shared"],
    )
