"""SQLite storage for products and phone connections (stdlib sqlite3, safe across threads).

Each thread gets its own connection; writes take a process-wide lock and an IMMEDIATE
transaction, so they are serialized. The database runs in WAL mode so reads never wait for
a write. Times are stored as epoch milliseconds; `name_folded` holds the casefolded name for
case-insensitive substring search.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from emulator.listing import ListQuery

PRODUCTS = "products"
PHONE_CONNECTIONS = "phone_connections"
PRODUCT_COLUMNS = ("id", "name", "description", "organization_id", "created_at", "deleted_at")
PHONE_CONNECTION_COLUMNS = (
    "id",
    "product_id",
    "name",
    "phone_number",
    "user_id",
    "voice",
    "language_code",
    "agent_speaks_first",
    "created_at",
    "deleted_at",
)
BUSY_TIMEOUT_MS = 10_000
MMAP_BYTES = 1 << 30

TABLES = """
CREATE TABLE IF NOT EXISTS products (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    description TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE TABLE IF NOT EXISTS phone_connections (
    id TEXT NOT NULL UNIQUE,
    product_id TEXT NOT NULL REFERENCES products (id),
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    user_id TEXT,
    voice TEXT,
    language_code TEXT,
    agent_speaks_first INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);
"""
# Indexes on live phone connections: name -> (unique, columns). The first enforces unique
# names within a product. The list indexes cover every filtered and sorted column, so
# picking a page reads indexes only; each leads with a sort order, alone or within a
# product. Name and phone-number orders come three times: followed by `id` alone, and by
# `createdAt` ascending and descending (with `id` in the last direction), so each such order
# is a plain index walk.
PHONE_CONNECTION_INDEXES = {
    "phone_connections_live_product_name": (True, "product_id, name"),
    "phone_connections_live_created": (
        False,
        "created_at, id, product_id, name, name_folded, phone_number",
    ),
    "phone_connections_live_product_created": (
        False,
        "product_id, created_at, id, name, name_folded, phone_number",
    ),
    "phone_connections_live_product_name_order": (
        False,
        "product_id, name, created_at, id, name_folded, phone_number",
    ),
    "phone_connections_live_name": (
        False,
        "name, id, created_at, product_id, name_folded, phone_number",
    ),
    "phone_connections_live_name_oldest": (
        False,
        "name, created_at, id, product_id, name_folded, phone_number",
    ),
    "phone_connections_live_name_newest": (
        False,
        "name, created_at DESC, id DESC, product_id, name_folded, phone_number",
    ),
    "phone_connections_live_phone_number": (
        False,
        "phone_number, id, created_at, product_id, name, name_folded",
    ),
    "phone_connections_live_phone_number_oldest": (
        False,
        "phone_number, created_at, id, product_id, name, name_folded",
    ),
    "phone_connections_live_phone_number_newest": (
        False,
        "phone_number, created_at DESC, id DESC, product_id, name, name_folded",
    ),
}


class DuplicateNameError(Exception):
    """A live phone connection of the same product already has this name."""


class Store:
    """The emulator's data, in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> Store:
        """The store at `path`, created with its schema (and parent directory) if missing."""
        path.parent.mkdir(parents=True, exist_ok=True)
        store = cls(path)
        connection = store._connection()
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(TABLES)
        _create_indexes(connection)
        return store

    def close(self) -> None:
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()

    # --- Reads ------------------------------------------------------------------------------

    def count(self, table: str, *, include_deleted: bool = False) -> int:
        where = "" if include_deleted else " WHERE deleted_at IS NULL"
        return self._connection().execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0]  # noqa: S608

    def get(self, table: str, row_id: str) -> sqlite3.Row | None:
        """The live row with this id, or None when it is missing or soft-deleted."""
        return (
            self._connection()
            .execute(f"SELECT * FROM {table} WHERE id = ? AND deleted_at IS NULL", (row_id,))  # noqa: S608
            .fetchone()
        )

    def list_page(self, table: str, query: ListQuery) -> list[sqlite3.Row]:
        """One page of live rows matching `query`, ordered with `id` as the last tie-breaker.

        The page is chosen over row ids alone, so skipping and sorting never carry whole rows;
        only the page's rows are then read, and re-sorted.
        """
        where, params = _where_clause(query)
        order = _order_by(query)
        sql = (
            f"SELECT {table}.* FROM {table} JOIN ("  # noqa: S608
            f"SELECT rowid AS page_rowid FROM {table} WHERE {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?"
            f") AS page ON {table}.rowid = page.page_rowid ORDER BY {order}"
        )
        return self._connection().execute(sql, [*params, query.limit, query.offset]).fetchall()

    def missing_ids(self, table: str, query: ListQuery) -> list[str]:
        """The ids `query` asks for by `ids[]` that no row matching all its filters has."""
        if not query.strict_ids:
            return []
        where, params = _where_clause(query)
        rows = self._connection().execute(f"SELECT id FROM {table} WHERE {where}", params)  # noqa: S608
        found = {row[0] for row in rows}
        return [row_id for row_id in query.strict_ids if row_id not in found]

    # --- Writes -----------------------------------------------------------------------------

    def insert_products(self, products: Iterable[Mapping[str, Any]]) -> None:
        with self._write() as connection:
            _insert_many(connection, PRODUCTS, PRODUCT_COLUMNS, products)

    def bulk_load_phone_connections(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Insert many rows in one transaction (for seeding), then refresh planner statistics.

        Indexes are dropped for the load and rebuilt after it, which is several times faster
        than updating them row by row.
        """
        with self._write() as connection:
            for name in PHONE_CONNECTION_INDEXES:
                connection.execute(f"DROP INDEX {name}")
            _insert_many(connection, PHONE_CONNECTIONS, PHONE_CONNECTION_COLUMNS, rows)
            _create_indexes(connection)
        with self._write_lock:
            self._connection().execute("ANALYZE")

    def create_phone_connection(self, row: Mapping[str, Any]) -> sqlite3.Row:
        with self._write() as connection:
            _insert_many(connection, PHONE_CONNECTIONS, PHONE_CONNECTION_COLUMNS, [row])
        return self.get(PHONE_CONNECTIONS, row["id"])

    def update_phone_connection(
        self, row_id: str, changes: Mapping[str, Any]
    ) -> sqlite3.Row | None:
        """Apply `changes` (column: value) to a live row; None when there is no such row."""
        if not changes:
            return self.get(PHONE_CONNECTIONS, row_id)
        values = dict(changes)
        if "name" in values:
            values["name_folded"] = values["name"].casefold()
        assignments = ", ".join(f"{column} = :{column}" for column in values)
        sql = (
            f"UPDATE phone_connections SET {assignments} WHERE id = :row_id AND deleted_at IS NULL"  # noqa: S608
        )
        with self._write() as connection:
            updated = connection.execute(sql, {**values, "row_id": row_id}).rowcount
        return self.get(PHONE_CONNECTIONS, row_id) if updated else None

    def delete_phone_connection(self, row_id: str, deleted_at: int) -> sqlite3.Row | None:
        """Soft-delete a live row and return it; None when there is no such row."""
        with self._write() as connection:
            deleted = connection.execute(
                "UPDATE phone_connections SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                (deleted_at, row_id),
            ).rowcount
            if not deleted:
                return None
            return connection.execute(
                "SELECT * FROM phone_connections WHERE id = ?", (row_id,)
            ).fetchone()

    # --- Connections ------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # Only this thread uses it; `close` may run on another once serving has stopped.
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA temp_store = MEMORY")
            connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A serialized write transaction; a unique-name clash becomes DuplicateNameError."""
        connection = self._connection()
        with self._write_lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except sqlite3.IntegrityError as error:
                connection.execute("ROLLBACK")
                if "phone_connections.product_id, phone_connections.name" in str(error):
                    raise DuplicateNameError(str(error)) from error
                raise
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")


def _create_indexes(connection: sqlite3.Connection) -> None:
    for name, (unique, columns) in PHONE_CONNECTION_INDEXES.items():
        connection.execute(
            f"CREATE {'UNIQUE ' if unique else ''}INDEX IF NOT EXISTS {name} "
            f"ON phone_connections ({columns}) WHERE deleted_at IS NULL"
        )


def _insert_many(
    connection: sqlite3.Connection,
    table: str,
    columns: tuple[str, ...],
    rows: Iterable[Mapping[str, Any]],
) -> None:
    names = (*columns, "name_folded")
    placeholders = ", ".join(f":{column}" for column in names)
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})"  # noqa: S608
    connection.executemany(sql, ({**row, "name_folded": row["name"].casefold()} for row in rows))


def _order_by(query: ListQuery) -> str:
    """The ORDER BY terms of `query`, then `id` in the last term's direction."""
    terms = [f"{column} {direction}" for column, direction in query.order]
    return ", ".join([*terms, f"id {query.order[-1][1]}"])


def _where_clause(query: ListQuery) -> tuple[str, list[Any]]:
    """SQL conditions and parameters for the filters of `query`, live rows only.

    Column names come from the endpoints' fixed specs, never from the request.
    """
    clauses = ["deleted_at IS NULL"]
    params: list[Any] = []
    for column, values in query.exact.items():
        clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(values)
    for column, needle in query.partial.items():
        clauses.append(f"instr({column}, ?) > 0")
        params.append(needle)
    # Unless the page is sorted by creation first, `+` keeps the planner from choosing the
    # creation index for a date range: a range it cannot size would then cost a full sort,
    # where walking the covering index of the sort order costs one index scan at most.
    created_at = "created_at" if query.order[0][0] == "created_at" else "+created_at"
    if query.created_from is not None:
        clauses.append(f"{created_at} >= ?")
        params.append(query.created_from)
    if query.created_to is not None:
        clauses.append(f"{created_at} <= ?")
        params.append(query.created_to)
    return " AND ".join(clauses), params
