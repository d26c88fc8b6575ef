"""Small pieces of markup that cells and detail lines show (a date, a link, a value with a
note), drawn by Jinja2 macros so that the markup lives in templates: `lists/_cells.html`,
and a resource's own `<app>/_cells.html`."""

from __future__ import annotations

from functools import cache

from django.template import engines
from django.utils.safestring import SafeString

SHARED = "lists/_cells.html"


def draw(template: str, macro: str, *args) -> SafeString:
    """The HTML of `macro` in `template` (a Jinja2 template of macros) called with `args`;
    safe in any template, Django's or Jinja2's."""
    return SafeString(getattr(macros(template), macro)(*args))


def macros(template: str):
    """The macros of `template`: loaded once, unless templates are reloaded when changed."""
    environment = engines["jinja2"].env
    if environment.auto_reload:
        return environment.get_template(template).module
    return loaded_macros(template)


@cache
def loaded_macros(template: str):
    return engines["jinja2"].env.get_template(template).module


def link(url: str, content) -> SafeString:
    return draw(SHARED, "link", url, content)


def with_note(text, note, note_class: str = "muted") -> SafeString:
    """ "text <span class=note_class>note</span>", e.g. "Agent (the agent greets first)"."""
    return draw(SHARED, "with_note", text, note, note_class)


def mono(text) -> SafeString:
    return draw(SHARED, "mono", text)
