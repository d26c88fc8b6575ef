"""Export a list as it is filtered and sorted, all pages of it, as CSV or JSON (streamed).

The rows are fetched from the API in chunks while the file is being sent, so memory stays
flat however many rows match. If Galtea fails halfway, the file ends with an explicit error
instead of stopping short silently.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import chain

from django.utils import timezone
from django.utils.text import slugify

from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaError
from galtea_admin.galtea.resources import RemoteQuery, resource_iterate
from galtea_admin.lists.chips import Chip

# Spreadsheets run a cell that starts with one of these as a formula: some skip leading
# blanks, invisible characters or line breaks first, and read the full-width forms as ASCII.
FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    " ",
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "\uff1d",  # full-width =
    "\uff0b",  # full-width +
    "\uff0d",  # full-width -
    "\uff20",  # full-width @
)
# Separators that would start another cell of the error line (in a comma or semicolon CSV):
# replaced in the upstream reason it quotes, so that the line is one cell starting with ERROR.
CELL_BREAKS = re.compile(r"[,;]")
# A bare E.164 number cannot hold a formula: it is exported as it is.
E164 = re.compile(r"\+[1-9]\d{6,14}")
MAX_FILENAME_FILTERS = 80
# Rows per piece of the streamed file.
PIECE_ROWS = 500
# The export column made from a record's product id.
PRODUCT_NAME = "product_name"


def export_rows(
    resource,
    query: RemoteQuery,
    products,
    *,
    columns: tuple[str, ...] | None = None,
    read_timeout: float | None = None,
) -> Iterator[dict]:
    """The rows to export as plain values (`columns`, by default the resource's export
    columns), fetched lazily (the first chunk eagerly, so that a failure before anything was
    sent becomes an error page instead of a broken file). `read_timeout`: each chunk's."""
    names = {product.id: product.name for product in products}
    columns = columns or resource.export_columns
    records = resource_iterate(resource.spec, query=query, read_timeout=read_timeout)
    first = next(records, None)
    rows = chain([first] if first else [], records)
    return (row_values(columns, record, names) for record in rows)


def row_values(columns: tuple[str, ...], record, product_names: dict[str, str]) -> dict:
    row = {}
    for column in columns:
        if column == PRODUCT_NAME:
            value = product_names.get(record.product_id, "")
        else:
            value = getattr(record, column)
        row[column] = contract.format_datetime(value) if isinstance(value, datetime) else value
    return row


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not E164.fullmatch(text):
        return "'" + text
    return text


def error_reason(error: GalteaError) -> str:
    """Why the export stopped, as text that stays inside the error line's one cell: without
    control or invisible characters and without what separates cells, so that an upstream
    message can neither end the line nor start a cell of its own (which could be a formula)."""
    text = "".join(
        " " if char.isspace() else char
        for char in error.message
        if char.isspace() or unicodedata.category(char)[0] != "C"
    )
    return " ".join(CELL_BREAKS.sub(" ", text.replace('"', "")).split())


class _Line:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, text: str) -> str:
        return text


def csv_stream(columns: tuple[str, ...], rows: Iterable[dict]) -> Iterator[str]:
    """CSV text, sent in pieces of PIECE_ROWS rows (one write per row would be slow)."""
    writer = csv.writer(_Line())
    piece = [writer.writerow(columns)]
    count = 0
    try:
        for row in rows:
            piece.append(writer.writerow([safe_cell(row[column]) for column in columns]))
            count += 1
            if len(piece) >= PIECE_ROWS:
                yield "".join(piece)
                piece = []
    except GalteaError as error:
        # Not a quoted cell, so that the last line starts with ERROR (see error_reason).
        piece.append(f"ERROR: the export stopped after {count} rows: {error_reason(error)}\r\n")
    yield "".join(piece)


def json_stream(root: str, rows: Iterable[dict]) -> Iterator[str]:
    """A JSON object whose `complete` says whether every row made it (pieces of PIECE_ROWS)."""
    piece = [f"{{{json.dumps(root)}: ["]
    count = 0
    try:
        for row in rows:
            piece.append(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
            count += 1
            if len(piece) >= PIECE_ROWS:
                yield "".join(piece)
                piece = []
    except GalteaError as error:
        message = json.dumps(f"the export stopped after {count} rows: {error.message}")
        piece.append(f'\n], "complete": false, "error": {message}, "count": {count}}}\n')
        yield "".join(piece)
        return
    piece.append(f'\n], "complete": true, "count": {count}}}\n')
    yield "".join(piece)


def export_filename(stem: str, chips: list[Chip], extension: str) -> str:
    """e.g. phone-connections_product-acme_name-contains-support_2026-11-25.csv"""
    described = "_".join(slugify(f"{chip.label} {chip.value}") for chip in chips)
    described = described[:MAX_FILENAME_FILTERS].strip("-_")
    day = timezone.localdate().isoformat()
    parts = [stem, described, day] if described else [stem, day]
    return "_".join(parts) + f".{extension}"
