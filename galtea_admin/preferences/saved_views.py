"""Saved list views: a name for a list URL, kept private or shared with the team."""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import QueryDict

from galtea_admin.lists.query import encode_query
from galtea_admin.preferences.models import SavedView

# A saved view restores filters, sort and page size, and opens on the first page.
NOT_SAVED = ("page",)


def saved_query(query: QueryDict | str) -> str:
    """The query string a view saves: the list's parameters without the page."""
    params = QueryDict(query) if isinstance(query, str) else query
    return encode_query(params, drop=NOT_SAVED)


def visible_views(user, list_name: str) -> list[SavedView]:
    """The user's own views and those others shared, the user's own first; each with
    `owner_name`, its owner's username."""
    views = SavedView.objects.raw(visible_views_sql(), [list_name, user.pk, True])
    return sorted(views, key=lambda view: (view.owner_id != user.pk, view.name.casefold(), view.id))


@cache
def visible_views_sql() -> str:
    """Read on every list page, so written out: building it through the ORM took ten times
    longer than running it."""
    people = get_user_model()._meta
    q = connection.ops.quote_name

    def column(name: str) -> str:
        return q(SavedView._meta.get_field(name).column)

    owner, username = column("owner"), q(people.get_field(people.model.USERNAME_FIELD).column)
    # Every identifier comes from the models; values are passed as parameters.
    return (
        f"SELECT v.*, p.{username} AS owner_name FROM {q(SavedView._meta.db_table)} v "  # noqa: S608
        f"JOIN {q(people.db_table)} p ON p.{q(people.pk.column)} = v.{owner} "
        f"WHERE v.{column('list_name')} = %s AND (v.{owner} = %s OR v.{column('shared')} = %s)"
    )
