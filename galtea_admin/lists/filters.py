"""What every list's filter set shares: its form's base class and the filters of the fields
in `lists/fields.py`."""

from __future__ import annotations

import django_filters
from django import forms

from galtea_admin.lists.fields import LocalDateTimeField, ValueListField


class FilterForm(forms.Form):
    """The base of a list's filter form. Every filter is optional, so no field is marked
    "(optional)" (read by `lists/_field.html`)."""

    every_field_optional = True


class ValueListFilter(django_filters.Filter):
    field_class = ValueListField


class DateTimeFilter(django_filters.Filter):
    field_class = LocalDateTimeField
