"""The active filters of a list as removable chips: each links to the URL without it."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import QueryDict

from galtea_admin.lists.params import PAGE_VAR, query_string

MAX_CHIP_TEXT = 40


@dataclass(frozen=True)
class Chip:
    label: str
    value: str
    remove_url: str


def shorten(text: str) -> str:
    """`text` on one line, its lines separated by ", ", cut to MAX_CHIP_TEXT with "…"."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    text = ", ".join(line for line in lines if line)
    return text if len(text) <= MAX_CHIP_TEXT else text[: MAX_CHIP_TEXT - 1] + "…"


def url_without(params: QueryDict, key: str, value: str | None = None) -> str:
    """`?query` with `key` (or just its one `value`) removed, and the page reset (removing a
    filter starts the list again from its first page)."""
    if value is None:
        return query_string(params, remove=(PAGE_VAR, key))
    query = params.copy()
    query.setlist(key, [kept for kept in query.getlist(key) if kept != value])
    return query_string(query, remove=(PAGE_VAR,))


def filter_chips(filterset, params: QueryDict) -> list[Chip]:
    """A chip per filter the list applied; one per value for multiple-choice filters. A
    filter it could not apply (its value is refused, at its field and in the banner) has
    none; of a choice with unknown values, only the known ones applied."""
    chips: list[Chip] = []
    form = filterset.form
    refused = form.errors if form.is_bound else {}
    for name, field in form.fields.items():
        values = [v for v in params.getlist(name) if v.strip()]
        if name in refused:
            applied = form.cleaned_data.get(name)
            if not applied or not getattr(field.widget, "allow_multiple_selected", False):
                continue
            values = [value for value in values if value in {str(v) for v in applied}]
        if not values:
            continue
        labels = choice_labels(field)
        if getattr(field.widget, "allow_multiple_selected", False):
            values = list(dict.fromkeys(values))
            if len(values) > getattr(field, "max_values", len(values)):
                # Too many to list (the page says so): one chip removes them all.
                display = f"{len(values)} values"
                chips.append(Chip(field.label, display, url_without(params, name)))
                continue
            for value in values:
                display = str(labels.get(value, value))
                chips.append(Chip(field.label, shorten(display), url_without(params, name, value)))
        else:
            value = values[-1]
            display = (
                value.replace("T", " ") if name.startswith("created") else labels.get(value, value)
            )
            split = getattr(field, "split_pattern", None)  # several values in one box
            if split is not None:
                display = "\n".join(split.split(value))
            chips.append(Chip(field.label, shorten(str(display)), url_without(params, name)))
    return chips


def choice_labels(field) -> dict[str, str]:
    """value → label of a field's fixed choices ("delete" → "Deleted"). None for choices
    drawn from the database: their values (usernames) read well and need no query."""
    if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.ModelChoiceField):
        return {}
    return {str(value): label for value, label in field.choices}
