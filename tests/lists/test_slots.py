"""A page drawn around an open slot that is filled in afterwards (render_with_slot)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from galtea_admin.lists.slots import render_with_slot

TEMPLATES = {
    "page.html": "<h1>{{ title }}</h1>{% if note %}<p>{{ note }}</p>{% endif %}"
    "<main>{{ results }}</main><aside>{{ title }}</aside>",
    "results.html": "<ul>{% for row in rows %}<li>{{ row }}</li>{% endfor %}</ul>",
    "whole.html": "<h1>{{ title }}</h1>{% if note %}<p>{{ note }}</p>{% endif %}"
    "<main>{% include 'results.html' %}</main><aside>{{ title }}</aside>",
    "no-slot.html": "<h1>{{ title }}</h1>",
    "two-slots.html": "<h1>{{ results }}</h1><main>{{ results }}</main>",
}


@pytest.fixture(autouse=True)
def templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]


def draw(context, wait=lambda: False, template="page.html"):
    return render_with_slot(
        None, template, context, slot="results", slot_template="results.html", wait=wait
    )


def test_the_filled_page_is_the_page_drawn_in_one_go():
    context = {"title": "Rows & more", "rows": ["<b>one</b>", "two"], "note": ""}

    page = draw(context)

    assert page == render_to_string("whole.html", context)
    assert "&lt;b&gt;one&lt;/b&gt;" in page
    assert "<!--" not in page  # the opening's marker never reaches the page


def test_the_slot_is_filled_with_what_wait_left_in_the_context():
    context = {"title": "T", "rows": []}

    def wait():
        context["rows"].extend(["late", "rows"])
        return False

    assert "<li>late</li><li>rows</li>" in draw(context, wait)


def test_when_wait_says_the_page_changed_it_is_drawn_again():
    context = {"title": "T", "rows": ["r"], "note": ""}
    waited = []

    def wait():
        waited.append(True)
        context["note"] = "the API found a problem"
        return True

    page = draw(context, wait)

    assert waited == [True]
    assert page == render_to_string("whole.html", context)
    assert "<p>the API found a problem</p>" in page


def test_a_value_that_spells_a_comment_stays_text():
    context = {"title": "<!--results:00-->", "rows": ["r"]}

    page = draw(context)

    assert page.count("<li>r</li>") == 1
    assert page.count("&lt;!--results:00--&gt;") == 2


@pytest.mark.parametrize("template", ["no-slot.html", "two-slots.html"])
def test_a_page_must_show_the_slot_exactly_once(template):
    """Without it the rows would be missing; twice, the marker would reach the page."""
    with pytest.raises(ImproperlyConfigured, match="results"):
        draw({"title": "T", "rows": []}, template=template)
