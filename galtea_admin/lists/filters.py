"""What every list's filter set shares: its form's base class and the filters of the fields
in `lists/fields.py`."""

from __future__ import annotations

from datetime import datetime, timedelta

import django_filters
from django import forms
from django.core.validators import RegexValidator

from galtea_admin.galtea import contract
from galtea_admin.galtea.resources import ResourceSpec
from galtea_admin.lists.copies import FilterCopies
from galtea_admin.lists.date_range import check_date_range
from galtea_admin.lists.fields import (
    DistinctMultipleChoiceField,
    LocalDateTimeField,
    ValueListField,
)
from galtea_admin.lists.params import IDS_VAR, SEARCH_VAR

MAX_TEXT = 200
# Lists of values go into the API's URL, which must stay well under its 16 KB limit.
MAX_LIST_QUERY_BYTES = 12_000
# A multiple-choice filter (one URL value per choice) takes each value once and at most this
# many; more is reported as bad input.
MAX_CHOSEN = 50
ID_VALIDATOR = RegexValidator(
    contract.ID_PATTERN, "An id has only letters, digits, - and _, e.g. phoneConnection_1a2b."
)


class FilterForm(forms.Form):
    """The base of a list's filter form. Every filter is optional, so no field is marked
    "(optional)" (read by `lists/_field.html`)."""

    every_field_optional = True


class ValueListFilter(django_filters.Filter):
    field_class = ValueListField


class IdListFilter(ValueListFilter):
    """Ids typed or pasted as a list, as the API's `…Ids[]` filters take them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("separators", r"\s,;")
        kwargs.setdefault("validators", [ID_VALIDATOR])
        kwargs.setdefault("max_values", contract.MAX_IDS_PER_REQUEST)
        kwargs.setdefault("help_text", "Separated by spaces, commas or lines.")
        super().__init__(*args, **kwargs)


class DistinctMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = DistinctMultipleChoiceField


class DateTimeFilter(django_filters.Filter):
    field_class = LocalDateTimeField


class ResourceFilterForm(FilterForm):
    """The filter form of a resource's list, with the checks that involve several fields:
    dates in order, known products kept when an unknown one is given, lists of values
    short enough for the API's URL."""

    # Filters whose values go into the API's URL, which must stay well under its 16 KB limit.
    list_fields = ("names", "ids")

    def clean(self):
        data = super().clean()
        check_date_range(self, "created_from", "created_to")
        self.check_together(data)
        if self.has_error("product"):
            self.keep_known_products(data)
        for name in self.list_fields:
            if len(contract.encode_query({name: data.get(name) or []})) > MAX_LIST_QUERY_BYTES:
                self.add_error(name, "Too long to search at once: split it into smaller lists.")
        return data

    def check_together(self, data) -> None:
        """The resource's own checks of several fields (errors added with `add_error`)."""

    def keep_known_products(self, data):
        """An unknown product id is reported; the known ones still filter."""
        known = {value for value, _ in self.fields["product"].choices}
        given = self.data.getlist(self.add_prefix("product"))
        valid = [value for value in dict.fromkeys(given) if value in known]
        if valid:
            data["product"] = valid[:MAX_CHOSEN]


class ResourceFilterSet(django_filters.FilterSet):
    """The filters every Galtea list has (a quick search, product, name, exact names, ids,
    creation dates) over the resource's remote query; a resource adds its own.

    The quick search (`q`) looks for names; a resource may search more (`search`)."""

    spec: ResourceSpec
    # What the quick search looks for, said in its box.
    search_placeholder = "Name"

    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=MAX_TEXT,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "form": "filter-form",
            }
        ),
    )
    product = DistinctMultipleChoiceFilter(
        label="Product",
        method="filter_products",
        choices=(),
        max_values=MAX_CHOSEN,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    name = django_filters.CharFilter(
        label="Name contains", method="filter_name", max_length=MAX_TEXT
    )
    names = ValueListFilter(
        label="Exact names", method="filter_names", help_text="One name per line."
    )
    ids = IdListFilter(label="Ids", method="filter_ids")
    created_from = DateTimeFilter(label="Created from", method="filter_created_from")
    created_to = DateTimeFilter(label="Created to", method="filter_created_to")

    class Meta:
        form = ResourceFilterForm

    def __init__(self, data=None, *, products=(), absent_fields=frozenset(), **kwargs):
        """`absent_fields`: record attributes the API does not have; the filters of those
        (by their `field_name`) are left out, with their chips."""
        super().__init__(data, queryset=self.spec.query(), **kwargs)
        for name, declared in list(self.filters.items()):
            if declared.field_name in absent_fields:
                del self.filters[name]
                self.form.fields.pop(name, None)
        # On this request's form only: the form class is shared (see get_form_class).
        self.form.fields["product"].choices = [(product.id, product.name) for product in products]
        self.form.fields["product"].error_messages["invalid_choice"] = (
            "There is no product with the id %(value)s."
        )
        if SEARCH_VAR in self.form.fields:
            self.form.fields[SEARCH_VAR].widget.attrs["placeholder"] = self.search_placeholder

    @property
    def matches_nothing(self) -> bool:
        """True when no rows may be shown: an id list that is not valid is left out of the
        query like any bad filter, and without it the query would widen to everything."""
        return IDS_VAR in self.form.errors

    @classmethod
    def get_filters(cls):
        return FilterCopies(super().get_filters())

    def get_form_class(self):
        """The same form class for every request (django-filter builds one per filter set).
        It holds no request's data: the product choices are set on each form."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_queryset(self, queryset):
        """Apply each valid filter in turn to the API query (only valid fields are here)."""
        for name, value in self.form.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    # Each method receives the query built so far and returns it narrowed.
    def search(self, query, name, value):
        return query.filter(name=value.strip())

    def filter_products(self, query, name, value):
        return query.filter(product_ids=list(dict.fromkeys(value)))

    def filter_name(self, query, name, value):
        return query.filter(name=value.strip())

    def filter_names(self, query, name, value):
        return query.filter(names=value)

    def filter_ids(self, query, name, value):
        return query.filter(ids=value)

    def filter_created_from(self, query, name, value):
        return query.filter(from_created_at=value)

    def filter_created_to(self, query, name, value):
        return query.filter(to_created_at=end_of_minute(value))


def end_of_minute(moment: datetime) -> datetime:
    """ "Created to 14:30" includes 14:30:59: the picker only offers whole minutes."""
    if moment.second or moment.microsecond:
        return moment
    return moment + timedelta(seconds=59, microseconds=999_000)
