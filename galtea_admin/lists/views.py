"""The pages every resource has, as class-based views (like NetBox's generic views): list,
export, detail, create, edit, delete and bulk delete. Each is configured by the resource it
serves (its filter set, table, form and templates); the views stay thin: parse the request,
call the service layer, render.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views import View
from django_htmx.http import push_url

from galtea_admin.audit.describing import Describers
from galtea_admin.audit.models import ChangeRecord
from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import (
    GalteaError,
    GalteaForbidden,
    GalteaIdsNotFound,
    GalteaNotFound,
    GalteaRejected,
)
from galtea_admin.galtea.products import Product, cached_products
from galtea_admin.galtea.resources import (
    resource_absent_fields,
    resource_count,
    resource_get,
    resource_list,
)
from galtea_admin.lists import all_matching, bulk, bulk_delete, bulk_edit, editing, export, settling
from galtea_admin.lists.changelist import ChangeList, filters_valid, without_empty_params
from galtea_admin.lists.navigation import safe_next, safe_target
from galtea_admin.lists.params import COUNT_VAR, NEXT_VAR
from galtea_admin.lists.registry import ResourceAdmin
from galtea_admin.lists.resource_forms import in_sentence
from galtea_admin.lists.tables import RemoteTableData, api_order
from galtea_admin.preferences.columns import chosen_columns, column_choices, configurable_columns
from galtea_admin.preferences.saved_views import saved_query, visible_views

HISTORY_LENGTH = 50


class ResourceView(View):
    """A page of one resource; `permission` is the action ("view", "add", …) it needs."""

    resource: ResourceAdmin | None = None  # set by the resource's URLs (as_view)
    permission = "view"

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        if not request.user.has_perm(self.resource.permission(self.permission)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, name: str, context: dict, status: int = 200) -> TemplateResponse:
        context = {
            "resource": self.resource,
            "can": self.resource.allowed(self.request.user),
            "list_url": self.list_url,
            **context,
        }
        return TemplateResponse(self.request, self.resource.templates(name), context, status=status)

    @property
    def list_url(self) -> str:
        return reverse(f"{self.resource.key}:list")

    def detail_url(self, entity_id: str) -> str:
        return reverse(f"{self.resource.key}:detail", args=[entity_id])

    @cached_property
    def absent_fields(self) -> frozenset[str]:
        """The resource's fields that the API at hand does not have: no page shows them."""
        return resource_absent_fields(self.resource.spec)

    def here_query(self) -> str:
        """`next=<this page>`, for links whose page should bring the person back here."""
        return urlencode({NEXT_VAR: self.request.get_full_path()})

    def changelist(self, products) -> ChangeList:
        """The list's state as this page's URL says (filters, sort, page)."""
        resource = self.resource
        return ChangeList(
            self.request,
            filterset=resource.filterset_class(
                self.request.GET or None, products=products, absent_fields=self.absent_fields
            ),
            table_class=resource.table_class,
            default_sort=resource.default_sort,
        )


class ObjectListView(ResourceView):
    """One page of the list: filters, sort and page from the URL, one API request."""

    http_method_names = ["get"]

    def get(self, request):
        clean_url = without_empty_params(request)
        live = bool(request.htmx) and request.htmx.target == LIST_REGION
        if clean_url:
            if not live:
                return redirect(clean_url)
            use_query(request, urlsplit(clean_url).query)  # the address bar gets the clean URL
        resource = self.resource
        products = cached_products()
        changelist = self.changelist(products)
        excluded = columns_reading(resource.table_class, self.absent_fields)
        columns = {
            name: label
            for name, label in configurable_columns(resource.table_class).items()
            if name not in excluded
        }
        shown = chosen_columns(
            request.user, resource.key, list(columns), resource.table_class.HIDDEN_BY_DEFAULT
        )
        table = resource.table_class(
            RemoteTableData(self.fetcher(changelist.filterset.qs)),
            resource=resource,
            products=products,
            user=request.user,
            here=request.get_full_path(),
            columns=shown,
            exclude=excluded,
            query_params=request.GET,
            **resource.table_kwargs(),
        )
        if not changelist.filterset.matches_nothing:
            changelist.load(table, lazy=True)
            if request.GET.get(COUNT_VAR) == "1" and changelist.has_rows:
                changelist.matching = resource_count(resource.spec, query=changelist.filterset.qs)
        context = {
            "cl": changelist,
            "filter": changelist.filterset,
            "table": table,
            "here_query": self.here_query(),
            "query": request.GET.urlencode(),
            "saved_views": visible_views(request.user, resource.key),
            "current_view_query": saved_query(request.GET),
            "column_choices": column_choices(columns, shown),
            "oob": live,
        }
        status = 200 if changelist.is_valid else 400
        if not live:
            return self.render("list", context, status=status)
        response = self.render("_list_region", context, status=status)
        return push_url(response, request.get_full_path())

    def fetcher(self, query):
        spec = self.resource.spec

        def fetch(order, offset, limit):
            return resource_list(
                spec,
                query=query.order_by(*order),
                offset=offset,
                limit=min(limit, contract.MAX_LIMIT),
            )

        return fetch


# The part of a list page that filters, sorting and paging replace in place.
LIST_REGION = "list-region"


def use_query(request, query: str) -> None:
    """Read the request as if it had asked for `query`."""
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def columns_reading(table_class, fields: frozenset[str]) -> tuple[str, ...]:
    """The names of `table_class`'s columns that show one of the record's `fields`."""
    if not fields:
        return ()
    return tuple(
        name
        for name, column in table_class.base_columns.items()
        if str(column.accessor or name).split(".")[0] in fields
    )


EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


class ObjectExportView(ResourceView):
    """The list as filtered and sorted, every page of it, streamed as CSV or JSON."""

    http_method_names = ["get"]

    def get(self, request, extension: str):
        if extension not in EXPORT_FORMATS:
            raise Http404("Exports are CSV or JSON.")
        resource = self.resource
        products = cached_products()
        changelist = self.changelist(products)
        back_to_list = f"{self.list_url}?{request.GET.urlencode()}"
        if not filters_valid(changelist.filterset):
            messages.error(request, "Fix the filters before exporting.")
            return redirect(back_to_list)
        order = api_order(resource.table_class, [changelist.controls.chosen_sort])
        query = changelist.filterset.qs.order_by(*order)
        columns = tuple(c for c in resource.export_columns if c not in self.absent_fields)
        try:
            rows = export.export_rows(
                resource,
                query,
                products,
                columns=columns,
                read_timeout=settings.GALTEA_EXPORT_READ_TIMEOUT,
            )
        except GalteaIdsNotFound:
            return redirect(back_to_list)
        if extension == "csv":
            stream = export.csv_stream(columns, rows)
        else:
            stream = export.json_stream(resource.spec.path.strip("/"), rows)
        response = StreamingHttpResponse(stream, content_type=EXPORT_FORMATS[extension])
        filename = export.export_filename(resource.url_prefix, changelist.chips, extension)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ObjectDetailView(ResourceView):
    http_method_names = ["get"]

    def get(self, request, entity_id: str):
        resource = self.resource
        record = resource_get(resource.spec, entity_id=entity_id)
        products = products_by_id()
        history = ChangeRecord.objects.filter(object_type=resource.key, object_id=record.id)
        context = {
            "object": record,
            "label": resource.label(record),
            "product": products.get(getattr(record, "product_id", None)),
            "history": history[:HISTORY_LENGTH],
            "describers": Describers(),
            "back_url": safe_next(request) or self.list_url,
            "here_query": self.here_query(),
            "rows": [
                (label, value)
                for field, label, value in resource.detail_rows(record)
                if field not in self.absent_fields
            ],
            "panels": resource.detail_panels(request, record),
        }
        return self.render("detail", context)


def products_by_id() -> dict:
    """The organization's products by id (cached briefly), to name each entity's product."""
    return {product.id: product for product in cached_products()}


def failure_message(form, error: GalteaError) -> str:
    message = form.redact(error.message)
    return f"Nothing was saved. {error.title}: {message} What you typed is still here."


def unknown_outcome_message(label: str, *, done: str) -> str:
    """What a person is told when Galtea may have made a change and cannot be asked."""
    return (
        f"Galtea received this and then stopped answering, so it is not known yet whether"
        f" {label} was {done}. Nothing more was sent. The change is in the activity log as"
        f" “Not confirmed yet” and is checked again as soon as Galtea answers."
    )


class ObjectFormView(ResourceView):
    """What the create and edit pages share: the form's lookups and page, and where a
    person goes after saving."""

    http_method_names = ["get", "post"]
    is_edit = False

    def form_lookups(self):
        """(products, error). When Galtea cannot list products while a form is being
        saved, the posted product stands in so that the form and its values survive."""
        try:
            return cached_products(), None
        except GalteaError as error:
            if self.request.method != "POST":
                raise
            posted = self.request.POST.get("product", "")
            stand_in = [Product(posted, posted, None, timezone.now())] if posted else []
            return stand_in, error

    def make_form(self, products, data=None, *, record=None, **kwargs):
        return self.resource.form_class(
            data,
            products=products,
            record=record,
            editing=self.is_edit,
            absent_fields=self.absent_fields,
            **self.resource.form_kwargs(self.request),
            **kwargs,
        )

    def render_form(self, form, *, record=None, status=200, conflict=None):
        """`conflict`: the editing.Merge of an edit refused for its collisions."""
        next_url = safe_next(self.request)
        conflict_rows, merged_rows = [], []
        if conflict:
            described = editing.described_changes(self.resource, conflict.theirs)
            for name, (label, before, now) in zip(conflict.theirs, described, strict=True):
                label = form.fields[name].label if name in form.fields else label
                if name in conflict.collisions:
                    conflict_rows.append((label, now))
                else:
                    merged_rows.append((label, before, now))
        context = {
            "form": form,
            "object": record,
            "conflict": conflict,
            "conflict_rows": conflict_rows,
            "merged_rows": merged_rows,
            # The form as the entity is now, what was typed dropped ("take theirs").
            "reload_url": (
                f"{self.request.path}?{urlencode({NEXT_VAR: next_url})}"
                if next_url
                else self.request.path
            ),
            "next_url": next_url,
            "cancel_url": next_url or (self.detail_url(record.id) if record else self.list_url),
            "hidden_errors": [error for field in form.hidden_fields() for error in field.errors],
            "is_edit": self.is_edit,
            **self.resource.form_context(),
        }
        return self.render("form", context, status=status)

    def after_save(self, record):
        """Back where the person came from, or to the saved entity's page."""
        next_url = safe_next(self.request)
        if "_addanother" in self.request.POST:
            keep = {
                field: getattr(record, attribute) or ""
                for field, attribute in self.resource.add_another_keeps.items()
                if attribute not in self.absent_fields
            }
            if next_url:
                keep[NEXT_VAR] = next_url
            return redirect(f"{self.request.path}?{urlencode(keep)}")
        return redirect(next_url or self.detail_url(record.id))

    @staticmethod
    def product_names(products) -> dict[str, str]:
        return {product.id: product.name for product in products}


class ObjectCreateView(ObjectFormView):
    permission = "add"

    def get(self, request):
        products, _ = self.form_lookups()
        keeps = self.resource.add_another_keeps
        initial = {field: request.GET[field] for field in keeps if field in request.GET}
        return self.render_form(self.make_form(products, initial=initial))

    def post(self, request):
        products, lookup_error = self.form_lookups()
        form = self.make_form(products, request.POST)
        if lookup_error:
            form.is_valid()
            form.add_error(None, failure_message(form, lookup_error))
            return self.render_form(form, status=lookup_error.status)
        if not form.is_valid():
            return self.render_form(form, status=400)
        values = form.create_values()
        try:
            record = editing.create(
                request.user,
                form.cleaned_data["submission"],
                resource=self.resource,
                values=values,
                product_name=self.product_names(products).get(values["product_id"], ""),
            )
        except editing.AlreadySubmitted as done:
            if done.unconfirmed:
                form.add_error(
                    None,
                    "This form was sent already, and Galtea has not been found to have"
                    " created it or not yet: nothing more was sent. The activity log says"
                    " what became of it once Galtea answers.",
                )
                return self.render_form(form, status=409)
            if not done.entity_id:
                form.add_error(
                    None, "This form is being saved already: wait a moment, then reload."
                )
                return self.render_form(form, status=409)
            messages.info(
                request, f"This form was already sent: the {self.resource.noun} exists already."
            )
            return redirect(self.detail_url(done.entity_id))
        except editing.OutcomeUnknown as unknown:
            label = f"“{values[self.resource.label_field]}”"
            message = unknown_outcome_message(label, done="created")
            form.add_error(None, f"{message} Sending this form again will not create it twice.")
            return self.render_form(form, status=unknown.error.status)
        except GalteaRejected as error:
            form.apply_rejection(error)
            return self.render_form(form, status=400)
        except GalteaError as error:
            form.add_error(None, failure_message(form, error))
            return self.render_form(form, status=error.status)
        messages.success(request, f"Created {self.resource.selection_label(record)}.")
        return self.after_save(record)


class ObjectUpdateView(ObjectFormView):
    permission = "change"
    is_edit = True

    def get(self, request, entity_id: str):
        products, _ = self.form_lookups()
        record = resource_get(self.resource.spec, entity_id=entity_id)
        return self.render_form(self.make_form(products, record=record), record=record)

    def post(self, request, entity_id: str):
        resource = self.resource
        products, _ = self.form_lookups()
        try:
            current = resource_get(resource.spec, entity_id=entity_id)
        except GalteaNotFound:
            form = self.make_form(products, request.POST)
            form.is_valid()
            form.add_error(
                None,
                f"Someone deleted this {resource.noun} while you were editing it: "
                "nothing was saved.",
            )
            return self.render_form(form, status=404)
        except GalteaError as error:
            form = self.make_form(products, request.POST)
            form.is_valid()
            form.add_error(None, failure_message(form, error))
            return self.render_form(form, status=error.status)
        form = self.make_form(products, request.POST, record=current)
        if not form.is_valid():
            return self.render_form(form, record=current, status=400)
        changes = form.changes()
        merge = editing.merge_edit(
            opened=form.opened_values(),
            now=form.current_values(current),
            changes=changes,
            secrets=resource.spec.write_only,
        )
        if merge.collisions:
            form.reopen_with(current, keep=changes)
            for name, now in merge.collisions.items():
                form.add_error(name, collision_message(resource, name, now))
            return self.render_form(form, record=current, status=409, conflict=merge)
        if not merge.send:
            label = resource.label(current)
            if changes:  # someone else made the same changes meanwhile
                note = f"Nothing to save: “{label}” already holds your changes."
            elif merge.theirs:
                note = f"Nothing to save: you changed nothing in “{label}”."
            else:
                note = f"Nothing to save: “{label}” is unchanged."
            messages.info(request, note)
            self.tell_theirs(current, merge)
            return redirect(safe_next(request) or self.detail_url(current.id))
        try:
            updated = editing.update(
                request.user,
                resource=resource,
                before=current,
                changes=merge.send,
                product_name=self.product_names(products).get(current.product_id, ""),
            )
        except editing.OutcomeUnknown as unknown:
            label = f"“{resource.label(current)}”"
            form.add_error(None, unknown_outcome_message(label, done="changed"))
            return self.render_form(form, record=current, status=unknown.error.status)
        except GalteaRejected as error:
            form.apply_rejection(error)
            return self.render_form(form, record=current, status=400)
        except GalteaError as error:
            form.add_error(None, failure_message(form, error))
            return self.render_form(form, record=current, status=error.status)
        messages.success(request, f"Saved “{resource.label(updated)}”.")
        self.tell_theirs(updated, merge)
        return self.after_save(updated)

    def tell_theirs(self, record, merge) -> None:
        """Say what someone else changed meanwhile (kept, beside the person's changes)."""
        if not merge.theirs:
            return
        lines = "; ".join(
            f"{label}: {before} → {after}"
            for label, before, after in editing.described_changes(self.resource, merge.theirs)
        )
        messages.info(
            self.request,
            f"Someone else changed “{self.resource.label(record)}” while you were editing "
            f"it, and their changes are kept: {lines}.",
        )


def collision_message(resource, name: str, now) -> str:
    """What a field both people changed says: what it is now, and how to keep one's own."""
    if name in resource.spec.write_only:
        label = in_sentence(resource.field_labels.get(name, name))
        done = "set" if now else "removed"
        return f"Someone else {done} the {label} meanwhile. Save to keep yours instead."
    value = resource.value_describer()(name, now)
    return f"Changed meanwhile to “{value}”. Save to keep yours instead."


class ObjectDeleteView(ResourceView):
    permission = "delete"
    http_method_names = ["get", "post"]

    def get(self, request, entity_id: str):
        record = resource_get(self.resource.spec, entity_id=entity_id)
        return self.render_confirmation(record)

    def render_confirmation(self, record, *, error: GalteaError | None = None, message=""):
        next_url = safe_next(self.request)
        if error and not message:
            message = f"Nothing was deleted. {error.title}: {error.message}"
        context = {
            "object": record,
            "summary": self.resource.summary(record),
            "product": products_by_id().get(record.product_id),
            "next_url": next_url,
            "cancel_url": next_url or self.detail_url(record.id),
            "error": message,
            "panels": self.resource.delete_panels(self.request, [record]),
        }
        return self.render("delete", context, status=error.status if error else 200)

    def post(self, request, entity_id: str):
        resource = self.resource
        next_url = safe_next(request)
        try:
            record = resource_get(resource.spec, entity_id=entity_id)
        except GalteaNotFound:
            messages.info(request, f"That {resource.noun} had already been deleted.")
            return redirect(next_url or self.list_url)
        product = products_by_id().get(record.product_id)
        try:
            editing.delete(
                request.user,
                resource=resource,
                record=record,
                product_name=product.name if product else "",
            )
        except GalteaNotFound:
            messages.info(request, f"“{resource.label(record)}” had already been deleted.")
        except GalteaForbidden as error:
            return self.render_confirmation(record, error=error)
        except editing.OutcomeUnknown as unknown:
            label = f"“{resource.label(record)}”"
            message = unknown_outcome_message(label, done="deleted")
            return self.render_confirmation(record, error=unknown.error, message=message)
        else:
            messages.success(request, f"Deleted {resource.selection_label(record)}.")
        if next_url and next_url.startswith(self.detail_url(record.id)):
            # Came from the deleted entity's page: go where that page came from.
            next_url = safe_target(request, QueryDict(urlsplit(next_url).query).get(NEXT_VAR, ""))
        return redirect(next_url or self.list_url)


class BulkDeleteView(ResourceView):
    """Step 1 (no `confirm`): list what would be deleted. Step 2: delete each one. With
    "all matching" (lists/all_matching.py): name the filters, then start the job."""

    permission = "bulk"
    http_method_names = ["post"]

    def post(self, request):
        resource = self.resource
        next_url = safe_next(request) or self.list_url
        if all_matching.chosen(request.POST):
            return self.delete_matching(request, next_url)
        try:
            ids = bulk.selected_ids(resource, request.POST.getlist("ids"))
        except bulk.BadSelection as problem:
            messages.error(request, str(problem))
            return redirect(next_url)
        products = products_by_id()
        if request.POST.get("confirm") != "yes":
            lookup = bulk.look_up(resource, ids)
            rows = [
                (found, products.get(found.product_id), resource.summary(found))
                for found in lookup.found
            ]
            labels = [label for label, _ in rows[0][2]] if rows else []
            context = {
                "lookup": lookup,
                "rows": rows,
                "summary_labels": labels,
                "next_url": next_url,
                "panels": resource.delete_panels(request, lookup.found) if lookup.found else [],
            }
            return self.render("bulk_delete", context)
        names = {product_id: product.name for product_id, product in products.items()}
        outcome = bulk.delete_all(request.user, resource, ids, names)
        if outcome.deleted:
            count = len(outcome.deleted)
            noun = resource.noun_plural if count != 1 else resource.noun
            messages.success(request, f"Deleted {count} {noun}.")
        for what, why in outcome.failed:
            messages.error(request, f"Could not delete {what}: {why.rstrip('.')}.")
        for what in outcome.unconfirmed:
            messages.warning(request, unknown_outcome_message(what, done="deleted"))
        return redirect(next_url)

    def delete_matching(self, request, next_url: str):
        """ "All matching": a confirmation naming the filters, then the job (which finds
        and counts the rows itself)."""
        try:
            matching = all_matching.posted_matching(
                self.resource, request.POST, absent_fields=self.absent_fields
            )
        except all_matching.BadFilters as problem:
            messages.error(request, str(problem))
            return redirect(next_url)
        if request.POST.get("confirm") != "yes":
            context = {"matching": matching, "estimate": matching.estimate(), "next_url": next_url}
            return self.render("bulk_delete_matching", context)
        job = bulk_delete.bulk_delete_matching_start(
            request.user, resource=self.resource, matching=matching
        )
        return redirect(reverse("jobs:detail", args=[job.pk]))


class BulkEditView(ResourceView):
    """ "Edit selected…": step 1 (no `step`), the form for the selected rows; step 2
    (`step=review`), what it would change, read from Galtea; step 3 (`step=start`), the
    background job, and the person lands on its page. With "all matching" the same steps
    serve every row the list's filters match (named, and estimated, not looked up)."""

    permission = "change"
    http_method_names = ["post"]

    def post(self, request):
        resource = self.resource
        next_url = safe_next(request) or self.list_url
        matching, ids = None, []
        try:
            if all_matching.chosen(request.POST):
                matching = all_matching.posted_matching(
                    resource, request.POST, absent_fields=self.absent_fields
                )
            else:
                ids = bulk.selected_ids(resource, request.POST.getlist("ids"))
        except (bulk.BadSelection, all_matching.BadFilters) as problem:
            messages.error(request, str(problem))
            return redirect(next_url)
        step = request.POST.get("step", "")
        form = bulk_edit.BulkEditForm(
            request.POST if step else None,
            resource=resource,
            products=[],  # the product is never edited in bulk
            absent_fields=self.absent_fields,
            form_kwargs=resource.form_kwargs(request),
        )
        context = {
            "form": form,
            "ids": ids,
            "matching": matching,
            "next_url": next_url,
            **resource.form_context(),
        }
        if step not in ("review", "start") or not form.is_valid():
            return self.render("bulk_edit", context, status=400 if step else 200)
        if step == "start":
            if matching:
                job = bulk_edit.bulk_edit_matching_start(
                    request.user, resource=resource, matching=matching, changes=form.changes
                )
            else:
                job = bulk_edit.bulk_edit_start(
                    request.user, resource=resource, ids=ids, changes=form.changes
                )
            return redirect(reverse("jobs:detail", args=[job.pk]))
        if matching:
            context.update(
                estimate=matching.estimate(),
                description=bulk_edit.describe_changes_matching(resource, form.changes, matching),
            )
            return self.render("bulk_edit_confirm", context)
        lookup = bulk.look_up(resource, ids)
        to_change = [r for r in lookup.found if settling.unapplied(resource, r, form.changes)]
        found = {record.id for record in lookup.found}
        context.update(
            lookup=lookup,
            found_ids=[entity_id for entity_id in ids if entity_id in found],  # as selected
            to_change=len(to_change),
            description=bulk_edit.describe_changes(resource, form.changes, len(lookup.found)),
        )
        return self.render("bulk_edit_confirm", context)
