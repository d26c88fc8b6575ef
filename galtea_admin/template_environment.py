"""The Jinja2 environment of the templates in `templates/jinja2/`: the form fields and list
tables, which a page draws many times over (see `settings.TEMPLATES`)."""

from __future__ import annotations

from django.urls import reverse
from jinja2 import Environment


def environment(**options) -> Environment:
    # Django's backend turns autoescaping on; said here too, so it cannot be lost.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.globals["url"] = lambda name, *args: reverse(name, args=args)
    return env
