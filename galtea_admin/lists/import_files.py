"""Reading the table a person imports: an uploaded CSV, TSV, XLSX or JSON file, or rows
pasted as CSV/TSV text, into a header and rows of text cells.

The parsers are the standard ones (Python's csv and json, openpyxl for XLSX, with defusedxml
guarding its XML); this module only decides which to use and refuses, with a sentence a
person can act on, what they should not be given: a file over IMPORT_MAX_BYTES, more than
IMPORT_MAX_ROWS rows, text in another encoding than UTF-8 (with or without a BOM) or UTF-16
with a BOM, binary data, an empty file, JSON that is not a list of objects, a spreadsheet
that unpacks to far more than its size. A cell that starts like a spreadsheet formula stays
the text it is (an XLSX formula is read as its text, never calculated).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import openpyxl
from django.conf import settings

CSV, TSV, XLSX, JSON = "CSV", "TSV", "XLSX", "JSON"
ACCEPTED = "CSV, TSV, XLSX or JSON"
ENCODINGS = "UTF-8 (with or without a byte order mark) or UTF-16 with a byte order mark"
ZIP_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
# The most columns read of a row (a row's cells past them are dropped).
MAX_COLUMNS = 100
# A spreadsheet may unpack to at most this many times IMPORT_MAX_BYTES (a zip bomb does not).
MAX_UNPACKED_RATIO = 20
# Rows looked at, blank ones included, per row allowed: a sheet of a million empty rows stops.
MAX_ROWS_LOOKED_AT = 10
# How much of a text is looked at to tell binary data from text.
SNIFF_CHARS = 8192
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ImportFileError(ValueError):
    """The input cannot be imported at all; the message says why and what to do."""


@dataclass
class Table:
    """What was read: the header's cells and each non-blank row (its number as a
    spreadsheet shows it: the header is row 1), all text."""

    format: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    notes: list[str] = field(default_factory=list)


def megabytes(size: int) -> str:
    """ "10 MB", "2.5 MB", "800 KB", "120 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def too_large(size: int, what: str) -> ImportFileError:
    limit = settings.IMPORT_MAX_BYTES
    return ImportFileError(
        f"{what} is {megabytes(size)}; an import takes at most {megabytes(limit)}. "
        "Split it into smaller files and import them one after the other."
    )


def too_many_rows() -> ImportFileError:
    limit = settings.IMPORT_MAX_ROWS
    return ImportFileError(
        f"This has more than {limit:,} rows; an import takes at most {limit:,}. "
        f"Split it into files of {limit:,} rows or fewer and import them one after the other."
    )


def read_upload(upload, *, json_root: str = "") -> Table:
    """The table in an uploaded file (a Django UploadedFile). `json_root`: the key under
    which the admin's own JSON export lists its rows, read as well as a bare list."""
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise too_large(upload.size, "The file")
    raw = upload.read(settings.IMPORT_MAX_BYTES + 1)
    if not raw.strip():
        raise ImportFileError("The file is empty: there is nothing to import.")
    name = (upload.name or "").lower()
    if raw.startswith(ZIP_MAGIC):
        return read_xlsx(raw)
    if raw.startswith(OLD_EXCEL_MAGIC):
        raise ImportFileError(
            "This is an old Excel file (XLS), which is not read here: save it as XLSX "
            "(Excel Workbook) or CSV UTF-8 and upload that."
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            "This file is named like a spreadsheet (XLSX) but is not one: it cannot be opened. "
            f"Upload a {ACCEPTED} file."
        )
    text = decode(raw)
    if name.endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        return read_json(text, root=json_root)
    return read_delimited(text)


def read_pasted(text: str) -> Table:
    """The table in rows pasted as CSV or TSV text (the first row names the columns)."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > settings.IMPORT_MAX_BYTES:
        raise too_large(size, "The pasted text")
    if not text.strip():
        raise ImportFileError("Nothing was pasted: paste rows, or choose a file.")
    refuse_binary(text)
    return read_delimited(text)


def decode(raw: bytes) -> str:
    """`raw` as text: UTF-8 (a BOM dropped) or UTF-16 with its BOM; anything else is refused
    with the encodings that are read."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(
                f"This file starts as UTF-16 text but is not: save it as {ENCODINGS}."
            ) from None
        refuse_binary(text)
        return text
    if b"\x00" in raw[:SNIFF_CHARS]:
        raise binary_data()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex().upper()
        raise ImportFileError(
            f"This file is not UTF-8 text (line {line} holds the byte 0x{byte}, which UTF-8 "
            f"does not allow there): it is in another encoding, or not text at all. The admin "
            f"reads {ENCODINGS}. In Excel, “Save As” → “CSV UTF-8”; elsewhere choose UTF-8 "
            "when saving, then upload it again."
        ) from None
    refuse_binary(text)
    return text


def binary_data() -> ImportFileError:
    return ImportFileError(
        f"This does not look like a table: it holds binary data. Upload a {ACCEPTED} file, or "
        "paste the rows as text."
    )


def refuse_binary(text: str) -> None:
    sample = text[:SNIFF_CHARS]
    controls = sum(1 for char in sample if CONTROL.match(char))
    if "\x00" in sample or controls > max(2, len(sample) // 100):
        raise binary_data()


def clean_cell(value) -> str:
    """A cell as text: values of other types written as a person reads them, control
    characters (a NUL above all) dropped, surrounding blanks trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))  # a spreadsheet's 14155552671.0 is the number typed
    elif isinstance(value, datetime | date | time):
        text = value.isoformat()
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = CONTROL.sub("", text)
    # A lone surrogate (JSON "\ud800") is no character: no database would store it.
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    return unicodedata.normalize("NFC", text).strip()


def table_of(format_: str, records, notes: list[str] | None = None) -> Table:
    """A Table from records (each a sequence of raw cells, the first the header), blank
    ones skipped; more rows than IMPORT_MAX_ROWS are refused as soon as they are seen."""
    limit = settings.IMPORT_MAX_ROWS
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, record in enumerate(records, start=1):
        if number > limit * MAX_ROWS_LOOKED_AT:
            raise too_many_rows()
        cells = [clean_cell(value) for value in list(record)[:MAX_COLUMNS]]
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        if len(rows) == limit:
            raise too_many_rows()
        rows.append((number, cells))
    if headers is None:
        raise ImportFileError("There is nothing to import: no row has any text.")
    if not rows:
        raise ImportFileError(
            "There is only one row, read as the names of the columns: add the rows to import "
            "below it."
        )
    return Table(format_, headers, rows, notes or [])


def delimiter_of(text: str) -> str:
    """Tab, semicolon or comma: whichever the first line (the header) is split by."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    return ";" if first.count(";") > first.count(",") else ","


def read_delimited(text: str) -> Table:
    delimiter = delimiter_of(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        return table_of(TSV if delimiter == "\t" else CSV, reader)
    except csv.Error as error:
        raise ImportFileError(
            f"Row {reader.line_num} could not be read as {CSV}: {error}. Check its quotes."
        ) from None


def read_json(text: str, *, root: str = "") -> Table:
    try:
        data = json.loads(text)
    except RecursionError:
        raise ImportFileError("This JSON is nested too deeply to be a table of rows.") from None
    except ValueError as error:
        detail = getattr(error, "msg", str(error))
        where = f" (line {error.lineno}, column {error.colno})" if hasattr(error, "lineno") else ""
        raise ImportFileError(f"This is not valid JSON{where}: {detail}.") from None
    if isinstance(data, dict) and root and isinstance(data.get(root), list):
        data = data[root]  # the admin's own export: {"phoneConnections": [...], ...}
    example = '[{"name": "Support line", "phone": "+1 415 555 2671", "product": "Acme"}]'
    if not isinstance(data, list):
        raise ImportFileError(
            f"The JSON must be a list of objects, one per row, e.g. {example}; this file holds "
            f"{json_kind(data)}."
        )
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ImportFileError(
                f"The JSON must be a list of objects, one per row, e.g. {example}; item "
                f"{position} of the list is {json_kind(item)}."
            )
    if len(data) > settings.IMPORT_MAX_ROWS:
        raise too_many_rows()
    keys: dict[str, None] = {}
    for item in data:
        keys.update(dict.fromkeys(str(key) for key in item))
    headers = list(keys)[:MAX_COLUMNS]
    records = [headers, *([item.get(key) for key in headers] for item in data)]
    return table_of(JSON, records)


def json_kind(value) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    return "a number"


def read_xlsx(raw: bytes) -> Table:
    """The first sheet of a workbook, formulas as their text (never calculated)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise not_a_spreadsheet() from None
    if unpacked > settings.IMPORT_MAX_BYTES * MAX_UNPACKED_RATIO:
        raise ImportFileError(
            f"This spreadsheet unpacks to {megabytes(unpacked)}, far more than a table of "
            f"{settings.IMPORT_MAX_ROWS:,} rows needs: it is not read. Save it again, or as "
            "CSV UTF-8."
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
        raise not_a_spreadsheet() from None
    try:
        sheets = workbook.sheetnames
        notes = [f"Only the first sheet, “{sheets[0]}”, was read."] if len(sheets) > 1 else []
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a sheet's declared size is not believed
        return table_of(XLSX, sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), notes)
    except ImportFileError:
        raise
    except Exception:  # a damaged sheet shows only once it is read
        raise not_a_spreadsheet() from None
    finally:
        workbook.close()


def not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        "This file could not be opened as a spreadsheet (XLSX): it is damaged, or another "
        f"kind of file. Upload a {ACCEPTED} file."
    )
