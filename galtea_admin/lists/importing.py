"""Importing many entities of one resource from a table (a file, or pasted rows), as a
background job after a preview.

A resource declares what an import reads (`import_fields` on its registration: each field
and the other names its column may have); the product is always read, by name or by id.
Column names are matched leniently (case, spaces and punctuation aside: "Phone number",
"phone_number" and "phoneNumber" are one). Each cell is cleaned as the resource's own form
cleans that field (a phone number normalised to E.164, a language code, a voice among those
offered), so an import accepts exactly what the form does.

The preview (`import_prepare`) says of every row what it would become and what is wrong
with it: a bad value, an unknown product, a name the file already has in that product, and
whether the name exists in Galtea already (asked with the API's `names[]` filter, a few
hundred names a request, never by listing everything). The person chooses what happens to
names that exist: skipped, or updated with the file's values. The rows are kept in a draft
(jobs/drafts.py), never in the session or the page.

The job (kind "import") asks Galtea again, a batch at a time, which names exist, then
creates the others and skips or updates the rest, GALTEA_JOB_CONCURRENCY at a time; a row
that fails never stops the others, and each create and update is in the activity log as the
person who started the job. Running the same file twice creates nothing twice: the second
run finds the names. A row on its way when a worker died is looked up by its name before it
is sent again.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from urllib.parse import quote

from django import forms

from galtea_admin.audit import recording
from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaError, GalteaRejected
from galtea_admin.galtea.resources import (
    resource_create,
    resource_list,
)
from galtea_admin.jobs import kinds
from galtea_admin.jobs.drafts import draft_create, draft_start
from galtea_admin.jobs.kinds import DONE, FAILED, SKIPPED, Outcome, Work
from galtea_admin.lists import bulk, editing, settling
from galtea_admin.lists.export import FORMULA_STARTS
from galtea_admin.lists.import_files import Table
from galtea_admin.lists.job_kinds import ResourceJobKind
from galtea_admin.lists.registry import site

KIND = "import"
SKIP, UPDATE = "skip", "update"
CREATE = "create"
PROBLEM = "problem"
PRODUCT = "product"
PRODUCT_LABEL = "Product"
# Other names of the product's column (its name or its id), besides "product".
PRODUCT_ALIASES = ("product id", "product name")
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
# Names per look-up request, and how long their part of its URL may be (in characters).
NAMES_PER_LOOKUP = 200
LOOKUP_URL_CHARS = 6000
GONE = "It no longer exists (deleted meanwhile?)."
MAYBE_MADE = (
    "Galtea may have created it: importing the same file again finds it by its name, and "
    "skips or updates it."
)
NUMBER_LIKE = re.compile(r"[+\-]?[\d\s().\-/]*\d[\d\s().\-/]*")


def header_key(text: str) -> str:
    """What a column name is matched by: "Phone number", "phone_number" → "phonenumber"."""
    return re.sub(r"[\W_]+", "", text.casefold())


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run the cell as a formula (a number aside, a phone
    number written with its + and spaces or brackets included)."""
    return text.startswith(FORMULA_STARTS) and not NUMBER_LIKE.fullmatch(text)


@dataclasses.dataclass
class Columns:
    """Which column of the table fills which field, and what is not read."""

    used: dict[str, int]  # field → the index of its column
    ignored: list[tuple[str, str]]  # (column name, why it is not read)
    missing: list[str]  # labels of the required fields that no column fills


class ImportSchema:
    """What an import of one resource reads, and how each cell is cleaned: as the
    resource's own form cleans that field."""

    def __init__(self, resource, *, products, absent_fields, form_kwargs):
        self.resource = resource
        self.form = resource.form_class(
            None, products=products, editing=False, absent_fields=absent_fields, **form_kwargs
        )
        self.fields = [name for name in resource.import_fields if name in self.form.fields]
        # Fields the API at hand does not have: their columns are reported, never read.
        self.absent = [name for name in resource.import_fields if name not in self.form.fields]
        self.aliases = {header_key(alias): PRODUCT for alias in (PRODUCT, *PRODUCT_ALIASES)}
        for name in [*self.fields, *self.absent]:
            for alias in (name, *resource.import_fields[name]):
                self.aliases.setdefault(header_key(alias), name)
        self.products_by_id = {product.id: product for product in products}
        self.products_by_name: dict[str, list] = defaultdict(list)
        for product in products:
            self.products_by_name[product.name.casefold()].append(product)

    def label(self, name: str) -> str:
        if name == PRODUCT:
            return PRODUCT_LABEL
        own = self.form.fields.get(name)
        return self.resource.field_labels.get(name) or str(own.label if own else name)

    @property
    def required(self) -> list[str]:
        """The product and the fields the form needs that have no default."""
        return [PRODUCT] + [name for name in self.fields if is_required(self.form.fields[name])]

    def match(self, headers: list[str]) -> Columns:
        used: dict[str, int] = {}
        ignored: list[tuple[str, str]] = []
        for index, header in enumerate(headers):
            if not header:
                continue
            name = self.aliases.get(header_key(header))
            if name is None:
                ignored.append((header, "not a column this import reads"))
            elif name in self.absent:
                ignored.append((header, "the Galtea API in use has no such field"))
            elif name in used:
                first = headers[used[name]]
                ignored.append((header, f"the {self.label(name)} is read from “{first}”"))
            else:
                used[name] = index
        missing = [self.label(name) for name in self.required if name not in used]
        return Columns(used, ignored, missing)

    def defaults(self, present: Iterable[str]) -> dict[str, object]:
        """What a create sends for the fields the table has no column for."""
        values = {}
        for name in self.fields:
            if name in present:
                continue
            initial = self.form.fields[name].initial
            values[name] = None if initial is None else self.clean_value(name, str(initial))
        return values

    def product_of(self, text: str):
        """(the product a cell names by id or by name, the problem if none)."""
        if not text:
            return None, f"{PRODUCT_LABEL} is missing."
        if text in self.products_by_id:
            return self.products_by_id[text], None
        named = self.products_by_name.get(text.casefold(), [])
        if len(named) == 1:
            return named[0], None
        if named:
            return None, f"Several products are named “{text}”: give its id instead."
        return None, f"No product is named “{text}” or has that id."

    def clean_value(self, name: str, raw: str):
        """`raw` cleaned by the form's field and its `clean_<name>`; a yes/no field reads
        yes/no/true/false/1/0, a choice its value or its label, whatever their case."""
        field = self.form.fields[name]
        if raw == "" and field.initial is not None:
            raw = str(field.initial)
        if is_yes_no(field):
            raw = yes_no(raw)
        elif isinstance(field, forms.ChoiceField) and raw:
            raw = choice_value(field, raw)
        return self.form.clean_one(name, raw)

    def clean_row(self, cells: dict[str, str]) -> tuple[dict, list[str], str]:
        """(the row's values, its problems, its product's name) from its cells by field."""
        values: dict[str, object] = {}
        problems: list[str] = []
        product, problem = self.product_of(cells.get(PRODUCT, ""))
        if problem:
            problems.append(problem)
        else:
            values["product_id"] = product.id
        for name in self.fields:
            if name not in cells:
                continue
            try:
                values[name] = self.clean_value(name, cells[name])
            except forms.ValidationError as error:
                if any(item.code == "required" for item in error.error_list):
                    problems.append(f"{self.label(name)} is missing.")
                else:
                    problems.append(f"{self.label(name)}: {' '.join(error.messages)}")
        return values, problems, product.name if product else ""


def is_required(field) -> bool:
    return field.required and field.initial is None


def columns_help(resource, absent_fields) -> list[tuple[str, str, bool]]:
    """(column, the names it may have, whether every row needs it) of what an import reads,
    as the import form lists them."""
    own = resource.form_class.base_fields
    shown = [(PRODUCT_LABEL, ", ".join((PRODUCT, *PRODUCT_ALIASES)) + " (its name or id)", True)]
    for name, aliases in resource.import_fields.items():
        if name in absent_fields or name not in own:
            continue
        label = resource.field_labels.get(name) or str(own[name].label)
        shown.append((label, ", ".join((name, *aliases)), is_required(own[name])))
    return shown


def is_yes_no(field) -> bool:
    choices = getattr(field, "choices", None)
    return isinstance(field, forms.TypedChoiceField) and {str(v) for v, _ in choices or ()} == {
        "true",
        "false",
    }


def yes_no(text: str) -> str:
    word = text.strip().casefold()
    if word in YES:
        return "true"
    if word in NO:
        return "false"
    raise forms.ValidationError(f"“{text}” is not yes or no (nor true/false, 1/0).")


def choice_value(field, text: str) -> str:
    """The choice whose value or label (or the label's first words, before a bracket) is
    `text`, whatever its case."""
    wanted = text.casefold()
    for value, label in field.choices:
        if not value:
            continue
        names = {str(value).casefold(), str(label).casefold(), str(label).split(" (")[0].casefold()}
        if wanted in names:
            return str(value)
    offered = ", ".join(str(value) for value, _ in field.choices if value)
    raise forms.ValidationError(f"“{text}” is not one of {offered}.")


# --- Names that exist already ------------------------------------------------------------------


def name_chunks(names: list[str]) -> Iterator[list[str]]:
    """The names a few hundred at a time, each chunk's part of the URL kept short."""
    chunk: list[str] = []
    length = 0
    for name in names:
        size = len(quote(name, safe="")) + len("&names[]=")
        if chunk and (len(chunk) == NAMES_PER_LOOKUP or length + size > LOOKUP_URL_CHARS):
            yield chunk
            chunk, length = [], 0
        chunk.append(name)
        length += size
    if chunk:
        yield chunk


def existing_by_name(resource, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """The entities that exist with these (product id, name) pairs, by pair: one request per
    product per chunk of names (names are unique within a product)."""
    by_product: dict[str, list[str]] = defaultdict(list)
    for product_id, name in dict.fromkeys(pairs):
        by_product[product_id].append(name)
    found = {}
    for product_id, names in by_product.items():
        for chunk in name_chunks(names):
            query = resource.spec.query(product_ids=[product_id], names=chunk)
            for record in resource_list(resource.spec, query=query, limit=contract.MAX_LIMIT):
                found[(record.product_id, resource.label(record))] = record
    return found


def differences(resource, record, values: dict, fields: Iterable[str]) -> dict[str, object]:
    """The file's values of `fields` that `record` does not hold (its name and product
    aside: they are what found it)."""
    return {
        name: values[name]
        for name in fields
        if name in resource.spec.updatable
        and name != resource.label_field
        and name in values
        and getattr(record, name) != values[name]
    }


# --- The preview ------------------------------------------------------------------------------


def import_prepare(
    user, *, resource, table: Table, schema: ImportSchema, columns: Columns, source: str
):
    """Read, clean and check every row of `table`, ask Galtea which names exist, and keep it
    all in a draft for the preview; returns the draft. `columns`: the table's headers as
    `schema` matched them, nothing missing."""
    present = [name for name in schema.fields if name in columns.used]
    defaults = schema.defaults(present)
    rows: list[dict] = []
    first_row: dict[tuple[str, str], int] = {}
    formulas = 0
    for number, cells in table.rows:
        by_field = {
            name: cells[index] if index < len(cells) else "" for name, index in columns.used.items()
        }
        formulas += sum(1 for text in by_field.values() if looks_like_formula(text))
        values, problems, product_name = schema.clean_row(by_field)
        if not problems:
            values = {**defaults, **values}
            key = (values["product_id"], values[resource.label_field])
            if key in first_row:
                problems.append(
                    f"The file has this name in this product already, in row {first_row[key]}: "
                    "only that row is imported."
                )
            else:
                first_row[key] = number
        rows.append(
            {
                "row": number,
                "cells": by_field,
                "product": product_name,
                "values": None if problems else values,
                "problems": problems,
                "existing": None,
            }
        )
    notes = list(table.notes)
    if formulas:
        notes.append(
            f"{formulas} {'cell starts' if formulas == 1 else 'cells start'} with =, +, - or @, "
            "as a spreadsheet formula does: imported as the text it is, never run."
        )
    asked = mark_existing(resource, rows, present)
    if asked is not None:
        notes.append(
            f"Galtea could not be asked which of these names exist already ({asked}). The "
            "import asks again before it sends each row, and skips or updates as you choose."
        )
    params = {
        "resource": resource.key,
        "source": source,
        "format": table.format,
        "fields": present,
        "columns": [
            (name, table.headers[index], schema.label(name))
            for name, index in sorted(columns.used.items(), key=lambda pair: pair[1])
        ],
        "ignored": columns.ignored,
        "notes": notes,
        "existence_known": asked is None,
    }
    return draft_create(user=user, kind=KIND, params=params, rows=rows)


def mark_existing(resource, rows: list[dict], fields: list[str]) -> str | None:
    """Note on each valid row whether its name exists in Galtea (its id, and the fields the
    file would change); returns why Galtea could not be asked, None when it answered."""
    valid = [row for row in rows if row["values"] is not None]
    pairs = [(row["values"]["product_id"], row["values"][resource.label_field]) for row in valid]
    try:
        found = existing_by_name(resource, pairs)
    except GalteaError as error:
        return f"{error.title}: {error.message}"
    for row, pair in zip(valid, pairs, strict=True):
        record = found.get(pair)
        if record is not None:
            changes = differences(resource, record, row["values"], fields)
            row["existing"] = {"id": record.id, "changes": list(changes)}
    return None


@dataclasses.dataclass
class Counts:
    create: int = 0
    update: int = 0
    skip: int = 0
    problems: int = 0

    @property
    def existing(self) -> int:
        """The rows whose name exists in Galtea already (updated or skipped)."""
        return self.update + self.skip

    @property
    def importable(self) -> int:
        return self.create + self.existing


def import_counts(rows: list[dict], choice: str) -> Counts:
    outcomes = Counter(row_outcome(row, choice) for row in rows)
    return Counts(
        create=outcomes[CREATE],
        update=outcomes[UPDATE],
        skip=outcomes[SKIP],
        problems=outcomes[PROBLEM],
    )


def row_outcome(row: dict, choice: str) -> str:
    """What the preview says will happen to a row: "create", "update", "skip", "problem"."""
    if row["values"] is None:
        return PROBLEM
    if row["existing"] is None:
        return CREATE
    return UPDATE if choice == UPDATE and row["existing"]["changes"] else SKIP


def describe_import(resource, count: int, source: str, choice: str) -> str:
    noun = resource.noun if count == 1 else resource.noun_plural
    then = "updating" if choice == UPDATE else "skipping"
    return f"Import {count} {noun} from {source}, {then} the names that exist"


def import_start(user, *, resource, draft, choice: str):
    """Start the import job of the draft's rows that have no problem; returns the job."""
    rows = [row for row in draft.rows if row["values"] is not None]
    params = {
        "resource": resource.key,
        "existing": choice,
        "fields": draft.params["fields"],
        "source": draft.params["source"],
    }
    return draft_start(
        user=user,
        draft=draft,
        description=describe_import(resource, len(rows), draft.params["source"], choice),
        params=params,
        keys=[str(row["row"]) for row in rows],
        data=[
            {"row": row["row"], "values": row["values"], "product_name": row["product"]}
            for row in rows
        ],
    )


# --- The job ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Plan:
    """What a row is to do: create `values`, or change `changes` of `before`."""

    action: str
    values: dict
    before: object = None
    changes: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Made:
    """What `record` writes to the activity log of a row done."""

    action: str
    before: object
    after: object
    fields: tuple[str, ...]
    product_name: str


@kinds.register
class ResourceImport(ResourceJobKind):
    name = KIND
    outcome_words = {DONE: "imported", SKIPPED: "skipped", FAILED: "failed"}
    no_longer = "This admin no longer imports these."

    def offered_by(self, resource) -> bool:
        return resource.offers_import

    @staticmethod
    def pair(resource, data: dict) -> tuple[str, str]:
        return data["values"]["product_id"], data["values"][resource.label_field]

    @staticmethod
    def label(resource, data: dict) -> str:
        shown = resource.selection_label(SimpleNamespace(**data["values"]))
        return f"{shown}, row {data['row']}"

    def load_items(self, job, items):
        resource = self.resource(job)
        self.warm(resource)
        existing = existing_by_name(resource, [self.pair(resource, item.data) for item in items])
        steps: dict[str, Work | Outcome] = {}
        for item in items:
            data = item.data
            label = self.label(resource, data)
            record = existing.get(self.pair(resource, data))
            if record is None:
                plan = Plan(CREATE, data["values"])
                steps[item.key] = Work(label, data={**data, "action": CREATE}, payload=plan)
            else:
                steps[item.key] = self.existing_step(job, resource, data, label, record)
        return steps

    def existing_step(self, job, resource, data, label, record) -> Work | Outcome:
        """Skip or update a row whose name exists, as the person chose."""
        found = {**data, "id": record.id}
        if job.params.get("existing") != UPDATE:
            return Outcome(SKIPPED, label, "It exists already: skipped, as chosen.", data=found)
        changes = differences(resource, record, data["values"], job.params.get("fields", ()))
        if not changes:
            return Outcome(SKIPPED, label, "It exists already, with these values.", data=found)
        before = {name: getattr(record, name) for name in changes}
        plan = Plan(UPDATE, data["values"], record, changes)
        return Work(label, data={**found, "action": UPDATE, "before": before}, payload=plan)

    def perform(self, job, work):
        resource, plan = self.resource(job), work.payload
        if plan.action == UPDATE:
            return self.update(resource, work, plan)
        creatable = {k: v for k, v in plan.values.items() if k in resource.spec.creatable}
        try:
            record = resource_create(resource.spec, values=creatable)
        except editing.LOST_ANSWER as error:
            if not error.may_have_arrived:
                raise
            try:
                record = settling.find_created(resource, work.data["values"])
            except GalteaError:
                # Raised, not an outcome: in an outage the job stops and checks it on Resume.
                raise type(error)(f"{error.message} {MAYBE_MADE}") from None
            if record is None:
                raise
        except GalteaRejected as error:
            if not error.is_duplicate_name:
                raise
            # Created meanwhile, by someone else: as an existing name.
            try:
                record = settling.find_created(resource, work.data["values"])
            except GalteaError:
                raise error from None
            if record is None:
                raise
            step = self.existing_step(job, resource, work.data, work.label, record)
            if isinstance(step, Outcome):
                step.message = f"It was created meanwhile, by someone else. {step.message}"
                return step
            return self.update(resource, step, step.payload)
        made = Made(CREATE, None, record, (), work.data.get("product_name", ""))
        data = {**work.data, "id": record.id}
        return Outcome(DONE, work.label, "Created.", payload=made, data=data)

    def update(self, resource, work, plan):
        after = self.send_update(resource, work, plan.before.id, plan.changes)
        if isinstance(after, Outcome):
            return after
        made = Made(
            UPDATE, plan.before, after, tuple(plan.changes), work.data.get("product_name", "")
        )
        data = {**work.data, "id": after.id}
        return Outcome(DONE, work.label, self.updated_text(resource, made), payload=made, data=data)

    @staticmethod
    def updated_text(resource, made: Made) -> str:
        return "Updated: " + ", ".join(resource.field_labels.get(n, n) for n in made.fields) + "."

    def check(self, job, items):
        """Rows on their way when a worker stopped: a create is done if the name exists
        now, an update if the entity holds its changes; otherwise they are sent again."""
        resource = self.resource(job)
        self.warm(resource)
        verdicts: dict[str, Outcome | None] = {}
        creates = [item for item in items if item.data.get("action") == CREATE]
        updates = [item for item in items if item.data.get("action") == UPDATE]
        found = existing_by_name(resource, [self.pair(resource, item.data) for item in creates])
        for item in creates:
            record = found.get(self.pair(resource, item.data))
            if record is None:
                verdicts[item.key] = None
                continue
            made = Made(CREATE, None, record, (), item.data.get("product_name", ""))
            verdicts[item.key] = Outcome(
                DONE,
                message="Created (found in Galtea after the worker stopped).",
                payload=made,
                data={**item.data, "id": record.id},
            )
        ids = [item.data["id"] for item in updates]
        current = {record.id: record for record in bulk.look_up(resource, ids).found} if ids else {}
        for item in updates:
            record = current.get(item.data["id"])
            if record is None:
                verdicts[item.key] = Outcome(FAILED, message=GONE)
                continue
            before = item.data.get("before", {})
            sent = {name: item.data["values"][name] for name in before}
            if not sent or differences(resource, record, sent, sent):
                verdicts[item.key] = None
                continue
            made = Made(
                UPDATE,
                dataclasses.replace(record, **before),
                record,
                tuple(sent),
                item.data.get("product_name", ""),
            )
            verdicts[item.key] = Outcome(
                DONE, message=self.updated_text(resource, made), payload=made
            )
        return verdicts

    def record(self, job, item, outcome):
        made: Made = outcome.payload
        resource = self.resource(job)
        if made.action == CREATE:
            recording.record_create(
                job.started_by, resource=resource, record=made.after, product_name=made.product_name
            )
        else:
            recording.record_update(
                job.started_by,
                resource=resource,
                before=made.before,
                after=made.after,
                fields=made.fields,
                product_name=made.product_name,
            )

    def item_outcome(self, job, item):
        if item.status == DONE:
            return "updated" if item.data.get("action") == UPDATE else "created"
        return None

    def item_url(self, job, item):
        entity_id = item.data.get("id")
        if not entity_id or item.status == FAILED:
            return None
        return self.entity_url(job, entity_id)

    def report_columns(self, job):
        resource = site.get(job.params.get("resource", ""))
        labels = resource.field_labels if resource else {}
        names = resource.import_fields if resource else ()
        return [
            ("row", "Row in the file"),
            ("product", PRODUCT_LABEL),
            *((name, labels.get(name, name)) for name in names),
            ("id", "Id in Galtea"),
        ]

    def report_values(self, job, item):
        data = item.data
        return {
            "row": data.get("row", ""),
            "product": data.get("product_name", ""),
            **data.get("values", {}),
            "id": data.get("id", ""),
        }
