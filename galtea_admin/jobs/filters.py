"""Filters of the Jobs page: what state, who started them."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from galtea_admin.jobs.models import Job
from galtea_admin.lists.filters import FilterForm


def people_who_started_jobs():
    started = Job.objects.filter(started_by=OuterRef("pk"))
    return get_user_model().objects.filter(Exists(started)).order_by("username")


class JobFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=Job.Status.choices, empty_label="Any"
    )
    started_by = django_filters.ModelChoiceFilter(
        label="Started by",
        queryset=people_who_started_jobs(),
        to_field_name="username",
        empty_label="Anyone",
    )

    class Meta:
        model = Job
        fields = ["status", "started_by"]
        form = FilterForm
