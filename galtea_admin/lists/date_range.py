"""A "from – to" pair of filter fields whose order is checked."""

from __future__ import annotations

from django import forms


def check_date_range(form: forms.Form, start: str, end: str) -> None:
    """Flag `end` when it comes before `start` (both cleaned, when given)."""
    data = form.cleaned_data
    if data.get(start) and data.get(end) and data[start] > data[end]:
        form.add_error(end, f"This is before “{form.fields[start].label}”.")
