"""Form fields for list filters: several values in one box, and a date and time picked in
the browser."""

from __future__ import annotations

import re
from datetime import UTC

from django import forms
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django_filters.fields import MultipleChoiceField

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class ValueListField(forms.CharField):
    """Several values typed in one box, one per line (or separated by `separators`).

    Cleans to a list of unique, stripped values; `max_values` caps how many.
    """

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *, separators: str = r"\n", max_values: int = 200, **kwargs):
        kwargs.setdefault("max_length", 20000)
        super().__init__(**kwargs)
        self.split_pattern = re.compile(f"[{separators}]+")
        self.max_values = max_values

    def to_python(self, value):
        text = super().to_python(value)
        values = [part.strip() for part in self.split_pattern.split(text or "")]
        return list(dict.fromkeys(v for v in values if v))

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_values:
            raise forms.ValidationError(
                f"At most {self.max_values} values at once (you gave {len(value)})."
            )

    def run_validators(self, value):
        for item in value:
            super().run_validators(item)


class NormalizedChoices(BaseChoiceIterator):
    """Choices as (value, label) pairs, put in that form once. A django-filter choice field
    puts its choices in that form again each time they are read (to draw each option, to
    validate), and Django's `normalize_choices` is slow (bench/README.md)."""

    def __init__(self, choices):
        self.pairs = normalize_choices(choices)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self):
        return len(self.pairs)


class DistinctMultipleChoiceField(MultipleChoiceField):
    """Several choices (a URL parameter repeated), each kept once; `max_values` caps how
    many, so that a URL cannot make a page, its links and its API query grow without end."""

    def __init__(self, *, max_values: int, **kwargs):
        super().__init__(**kwargs)
        self.max_values = max_values

    def _set_choices(self, value):
        MultipleChoiceField.choices.fset(self, NormalizedChoices(value))

    choices = property(MultipleChoiceField.choices.fget, _set_choices)

    def to_python(self, value):
        return list(dict.fromkeys(super().to_python(value)))

    def validate(self, value):
        if len(value) > self.max_values:
            raise forms.ValidationError(
                f"At most {self.max_values} values at once (you gave {len(value)})."
            )
        super().validate(value)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time picked in the browser, read in the admin's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = DATETIME_INPUT_FORMATS
    default_error_messages = {
        "invalid": "Enter a date and time, e.g. 2025-03-31 14:30.",
        "out_of_range": "Pick a date between the years 1 and 9999.",
    }

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None:
            try:
                moment.astimezone(UTC)
            except OverflowError:
                raise forms.ValidationError(
                    self.error_messages["out_of_range"], code="out_of_range"
                ) from None
        return moment
