"""`{% list_query page=2 %}`: this page's query string with some parameters set to one
value each (None removes one): the same links as Django's `{% querystring %}` makes for
single values, built from the parameters' pairs without copying the query (list pages make
several of these links)."""

from __future__ import annotations

from django import template

from galtea_admin.lists.query import encode_query

register = template.Library()


@register.simple_tag(takes_context=True)
def list_query(context, **changes) -> str:
    params = context.request.GET
    encoded = encode_query(
        params,
        drop=[key for key, value in changes.items() if value is None],
        replace={key: str(value) for key, value in changes.items() if value is not None},
    )
    return f"?{encoded}" if encoded or params else ""
