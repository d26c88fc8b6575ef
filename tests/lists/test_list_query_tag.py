"""`{% list_query %}` gives the links Django's `{% querystring %}` would."""

from __future__ import annotations

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory

QUERIES = ["", "page=3", "product=p1&product=p2&name=a+b&page=2&sort=-phone", "q=%2B1+415&x=&"]
CHANGES = ["page=4", "page=None", "per_page=50 page=None", "sort='name'"]


@pytest.mark.parametrize("changes", CHANGES)
@pytest.mark.parametrize("query", QUERIES)
def test_same_links_as_djangos_querystring(query, changes):
    request = RequestFactory().get(f"/phone-connections/?{query}")
    ours = Template(f"{{% load list_query %}}{{% list_query {changes} %}}")
    django = Template(f"{{% querystring {changes} %}}")

    assert ours.render(RequestContext(request)) == django.render(RequestContext(request))
