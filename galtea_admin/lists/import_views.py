"""The import pages of a resource that declares `import_fields`: the form (a file, or rows
pasted), then the preview of every row (kept in a draft), then "Import N rows", which starts
the job and lands on its page. Editors only (the "add" permission; updating names that exist
also needs "change").

Whatever the input, the form answers with a sentence at its top (never a 500), the pasted
rows still in it.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from galtea_admin.galtea.errors import GalteaError
from galtea_admin.galtea.products import cached_products
from galtea_admin.jobs.drafts import draft_get
from galtea_admin.lists import importing
from galtea_admin.lists.import_files import (
    ACCEPTED,
    ImportFileError,
    megabytes,
    read_pasted,
    read_upload,
)
from galtea_admin.lists.importing import KIND, SKIP, UPDATE
from galtea_admin.lists.navigation import safe_next
from galtea_admin.lists.registry import EMPTY
from galtea_admin.lists.views import ResourceView
from galtea_admin.security import import_upload_limit

PREVIEW_ROWS = 100
ALL, PROBLEMS = "all", "problems"
EXPIRED = "That preview is no longer kept (previews are kept for a day): import the file again."


class ImportForm(forms.Form):
    every_field_optional = True  # either field may be left empty (not both)

    file = forms.FileField(label="A file", required=False, allow_empty_file=True)
    rows = forms.CharField(
        label="Or paste rows",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        help_text="Copied from a spreadsheet (TSV) or CSV text; the first row names the columns.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"{ACCEPTED}, at most {megabytes(import_upload_limit())} and "
            f"{settings.IMPORT_MAX_ROWS:,} rows; the first row names the columns."
        )
        self.fields["file"].widget.attrs["accept"] = ".csv,.tsv,.txt,.xlsx,.json"

    def clean(self):
        data = super().clean()
        if data.get("file") and (data.get("rows") or "").strip():
            raise forms.ValidationError("Choose a file or paste rows, not both.")
        if not data.get("file") and not (data.get("rows") or "").strip():
            raise forms.ValidationError("Choose a file, or paste rows.")
        return data


class ImportView(ResourceView):
    """The import form; a valid table becomes a draft, and the person its preview."""

    permission = "add"
    http_method_names = ["get", "post"]

    def render_form(self, form, *, status: int = 200, problem: str = "", details=()):
        context = {
            "form": form,
            "problem": problem,
            "details": list(details),
            "next_url": safe_next(self.request) or self.list_url,
            "columns": importing.columns_help(self.resource, self.absent_fields),
        }
        return self.render("import", context, status=status)

    def get(self, request):
        return self.render_form(ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, status=400, problem=" ".join(form.non_field_errors()))
        upload = form.cleaned_data["file"]
        try:
            if upload is not None:
                table = read_upload(upload, json_root=self.resource.spec.path.strip("/"))
                source = upload.name or "the file"
            else:
                table = read_pasted(form.cleaned_data["rows"])
                source = "pasted rows"
        except ImportFileError as problem:
            return self.refuse(form, str(problem), upload)
        try:
            schema = importing.ImportSchema(
                self.resource,
                products=cached_products(),
                absent_fields=self.absent_fields,
                form_kwargs=self.resource.form_kwargs(request),
            )
        except GalteaError as error:
            return self.refuse(
                form, f"Galtea could not list the products: {error.title}: {error.message}", upload
            )
        columns = schema.match(table.headers)
        if columns.missing:
            return self.refuse(
                form,
                f"The {' and the '.join(columns.missing)} "
                f"{'column is' if len(columns.missing) == 1 else 'columns are'} missing: the "
                "first row must name the columns.",
                upload,
                details=[f"Its first row: {', '.join(h for h in table.headers if h) or EMPTY}."],
            )
        draft = importing.import_prepare(
            request.user,
            resource=self.resource,
            table=table,
            schema=schema,
            columns=columns,
            source=source,
        )
        return redirect(reverse(f"{self.resource.key}:import_preview", args=[draft.pk]))

    def refuse(self, form, problem: str, upload, *, details=()):
        """The form again, saying what is wrong, the pasted rows still in it."""
        extra = list(details)
        if upload is not None:
            extra.append("Choose the file again once it is fixed (a browser never keeps it).")
        return self.render_form(form, status=400, problem=problem, details=extra)


class ImportPreviewView(ResourceView):
    """Every row of a draft and what would happen to it; "Import N rows" starts the job."""

    permission = "add"
    http_method_names = ["get", "post"]

    def draft(self, draft_id: str):
        if not draft_id.isdigit():
            return None
        draft = draft_get(user=self.request.user, kind=KIND, draft_id=int(draft_id))
        if draft is None or draft.params.get("resource") != self.resource.key:
            return None
        return draft

    def may_update(self) -> bool:
        return self.request.user.has_perm(self.resource.permission("change"))

    def choice(self, data) -> str:
        return UPDATE if data.get("existing") == UPDATE and self.may_update() else SKIP

    def expired(self):
        messages.error(self.request, EXPIRED)
        return redirect(reverse(f"{self.resource.key}:import"))

    def get(self, request, draft_id: str):
        draft = self.draft(draft_id)
        if draft is None:
            return self.expired()
        if draft.job_id:
            return redirect(reverse("jobs:detail", args=[draft.job_id]))
        choice = self.choice(request.GET)
        show = PROBLEMS if request.GET.get("show") == PROBLEMS else ALL
        counts = importing.import_counts(draft.rows, choice)
        rows = draft.rows if show == ALL else [r for r in draft.rows if r["values"] is None]
        page = Paginator(rows, PREVIEW_ROWS).get_page(request.GET.get("page"))
        fields = [(name, label) for name, _, label in draft.params["columns"]]
        describe = self.resource.value_describer()  # one for the page: its lookups once
        context = {
            "draft": draft,
            "choice": choice,
            "may_update": self.may_update(),
            "counts": counts,
            "show": show,
            "page": page,
            "page_links": self.page_links(page, choice, show),
            "show_links": {
                value: f"?{urlencode({'existing': choice, 'show': value})}"
                for value in (ALL, PROBLEMS)
            },
            "headings": [(label, header) for _, header, label in draft.params["columns"]],
            "rows": [self.shown(row, fields, choice, describe) for row in page.object_list],
        }
        return self.render("import_preview", context)

    @staticmethod
    def page_links(page, choice: str, show: str) -> dict[str, str | None]:
        def link(number):
            return f"?{urlencode({'existing': choice, 'show': show, 'page': number})}"

        return {
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "next": link(page.next_page_number()) if page.has_next() else None,
        }

    def shown(self, row: dict, fields: list[tuple[str, str]], choice: str, describe) -> dict:
        """A preview row: each column's label and value as it will be sent (and as typed,
        when that differs), what will happen to it and why."""
        values = row["values"] or {}
        cells = []
        for name, label in fields:
            typed = row["cells"].get(name, "")
            if name == importing.PRODUCT:
                value = row["product"] or typed
            elif isinstance(values.get(name), bool):
                value, typed = ("Yes" if values[name] else "No"), ""  # yes, true, 1: all one
            elif name in values:
                value = describe(name, values[name])
            else:
                value = typed
            shown = str(value or EMPTY)
            typed = typed if typed and typed.casefold() != shown.casefold() else ""
            cells.append((label, shown, typed))
        outcome = importing.row_outcome(row, choice)
        changes = (row["existing"] or {}).get("changes", [])
        labels = [self.resource.field_labels.get(name, name) for name in changes]
        return {
            "number": row["row"],
            "cells": cells,
            "outcome": outcome,
            "problems": row["problems"],
            "changes": labels,
            "existing_id": (row["existing"] or {}).get("id"),
        }

    def post(self, request, draft_id: str):
        draft = self.draft(draft_id)
        if draft is None:
            return self.expired()
        choice = self.choice(request.POST)
        if importing.import_counts(draft.rows, choice).importable == 0:
            messages.error(request, "No row can be imported: fix the file, then import it again.")
            return redirect(request.path)
        job = importing.import_start(
            request.user, resource=self.resource, draft=draft, choice=choice
        )
        return redirect(reverse("jobs:detail", args=[job.pk]))
