"""The Jinja2 environment of every page (`templates/jinja2/`): pages, their parts, form
fields and widgets, list tables (see `settings.TEMPLATES`). Django's own admin keeps
Django's templates."""

from __future__ import annotations

from functools import cache, lru_cache

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, Environment

from galtea_admin.lists.tables import moment_cell


def environment(**options) -> Environment:
    # Django's backend turns autoescaping on; said here too, so it cannot be lost.
    options.pop("autoescape", None)
    # A value a page was not given draws as nothing, as with Django's templates, also when
    # one of its attributes is read.
    options["undefined"] = ChainableUndefined
    env = Environment(autoescape=True, **options)
    env.globals.update(
        url=url,
        static=cache(static),  # a file's URL is fixed while the admin runs (its manifest)
        current_time_zone=timezone.get_current_timezone_name,
    )
    env.filters.update(
        # Django's, so that the words and sizes read as they did.
        pluralize=defaultfilters.pluralize,
        filesizeformat=defaultfilters.filesizeformat,
        moment=moment_cell,
    )
    return env


def url(name: str, *args) -> str:
    """The URL of the view `name` with `args`, as `reverse` gives it: worked out once for
    each name, arguments and script prefix, rather than on every page that links there."""
    return reversed_url(name, args, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=4096)
def reversed_url(name: str, args: tuple, prefix: str, urlconf) -> str:
    return reverse(name, args=args, urlconf=urlconf)
