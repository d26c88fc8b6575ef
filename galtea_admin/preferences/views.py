"""Saving and removing list views; choosing a table's columns and one's colour theme."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from galtea_admin.lists.navigation import safe_next
from galtea_admin.lists.registry import site
from galtea_admin.preferences import columns as column_settings
from galtea_admin.preferences.appearance import theme_remember, theme_save
from galtea_admin.preferences.forms import SavedViewForm, ThemeForm
from galtea_admin.preferences.models import SavedView
from galtea_admin.preferences.saved_views import (
    UndoRefused,
    saved_query,
    saved_view_remove,
    saved_view_restore,
    saved_view_undo_list,
)

MOVES = {"up": -1, "down": 1}


def listed_resource(request, list_name: str):
    """The registered resource whose list this is, if the person may see it."""
    resource = site.get(list_name)
    if resource is None or not request.user.has_perm(resource.permission("view")):
        raise PermissionDenied
    return resource


def list_page(list_name: str, query: str = "") -> str:
    url = reverse(f"{list_name}:list")
    return f"{url}?{query}" if query else url


@require_POST
def saved_view_create(request, list_name: str):
    listed_resource(request, list_name)
    data = request.POST.copy()
    data["query"] = saved_query(data.get("query", ""))
    form = SavedViewForm(data, owner=request.user, list_name=list_name)
    if form.is_valid():
        view = form.save()
        shared = " and shared it with the team" if view.shared else ""
        messages.success(request, f"Saved this view as “{view.name}”{shared}.")
        return redirect(list_page(list_name, view.query))
    problems = " ".join(error for errors in form.errors.values() for error in errors)
    typed = data.get("name", "").strip()
    messages.error(request, f"The view “{typed}” was not saved: {problems}")
    return redirect(list_page(list_name, data["query"]))


@require_POST
def saved_view_delete(request, view_id: int):
    view = get_object_or_404(SavedView, pk=view_id)
    listed_resource(request, view.list_name)
    if view.owner_id != request.user.id and not request.user.is_superuser:
        raise PermissionDenied
    query = request.POST.get("query", "")
    note = saved_view_remove(view=view, by=request.user)
    # One click removes; the message's "Undo" button mends a mistake with one more.
    context = {"view": view, "note": note, "query": query}
    # The template escapes what it draws, so its markup (the Undo form) may show as markup.
    message = mark_safe(  # noqa: S308
        render_to_string("preferences/_removed_view_message.html", context, request)
    )
    messages.success(request, message)
    return redirect(list_page(view.list_name, query))


@require_POST
def saved_view_undo(request):
    """Undo a removal: the view comes back with the same name, query and sharing."""
    note = request.POST.get("note", "")
    list_name = saved_view_undo_list(note=note)
    if list_name is None:
        raise PermissionDenied
    listed_resource(request, list_name)
    back = list_page(list_name, request.POST.get("query", ""))
    try:
        view = saved_view_restore(note=note, by=request.user)
    except UndoRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    messages.success(request, f"Restored the saved view “{view.name}”.")
    return redirect(back)


@require_POST
def table_columns(request, list_name: str):
    """Show, hide, move or reset the columns of a list, for the signed-in person."""
    table_class = listed_resource(request, list_name).table_class
    back = list_page(list_name, request.POST.get("query", ""))
    if "reset" in request.POST:
        column_settings.reset_columns(request.user, list_name)
        messages.success(request, "Columns reset to the default.")
        return redirect(back)
    available = column_settings.configurable_columns(table_class)
    order = [name for name in request.POST.getlist("order") if name in available]
    order += [name for name in available if name not in order]
    shown = [name for name in order if name in request.POST.getlist("show")]
    name, _, direction = request.POST.get("move", "").partition(":")
    if direction in MOVES:
        order = column_settings.move(order, name, MOVES[direction])
        shown = [column for column in order if column in shown]
    column_settings.save_columns(request.user, list_name, shown)
    return redirect(back)


@require_POST
def theme_choose(request) -> HttpResponse:
    """Keep the person's colour theme, then go back where they were (a path on this site).
    admin.js sends it in the background (asking for JSON) and applies it at once."""
    form = ThemeForm(request.POST)
    inline = "application/json" in request.headers.get("Accept", "")
    back = safe_next(request) or reverse("home")
    if not form.is_valid():
        problem = " ".join(form.errors["theme"])
        if inline:
            return JsonResponse({"error": problem}, status=400)
        return render(
            request,
            "preferences/theme_refused.html",
            {"problem": problem, "back": back},
            status=400,
        )
    theme = form.cleaned_data["theme"]
    theme_save(user=request.user, theme=theme)
    theme_remember(request, theme)
    if inline:
        return JsonResponse({"theme": theme})
    return redirect(back)
