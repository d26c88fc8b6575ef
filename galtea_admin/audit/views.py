"""The activity page: every change made through the admin, filterable and shareable."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from galtea_admin.accounts import roles
from galtea_admin.audit.filters import ChangeRecordFilter
from galtea_admin.audit.models import ChangeRecord, Outcome
from galtea_admin.audit.tables import ChangeRecordTable
from galtea_admin.galtea.errors import GalteaError
from galtea_admin.lists import settling
from galtea_admin.lists.changelist import ChangeList, without_empty_params
from galtea_admin.lists.navigation import safe_next

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


@require_POST
@permission_required(roles.VIEW_ACTIVITY, raise_exception=True)
def check_change(request, pk: int):
    """Ask Galtea at once what became of an unconfirmed change ("Check now")."""
    change = get_object_or_404(ChangeRecord, pk=pk)
    back = safe_next(request) or reverse("audit:activity")
    if change.outcome != Outcome.UNCONFIRMED:
        messages.info(request, f"“{change.object_label}” was checked already.")
        return redirect(back)
    try:
        outcome = settling.settle(change)
    except GalteaError as error:
        messages.error(
            request,
            f"Galtea still cannot say what became of “{change.object_label}”: {error.title}."
            " It is checked again automatically.",
        )
        return redirect(back)
    said = "it was done" if outcome == Outcome.DONE else "it did not happen"
    messages.success(request, f"Checked with Galtea: {said} (“{change.object_label}”).")
    return redirect(back)
