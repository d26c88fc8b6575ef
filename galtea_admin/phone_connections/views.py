"""Phone-connection pages. Thin: parse the request, call the service layer, render."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from galtea_admin.galtea.phone_connections import get_phone_connection
from galtea_admin.galtea.products import cached_products
from galtea_admin.galtea.voices import available_voices
from galtea_admin.phone_connections.chips import filter_chips, url_keeping
from galtea_admin.phone_connections.listing import LIST_CONTROLS, PAGE_SIZES, build_list_page
from galtea_admin.phone_connections.tables import speaker_label, voice_label


def without_empty_params(request) -> str | None:
    """The same URL without empty parameters, or None when it has none (clean URLs)."""
    params = request.GET.copy()
    empty = [key for key in params if not any(v.strip() for v in params.getlist(key))]
    if not empty:
        return None
    for key in empty:
        del params[key]
    encoded = params.urlencode()
    return request.path + (f"?{encoded}" if encoded else "")


@require_GET
def phone_connection_list(request):
    clean_url = without_empty_params(request)
    if clean_url:
        return redirect(clean_url)
    listing = build_list_page(request.GET, products=cached_products(), voices=available_voices())
    context = {
        "listing": listing,
        "filter": listing.filterset,
        "table": listing.table,
        "chips": filter_chips(listing.filterset, request.GET),
        "page_sizes": PAGE_SIZES,
        "clear_url": url_keeping(request.GET, LIST_CONTROLS),
        "kept_controls": listing.kept_controls(),
    }
    status = 200 if listing.is_valid else 400
    return render(request, "phone_connections/list.html", context, status=status)


@require_GET
def phone_connection_detail(request, connection_id: str):
    connection = get_phone_connection(connection_id)
    products = {product.id: product for product in cached_products()}
    voices = available_voices()
    context = {
        "connection": connection,
        "product": products.get(connection.product_id),
        "voice": voice_label(connection.voice, voices),
        "speaks_first": speaker_label(connection.agent_speaks_first),
    }
    return render(request, "phone_connections/detail.html", context)
