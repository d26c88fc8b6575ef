"""Filters of the activity page: who, what, when, which connection."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from galtea_admin.audit.models import OTHER_KINDS, Action, ChangeRecord
from galtea_admin.lists.date_range import check_date_range
from galtea_admin.lists.filters import DateTimeFilter, FilterForm
from galtea_admin.lists.registry import site


def resource_kinds() -> list[tuple[str, str]]:
    """Each registered resource changed through the admin, as the activity page names it,
    and the other kinds of record (jobs)."""
    resources = [(resource.key, resource.title) for resource in site if resource.changes_here]
    return resources + [(kind, names[1]) for kind, names in OTHER_KINDS.items()]


class ActivityFilterForm(FilterForm):
    def clean(self):
        data = super().clean()
        check_date_range(self, "created_from", "created_to")
        return data


def people_who_changed_something():
    """The accounts that appear in the activity log: the people one may filter it by (not
    every account, which every Viewer would otherwise see listed)."""
    changed = ChangeRecord.objects.filter(user=OuterRef("pk"))
    return get_user_model().objects.filter(Exists(changed)).order_by("username")


class ChangeRecordFilter(django_filters.FilterSet):
    user = django_filters.ModelChoiceFilter(
        label="User",
        queryset=people_who_changed_something(),
        to_field_name="username",
        field_name="user",
        empty_label="Anyone",
    )
    action = django_filters.ChoiceFilter(label="Action", choices=Action.choices, empty_label="Any")
    created_from = DateTimeFilter(label="From", field_name="created_at", lookup_expr="gte")
    created_to = DateTimeFilter(label="To", field_name="created_at", lookup_expr="lte")
    kind = django_filters.ChoiceFilter(
        label="Kind", field_name="object_type", choices=resource_kinds, empty_label="Any"
    )
    connection = django_filters.CharFilter(
        label="Name or id", method="filter_connection", max_length=200
    )

    class Meta:
        model = ChangeRecord
        fields = ["user", "action", "created_from", "created_to", "kind", "connection"]
        form = ActivityFilterForm

    def filter_connection(self, queryset, name, value):
        """An exact id, or part of the name the entity had."""
        value = value.strip()
        by_id = queryset.filter(object_id=value)
        return by_id if by_id.exists() else queryset.filter(object_label__icontains=value)
