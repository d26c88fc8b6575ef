"""The Jobs page and a job's page (its live progress, Cancel and Resume).

Everyone signed in sees every job; cancelling or resuming one is for the person who started
it and for Managers. A job's page asks for its progress every two seconds while it runs
(htmx, the same URL answering with the progress part only); without JavaScript, the page
reloads itself while the job runs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import push_url

from galtea_admin.jobs import services
from galtea_admin.jobs.filters import JobFilter
from galtea_admin.jobs.models import Job
from galtea_admin.jobs.tables import JobTable
from galtea_admin.lists.changelist import ChangeList, without_empty_params
from galtea_admin.lists.export import csv_stream
from galtea_admin.lists.views import LIST_REGION, use_query

DEFAULT_SORT = "-created_at"
# The part of a job's page that follows its progress.
PROGRESS_REGION = "job-progress"
POLL_SECONDS = 2
# A job queued this long (seconds) with no worker taking it: the page says so.
WAITING_NOTE_SECONDS = 10
# The most item outcomes a job's page lists.
REPORT_ROWS = 1000


@require_GET
def job_list(request):
    """The jobs, newest first; its filters, sorting and pages replace the rows in place
    (htmx), as a resource's list does."""
    clean_url = without_empty_params(request)
    live = bool(request.htmx) and request.htmx.target == LIST_REGION
    if clean_url:
        if not live:
            return redirect(clean_url)
        use_query(request, urlsplit(clean_url).query)
    services.jobs_sweep()
    filterset = JobFilter(request.GET or None, queryset=Job.objects.all())
    changelist = ChangeList(
        request, filterset=filterset, table_class=JobTable, default_sort=DEFAULT_SORT
    )
    table = JobTable(filterset.qs, query_params=request.GET)
    changelist.load(table, lazy=False)
    context = {"cl": changelist, "filter": filterset, "table": table, "oob": live}
    status = 200 if changelist.is_valid else 400
    if not live:
        return render(request, "jobs/list.html", context, status=status)
    return push_url(
        render(request, "jobs/_list_region.html", context, status=status), request.get_full_path()
    )


def get_job(job_id: str) -> Job:
    if not job_id.isdigit():
        raise Http404("No such job.")
    try:
        return Job.objects.get(pk=int(job_id))
    except Job.DoesNotExist:
        raise Http404("No such job.") from None


@require_GET
def job_detail(request, job_id: str):
    job = get_job(job_id)
    if job.is_active:
        services.jobs_sweep(job)
        job.refresh_from_db()
    context = progress_context(request, job)
    context["report"] = None if job.is_active else report(job)
    if request.htmx and request.htmx.target == PROGRESS_REGION:
        return render(request, "jobs/_progress.html", {**context, "oob": True})
    return render(request, "jobs/detail.html", context)


def progress_context(request, job: Job) -> dict:
    waiting = (
        job.status == Job.Status.QUEUED
        and (timezone.now() - job.created_at).total_seconds() > WAITING_NOTE_SECONDS
    )
    allowed = services.may_cancel(request.user, job)
    return {
        "job": job,
        "words": services.outcome_words(job),
        "counts": services.item_counts(job),
        "may_cancel": allowed and services.can_cancel(job),
        "may_resume": allowed and services.can_resume(job),
        "poll_seconds": POLL_SECONDS if job.is_active else None,
        "waiting_for_worker": waiting,
        "worker_command": " ".join(("manage.py", *settings.JOB_WORKER_ARGS)),
        "progress_region": PROGRESS_REGION,
    }


def report(job: Job) -> dict:
    """Each item's outcome, in order, with a link to what it is about where there is one."""
    kind, names = services.job_kind(job), services.status_names(job)
    items = list(job.items.all()[:REPORT_ROWS])
    rows = [
        (
            item,
            item.label or item.key,
            kind.item_url(job, item),
            kind.item_outcome(job, item) or names[item.status],
        )
        for item in items
    ]
    return {"rows": rows, "more": max(0, (job.total or 0) - len(items))}


# The report file's own columns, before those of the job's kind.
REPORT_COLUMNS = (("number", "#"), ("item", "Row"), ("outcome", "Outcome"), ("details", "Details"))


@require_GET
def job_report_csv(request, job_id: str):
    """Each item's outcome as CSV (every item, streamed; cells a spreadsheet would run as a
    formula are escaped as in exports)."""
    job = get_job(job_id)
    kind, names = services.job_kind(job), services.status_names(job)
    extra = kind.report_columns(job)
    headings = [heading for _, heading in (*REPORT_COLUMNS, *extra)]

    def rows():
        for item in job.items.order_by("position").iterator(chunk_size=500):
            values = {
                **kind.report_values(job, item),
                "number": item.position + 1,
                "item": item.label or item.key,
                "outcome": kind.item_outcome(job, item) or names[item.status],
                "details": item.message,
            }
            yield {heading: values.get(name, "") for name, heading in (*REPORT_COLUMNS, *extra)}

    stream = csv_stream(tuple(headings), rows())
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="job-{job.pk}-report.csv"'
    return response


def may_act_on(request, job: Job) -> None:
    if not services.may_cancel(request.user, job):
        raise PermissionDenied


@require_POST
def job_cancel(request, job_id: str):
    job = get_job(job_id)
    may_act_on(request, job)
    messages.info(request, services.job_cancel(user=request.user, job=job))
    return redirect(reverse("jobs:detail", args=[job.pk]))


@require_POST
def job_resume(request, job_id: str):
    job = get_job(job_id)
    may_act_on(request, job)
    messages.info(request, services.job_resume(user=request.user, job=job))
    return redirect(reverse("jobs:detail", args=[job.pk]))
