"""The phone-connection list's filters: the shared ones, plus phone numbers (partial and
exact) and a quick search that looks for numbers when what is typed looks like one."""

from __future__ import annotations

import django_filters

from galtea_admin.galtea.phone_connections import PHONE_CONNECTIONS
from galtea_admin.lists.filters import (
    MAX_TEXT,
    ResourceFilterForm,
    ResourceFilterSet,
    ValueListFilter,
)
from galtea_admin.phone_connections import phone_numbers


class PhoneConnectionFilterForm(ResourceFilterForm):
    list_fields = ("names", "phones", "ids")
    field_order = (
        "q",
        "product",
        "name",
        "names",
        "phone",
        "phones",
        "ids",
        "created_from",
        "created_to",
    )

    def check_together(self, data) -> None:
        search = (data.get("q") or "").strip()
        if search:
            other = "phone" if phone_numbers.looks_like_phone_number(search) else "name"
            if data.get(other):
                label = self.fields[other].label
                self.add_error("q", f"Search and “{label}” both filter the same field: use one.")
        if data.get("phones"):
            self.normalise_phones(data)

    def normalise_phones(self, data):
        normalised, bad = [], []
        for text in data["phones"]:
            try:
                normalised.append(phone_numbers.to_e164(text))
            except phone_numbers.InvalidPhoneNumber:
                bad.append(text)
        if bad:
            self.add_error("phones", f"Not valid international numbers: {', '.join(bad)}.")
        else:
            data["phones"] = list(dict.fromkeys(normalised))


class PhoneConnectionFilter(ResourceFilterSet):
    spec = PHONE_CONNECTIONS

    phone = django_filters.CharFilter(
        label="Phone number contains",
        method="filter_phone",
        max_length=MAX_TEXT,
        help_text="Spaces, dashes and brackets are ignored.",
    )
    phones = ValueListFilter(
        label="Exact phone numbers",
        method="filter_phones",
        separators=r"\n,;",
        help_text="International format, one per line.",
    )

    class Meta:
        form = PhoneConnectionFilterForm

    search_placeholder = "Name or phone number"

    def search(self, query, name, value):
        text = value.strip()
        if phone_numbers.looks_like_phone_number(text):
            return query.filter(phone_number=phone_numbers.strip_decoration(text))
        return query.filter(name=text)

    def filter_phone(self, query, name, value):
        return query.filter(phone_number=phone_numbers.strip_decoration(value))

    def filter_phones(self, query, name, value):
        return query.filter(phone_numbers=value)
