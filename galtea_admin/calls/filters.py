"""The session list's filters: status, version, product and dates. The API lists sessions
only for some ids: without a product or version chosen, the list asks for all products."""

from __future__ import annotations

from django import forms

from galtea_admin.galtea import contract
from galtea_admin.galtea.sessions import SESSIONS
from galtea_admin.lists.filters import (
    MAX_CHOSEN,
    DistinctMultipleChoiceFilter,
    IdListFilter,
    ResourceFilterForm,
    ResourceFilterSet,
)


class SessionFilterForm(ResourceFilterForm):
    list_fields = ("version", "ids")
    field_order = ("status", "product", "version", "ids", "created_from", "created_to")


class SessionFilter(ResourceFilterSet):
    spec = SESSIONS

    # Sessions have no name to search or filter by.
    q = None
    name = None
    names = None

    status = DistinctMultipleChoiceFilter(
        label="Status",
        method="filter_status",
        choices=[(status, status.title()) for status in contract.SESSION_STATUSES],
        max_values=len(contract.SESSION_STATUSES),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    version = IdListFilter(label="Version ids", method="filter_versions")

    class Meta:
        form = SessionFilterForm

    def filter_status(self, query, name, value):
        return query.filter(statuses=list(value))

    def filter_versions(self, query, name, value):
        return query.filter(version_ids=value)

    @property
    def qs(self):
        """The query as filtered (an unfiltered list is not filtered at all), scoped to
        every product when nothing else scopes it."""
        query = super().qs
        if not any(query.condition(name) for name in contract.SESSION_ID_FILTERS):
            products = [value for value, _ in self.form.fields["product"].choices]
            query = query.filter(product_ids=products[:MAX_CHOSEN])
        return query
