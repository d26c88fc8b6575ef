"""The version list's filters: the shared ones, plus what each version calls."""

from __future__ import annotations

import django_filters
from django import forms

from galtea_admin.galtea import contract
from galtea_admin.galtea.versions import VERSIONS
from galtea_admin.lists.filters import ID_VALIDATOR, ResourceFilterForm, ResourceFilterSet

# What a version calls → the conditions that list those versions.
TARGET_CHOICES = (
    ("phone", "A phone number"),
    ("webrtc", "A WebRTC agent"),
    ("none", "Nothing"),
)
TARGET_CONDITIONS = {
    "phone": {"exclude_phone_connection_ids": [contract.NO_CONNECTION]},
    "webrtc": {"exclude_webrtc_connection_ids": [contract.NO_CONNECTION]},
    "none": {
        "phone_connection_ids": [contract.NO_CONNECTION],
        "webrtc_connection_ids": [contract.NO_CONNECTION],
    },
}


class VersionFilterForm(ResourceFilterForm):
    field_order = ("q", "product", "name", "names", "target", "dials", "webrtc", "ids")


class VersionFilter(ResourceFilterSet):
    spec = VERSIONS

    target = django_filters.ChoiceFilter(
        label="Calls", choices=TARGET_CHOICES, method="filter_target", empty_label="Anything"
    )
    dials = django_filters.CharFilter(
        label="Phone connection id",
        method="filter_dials",
        validators=[ID_VALIDATOR],
        help_text="The versions that dial this phone connection.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    webrtc = django_filters.CharFilter(
        label="WebRTC connection id",
        method="filter_webrtc",
        validators=[ID_VALIDATOR],
        help_text="The versions that call this WebRTC connection.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        form = VersionFilterForm

    def filter_target(self, query, name, value):
        return query.filter(**TARGET_CONDITIONS[value])

    def filter_dials(self, query, name, value):
        return query.filter(phone_connection_ids=[value])

    def filter_webrtc(self, query, name, value):
        return query.filter(webrtc_connection_ids=[value])
