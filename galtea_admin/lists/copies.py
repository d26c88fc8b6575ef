"""The copies of a filter set's filters and a table's columns that each request makes.

django-filter and django-tables2 deep-copy every declared filter and column for each
request, with the widgets, choices and attributes they hold, which no request changes.
These dicts copy each filter or column alone: what a request sets on one (its filter set,
whether it is shown) stays the request's own, and what it holds is shared."""

from __future__ import annotations

import copy


class ColumnCopies(dict):
    """A table's `base_columns`."""

    def __deepcopy__(self, memo):
        return {name: copy.copy(column) for name, column in self.items()}


class FilterCopies(dict):
    """A filter set's `base_filters`."""

    def __deepcopy__(self, memo):
        return {name: copy_filter(declared) for name, declared in self.items()}


def copy_filter(declared):
    copied = copy.copy(declared)
    if declared.method is not None:
        copied.method = declared.method  # its FilterMethod then asks this copy's filter set
    return copied
