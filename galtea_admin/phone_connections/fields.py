"""Form fields and widgets for list filters: several values in one box, browser date-time
pickers, and widgets drawn in Python (filter forms are drawn on every list page)."""

from __future__ import annotations

import re
from datetime import UTC

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes drawn in Python: the same markup as Django's widget templates, without
    rendering two templates per option on every list page."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.get("id", f"id_{name}")
        chosen = {str(item) for item in (value or [])}
        options = format_html_join(
            "",
            '<div><label for="{0}_{1}"><input type="checkbox" name="{2}" value="{3}"'
            ' class="{4}" id="{0}_{1}"{5}> {6}</label></div>',
            (
                (
                    base_id,
                    index,
                    name,
                    option_value,
                    attrs.get("class", ""),
                    mark_safe(" checked") if str(option_value) in chosen else "",
                    label,
                )
                for index, (option_value, label) in enumerate(self.choices)
            ),
        )
        return format_html(
            '<div id="{}" class="{}">{}</div>', base_id, attrs.get("class", ""), options
        )


class PythonRenderedInput:
    """Mixed into a text-like widget: the same markup as Django's `input.html` and
    `attrs.html` templates, written in Python (filter forms are drawn on every list page)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        value_attr = format_html(' value="{}"', shown) if shown is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            name,
            value_attr,
            flatatt(widget["attrs"]),
        )


class FastTextInput(PythonRenderedInput, forms.TextInput):
    pass


class FastDateTimeInput(PythonRenderedInput, forms.DateTimeInput):
    pass


class FastTextarea(forms.Textarea):
    """Django's `textarea.html`, written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            name,
            flatatt(widget["attrs"]),
            widget["value"] or "",
        )


class ValueListField(forms.CharField):
    """Several values typed in one box, one per line (or separated by `separators`).

    Cleans to a list of unique, stripped values; `max_values` caps how many.
    """

    widget = FastTextarea(attrs={"rows": 2})

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


class LocalDateTimeField(forms.DateTimeField):
    """A date and time picked in the browser, read in the admin's time zone."""

    widget = FastDateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
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
