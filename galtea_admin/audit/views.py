"""The activity page: every change made through the admin, filterable and shareable."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from galtea_admin.accounts import roles
from galtea_admin.audit.filters import ChangeRecordFilter
from galtea_admin.audit.models import ChangeRecord
from galtea_admin.audit.tables import ChangeRecordTable
from galtea_admin.galtea.voices import available_voices
from galtea_admin.lists.chips import filter_chips
from galtea_admin.lists.controls import (
    PAGE_SIZES,
    ListControlsForm,
    filters_valid,
    paginate,
    without_empty_params,
)

DEFAULT_SORT = "-created_at"


@require_GET
@permission_required(roles.VIEW_ACTIVITY, raise_exception=True)
def activity(request):
    clean_url = without_empty_params(request)
    if clean_url:
        return redirect(clean_url)
    filterset = ChangeRecordFilter(request.GET or None, queryset=ChangeRecord.objects.all())
    controls = ListControlsForm(
        request.GET, table_class=ChangeRecordTable, default_sort=DEFAULT_SORT
    )
    # Voices only name voice changes: asked of Galtea when a row shows one, not on every view.
    voices = SimpleLazyObject(available_voices)
    table = ChangeRecordTable(filterset.qs, voices=voices, query_params=request.GET)
    table.order_by = controls.chosen_sort
    has_page = paginate(table, page=controls.chosen_page, per_page=controls.chosen_per_page)
    context = {
        "filter": filterset,
        "controls": controls,
        "table": table,
        "has_page": has_page,
        "chips": filter_chips(filterset, request.GET),
        "clear_url": controls.clear_url(),
        "kept_controls": controls.kept(),
        "page_sizes": PAGE_SIZES,
    }
    status = 200 if filters_valid(filterset) and not controls.errors else 400
    return render(request, "audit/activity.html", context, status=status)
