"""The list pages' HTML helpers give exactly what Django's escaping gives."""

import pytest
from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe

from galtea_admin.lists import html

VALUES = [
    "plain",
    "<script>alert('x')</script>",
    "a \"quoted\" & 'single' value",
    "",
    "é ☃ 漢字",
    None,
    0,
    42.5,
    True,
    mark_safe("<b>already HTML</b>"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_escape_matches_djangos_conditional_escape(value):
    assert html.escape(value) == django_html.conditional_escape(value)


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_format_html_matches_djangos(value):
    template = '<td class="x" title="{}">{}</td>'
    built = html.format_html(template, value, value)
    assert built == django_html.format_html(template, value, value)
    assert isinstance(built, SafeString)


def test_join_html_escapes_text_and_keeps_html():
    joined = html.join_html([mark_safe("<a>Edit</a>"), "<b>", 3], " | ")
    assert joined == "<a>Edit</a> | &lt;b&gt; | 3"
    assert isinstance(joined, SafeString)
