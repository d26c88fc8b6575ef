"""The activity page: every change made through the admin, filterable and shareable."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from galtea_admin.accounts import roles
from galtea_admin.audit.filters import ChangeRecordFilter
from galtea_admin.audit.models import ChangeRecord
from galtea_admin.audit.tables import ChangeRecordTable
from galtea_admin.lists.changelist import ChangeList, without_empty_params

DEFAULT_SORT = "-created_at"


@require_GET
@permission_required(roles.VIEW_ACTIVITY, raise_exception=True)
def activity(request):
    clean_url = without_empty_params(request)
    if clean_url:
        return redirect(clean_url)
    filterset = ChangeRecordFilter(request.GET or None, queryset=ChangeRecord.objects.all())
    changelist = ChangeList(
        request, filterset=filterset, table_class=ChangeRecordTable, default_sort=DEFAULT_SORT
    )
    table = ChangeRecordTable(filterset.qs, query_params=request.GET)
    changelist.load(table, lazy=False)
    context = {"cl": changelist, "filter": filterset, "table": table}
    return render(
        request, "audit/activity.html", context, status=200 if changelist.is_valid else 400
    )
