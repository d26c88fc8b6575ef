"""Phone-connection pages. Thin: parse the request, call the service layer, render."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from galtea_admin.accounts import roles
from galtea_admin.audit.models import ChangeRecord
from galtea_admin.galtea.errors import GalteaError, GalteaNotFound, GalteaRejected
from galtea_admin.galtea.phone_connections import PhoneConnectionsNotFound, get_phone_connection
from galtea_admin.galtea.products import Product, cached_products
from galtea_admin.galtea.voices import available_voices
from galtea_admin.lists.chips import filter_chips
from galtea_admin.lists.controls import PAGE_SIZES, without_empty_params
from galtea_admin.lists.query import encode_query
from galtea_admin.lists.slots import render_with_slot
from galtea_admin.phone_connections import bulk, editing, export, phone_numbers
from galtea_admin.phone_connections.filters import PhoneConnectionFilter
from galtea_admin.phone_connections.forms import CreateForm, EditForm
from galtea_admin.phone_connections.languages import COMMON_LANGUAGE_CODES
from galtea_admin.phone_connections.listing import start_list_page
from galtea_admin.phone_connections.navigation import detail_url, list_url, safe_next, safe_target
from galtea_admin.phone_connections.tables import (
    PhoneConnectionTable,
    describe_value,
    speaker_label,
    voice_label,
)
from galtea_admin.preferences.columns import chosen_columns, column_choices, configurable_columns
from galtea_admin.preferences.saved_views import saved_query, visible_views

HISTORY_LENGTH = 50
LIST_NAME = "phone_connections"


@require_GET
@permission_required(roles.VIEW, raise_exception=True)
def phone_connection_list(request):
    clean_url = without_empty_params(request)
    if clean_url:
        return redirect(clean_url)
    listing = start_list_page(request.GET, products=cached_products())  # the rows' request
    columns = configurable_columns(PhoneConnectionTable, PhoneConnectionTable.FIXED_COLUMNS)
    shown = chosen_columns(request.user, LIST_NAME, list(columns))
    listing.make_table(
        voices=available_voices(),
        user=request.user,
        here=request.get_full_path(),
        columns=shown,
    )
    context = {
        "listing": listing,
        "filter": listing.filterset,
        "table": listing.table,
        "chips": filter_chips(listing.filterset, request.GET),
        "page_sizes": PAGE_SIZES,
        "clear_url": listing.controls.clear_url(),
        "kept_controls": listing.controls.kept(),
        "here_query": urlencode({"next": request.get_full_path()}),
        "export_query": query_without(request.GET, ("page", "per_page")),
        "list_name": LIST_NAME,
        "query": encode_query(request.GET),
        "saved_views": visible_views(request.user, LIST_NAME),
        "current_view_query": saved_query(request.GET),
        "column_choices": column_choices(columns, shown),
    }
    page = render_with_slot(  # the page is drawn while the rows are on their way
        request,
        "phone_connections/list.html",
        context,
        slot="results",
        slot_template="phone_connections/_results.html",
        wait=listing.wait_for_rows,
    )
    return HttpResponse(page, status=200 if listing.is_valid else 400)


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", export.csv_stream),
    "json": ("application/json; charset=utf-8", export.json_stream),
}


@require_GET
@permission_required(roles.VIEW, raise_exception=True)
def phone_connection_export(request, extension: str):
    """The list as filtered and sorted, every page of it, streamed as CSV or JSON."""
    products = cached_products()
    filterset = PhoneConnectionFilter(request.GET or None, products=products)
    query = export.export_query(filterset, request.GET)
    back_to_list = f"{list_url()}?{request.GET.urlencode()}"
    if query is None:
        messages.error(request, "Fix the filters before exporting.")
        return redirect(back_to_list)
    try:
        rows = export.export_rows(query, products)
    except PhoneConnectionsNotFound:
        return redirect(back_to_list)
    content_type, stream = EXPORT_FORMATS[extension]
    response = StreamingHttpResponse(stream(rows), content_type=content_type)
    filename = export.export_filename(filter_chips(filterset, request.GET), extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@permission_required(roles.VIEW, raise_exception=True)
def phone_connection_detail(request, connection_id: str):
    connection = get_phone_connection(connection_id)
    products = {product.id: product for product in cached_products()}
    voices = available_voices()
    next_url = safe_next(request)
    here = request.get_full_path()
    context = {
        "connection": connection,
        "product": products.get(connection.product_id),
        "voice": voice_label(connection.voice, voices),
        "speaks_first": speaker_label(connection.agent_speaks_first),
        "history": ChangeRecord.objects.filter(connection_id=connection.id)[:HISTORY_LENGTH],
        "voices": voices,
        "back_url": next_url or list_url(),
        "here_query": urlencode({"next": here}),
    }
    return render(request, "phone_connections/detail.html", context)


@require_GET
@permission_required(roles.VIEW, raise_exception=True)
def check_phone_number(request):
    """What a typed number will be saved as (used by the form to preview normalisation)."""
    typed = request.GET.get("number", "")[:64]
    try:
        e164 = phone_numbers.to_e164(typed)
    except phone_numbers.InvalidPhoneNumber as problem:
        return JsonResponse({"valid": False, "message": str(problem)})
    formatted, country = phone_numbers.describe(e164)
    return JsonResponse({"valid": True, "e164": e164, "formatted": formatted, "country": country})


def failure_message(error: GalteaError) -> str:
    return f"Nothing was saved. {error.title}: {error.message} What you typed is still here."


def query_without(params, keys) -> str:
    """`?query` of `params` without `keys` ("" when nothing is left)."""
    encoded = encode_query(params, drop=keys)
    return f"?{encoded}" if encoded else ""


def conflict_rows(form, conflict) -> list[tuple[str, str]]:
    """(label, value now) for each field someone else changed."""
    voices = available_voices()
    return [
        (form.fields[field].label, describe_value(field, getattr(conflict.current, field), voices))
        for field in conflict.changed_fields
    ]


def render_form(request, form, *, connection=None, status=200, conflict=None):
    next_url = safe_next(request)
    context = {
        "form": form,
        "connection": connection,
        "conflict": conflict,
        "next_url": next_url,
        "cancel_url": next_url or (detail_url(connection.id) if connection else list_url()),
        "language_codes": COMMON_LANGUAGE_CODES,
        "normalised_number": form.normalised_number_note() if form.is_bound else None,
        "conflict_rows": conflict_rows(form, conflict) if conflict else (),
        "hidden_errors": [error for field in form.hidden_fields() for error in field.errors],
        "is_edit": isinstance(form, EditForm),
    }
    return render(request, "phone_connections/form.html", context, status=status)


def form_lookups(request):
    """(products, voices, error) for a form. When Galtea cannot list products while a form
    is being saved, the posted product stands in so that the form and its values survive."""
    try:
        return cached_products(), available_voices(), None
    except GalteaError as error:
        if request.method != "POST":
            raise
        posted = request.POST.get("product", "")
        stand_in = [Product(posted, posted, None, timezone.now())] if posted else []
        return stand_in, available_voices(), error


def after_save(request, connection):
    """Back where the person came from, or to the new connection's page."""
    next_url = safe_next(request)
    if "_addanother" in request.POST:
        keep = {"product": connection.product_id, "voice": connection.voice or ""}
        if next_url:
            keep["next"] = next_url
        return redirect(f"{request.path}?{urlencode(keep)}")
    return redirect(next_url or detail_url(connection.id))


@require_http_methods(["GET", "POST"])
@permission_required(roles.ADD, raise_exception=True)
def phone_connection_create(request):
    products, voices, lookup_error = form_lookups(request)
    names = {product.id: product.name for product in products}
    if request.method == "GET":
        initial = {key: request.GET[key] for key in ("product", "voice") if key in request.GET}
        form = CreateForm(initial=initial, products=products, voices=voices)
        return render_form(request, form)
    form = CreateForm(request.POST, products=products, voices=voices)
    if lookup_error:
        form.is_valid()
        form.add_error(None, failure_message(lookup_error))
        return render_form(request, form, status=lookup_error.status)
    if not form.is_valid():
        return render_form(request, form, status=400)
    product_id = form.cleaned_data["product"]
    try:
        connection = editing.create(
            request.user,
            form.cleaned_data["submission"],
            product_id=product_id,
            values=form.values(),
            product_name=names.get(product_id, ""),
        )
    except editing.AlreadySubmitted as done:
        if not done.connection_id:
            form.add_error(None, "This form is being saved already: wait a moment, then reload.")
            return render_form(request, form, status=409)
        messages.info(request, "This form was already sent: the connection exists already.")
        return redirect(detail_url(done.connection_id))
    except GalteaRejected as error:
        form.apply_rejection(error)
        return render_form(request, form, status=400)
    except GalteaError as error:
        form.add_error(None, failure_message(error))
        return render_form(request, form, status=error.status)
    messages.success(request, f"Created “{connection.name}” ({connection.phone_number}).")
    return after_save(request, connection)


@require_http_methods(["GET", "POST"])
@permission_required(roles.CHANGE, raise_exception=True)
def phone_connection_update(request, connection_id: str):
    products, voices, _ = form_lookups(request)
    names = {product.id: product.name for product in products}
    if request.method == "GET":
        connection = get_phone_connection(connection_id)
        form = EditForm(connection=connection, products=products, voices=voices)
        return render_form(request, form, connection=connection)
    try:
        current = get_phone_connection(connection_id)
    except GalteaNotFound:
        form = EditForm(request.POST, connection=None, products=products, voices=voices)
        form.is_valid()
        form.add_error(
            None, "Someone deleted this connection while you were editing it: nothing was saved."
        )
        return render_form(request, form, status=404)
    except GalteaError as error:
        form = EditForm(request.POST, connection=None, products=products, voices=voices)
        form.is_valid()
        form.add_error(None, failure_message(error))
        return render_form(request, form, status=error.status)
    form = EditForm(request.POST, connection=current, products=products, voices=voices)
    if not form.is_valid():
        return render_form(request, form, connection=current, status=400)
    conflict = editing.find_conflict(current, form.cleaned_data["original"])
    if conflict:
        form.reopen_with(current)
        return render_form(request, form, connection=current, status=409, conflict=conflict)
    changes = form.changes()
    if not changes:
        messages.info(request, f"Nothing to save: “{current.name}” is unchanged.")
        return redirect(safe_next(request) or detail_url(current.id))
    try:
        updated = editing.update(
            request.user, current, changes, product_name=names.get(current.product_id, "")
        )
    except GalteaRejected as error:
        form.apply_rejection(error)
        return render_form(request, form, connection=current, status=400)
    except GalteaError as error:
        form.add_error(None, failure_message(error))
        return render_form(request, form, connection=current, status=error.status)
    messages.success(request, f"Saved “{updated.name}”.")
    return after_save(request, updated)


@require_http_methods(["GET", "POST"])
@permission_required(roles.DELETE, raise_exception=True)
def phone_connection_delete(request, connection_id: str):
    next_url = safe_next(request)
    try:
        connection = get_phone_connection(connection_id)
    except GalteaNotFound:
        if request.method == "GET":
            raise
        messages.info(request, "That phone connection had already been deleted.")
        return redirect(next_url or list_url())
    products = {product.id: product for product in cached_products()}
    product = products.get(connection.product_id)
    if request.method == "GET":
        context = {
            "connection": connection,
            "product": product,
            "next_url": next_url,
            "cancel_url": next_url or detail_url(connection.id),
        }
        return render(request, "phone_connections/delete.html", context)
    try:
        editing.delete(request.user, connection, product_name=product.name if product else "")
    except GalteaNotFound:
        messages.info(request, f"“{connection.name}” had already been deleted.")
    else:
        messages.success(request, f"Deleted “{connection.name}” ({connection.phone_number}).")
    if next_url and next_url.startswith(detail_url(connection.id)):
        # Came from the deleted connection's page: go where that page came from.
        next_url = safe_target(request, QueryDict(urlsplit(next_url).query).get("next", ""))
    return redirect(next_url or list_url())


@require_POST
@permission_required(roles.BULK, raise_exception=True)
def phone_connection_bulk_delete(request):
    """Step 1 (no `confirm`): list what would be deleted. Step 2: delete each one."""
    next_url = safe_next(request) or list_url()
    try:
        ids = bulk.selected_ids(request.POST.getlist("ids"))
    except bulk.BadSelection as problem:
        messages.error(request, str(problem))
        return redirect(next_url)
    products = {product.id: product for product in cached_products()}
    if request.POST.get("confirm") != "yes":
        lookup = bulk.look_up(ids)
        rows = [(found, products.get(found.product_id)) for found in lookup.found]
        context = {"lookup": lookup, "rows": rows, "next_url": next_url}
        return render(request, "phone_connections/bulk_delete.html", context)
    names = {product_id: product.name for product_id, product in products.items()}
    outcome = bulk.delete_all(request.user, ids, names)
    if outcome.deleted:
        count = len(outcome.deleted)
        messages.success(request, f"Deleted {count} phone connection{pluralize(count)}.")
    for what, why in outcome.failed:
        messages.error(request, f"Could not delete {what}: {why.rstrip('.')}.")
    return redirect(next_url)
