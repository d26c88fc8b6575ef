"""Draw a page while its slowest part is still on its way, then fill that part in."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


def render_with_slot(
    request,
    template_name: str,
    context: dict,
    *,
    slot: str,
    slot_template: str,
    wait: Callable[[], bool],
) -> str:
    """`template_name` drawn with `{{ <slot> }}` left open, then `slot_template` drawn into
    the opening, both from `context`.

    `wait()` is called in between (it waits for what the slot shows, e.g. a list's rows);
    when it returns True, what it learned changed the rest of the page (an error found by the
    API), which is then drawn again. The opening is marked by a comment with a random token,
    which no escaped value can spell; it never reaches the page.
    """
    marker = SafeString(f"<!--{slot}:{secrets.token_hex(16)}-->")
    page = render_to_string(template_name, {**context, slot: marker}, request)
    if wait():
        page = render_to_string(template_name, {**context, slot: marker}, request)
    if page.count(marker) != 1:
        raise ImproperlyConfigured(f"{template_name} must show {{{{ {slot} }}}} exactly once")
    before, _, after = page.partition(marker)
    return before + render_to_string(slot_template, context, request) + after
