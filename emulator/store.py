"""SQLite storage for the emulator's tables (stdlib sqlite3, safe across threads).

Each thread gets its own connection; writes take a process-wide lock and an IMMEDIATE
transaction, so they are serialized. The database runs in WAL mode so reads never wait for
a write. Every operation takes the `Table` it works on; the tables are laid out in `schema`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from emulator.listing import ListQuery
from emulator.schema import TABLES, Table

BUSY_TIMEOUT_MS = 10_000
MMAP_BYTES = 1 << 30


class DuplicateNameError(Exception):
    """A live row of the same product and table already has this name."""


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
        for table in TABLES:
            connection.execute(table.ddl)
            _create_indexes(connection, table)
        return store

    def close(self) -> None:
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()

    # --- Reads ------------------------------------------------------------------------------

    def count(self, table: Table, *, include_deleted: bool = False) -> int:
        where = "" if include_deleted else " WHERE deleted_at IS NULL"
        sql = f"SELECT count(*) FROM {table.name}{where}"  # noqa: S608
        return self._connection().execute(sql).fetchone()[0]

    def get(self, table: Table, row_id: str) -> sqlite3.Row | None:
        """The live row with this id, or None when it is missing or soft-deleted."""
        sql = f"SELECT * FROM {table.name} WHERE id = ? AND deleted_at IS NULL"  # noqa: S608
        return self._connection().execute(sql, (row_id,)).fetchone()

    def list_page(self, table: Table, query: ListQuery) -> list[sqlite3.Row]:
        """One page of live rows matching `query`, ordered with `id` as the last tie-breaker.

        The page is chosen over row ids alone, so skipping and sorting never carry whole rows;
        only the page's rows are then read, and re-sorted.
        """
        where, params = _where_clause(query)
        order = _order_by(query)
        name = table.name
        sql = (
            f"SELECT {name}.* FROM {name} JOIN ("  # noqa: S608
            f"SELECT rowid AS page_rowid FROM {name} WHERE {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?"
            f") AS page ON {name}.rowid = page.page_rowid ORDER BY {order}"
        )
        return self._connection().execute(sql, [*params, query.limit, query.offset]).fetchall()

    def live_rows(self, table: Table, columns: Sequence[str]) -> list[sqlite3.Row]:
        """`columns` of every live row, oldest first (then by id), as seeding reads them."""
        sql = (
            f"SELECT {', '.join(columns)} FROM {table.name} "  # noqa: S608
            "WHERE deleted_at IS NULL ORDER BY created_at, id"
        )
        return self._connection().execute(sql).fetchall()

    def missing_ids(self, table: Table, query: ListQuery) -> list[str]:
        """The ids `query` asks for by `ids[]` that no row matching all its filters has."""
        if not query.strict_ids:
            return []
        where, params = _where_clause(query)
        sql = f"SELECT id FROM {table.name} WHERE {where}"  # noqa: S608
        rows = self._connection().execute(sql, params)
        found = {row[0] for row in rows}
        return [row_id for row_id in query.strict_ids if row_id not in found]

    # --- Writes -----------------------------------------------------------------------------

    def insert(self, table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
        with self._write(table) as connection:
            _insert_many(connection, table, rows)

    def bulk_load(self, table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
        """Insert many rows in one transaction (for seeding), then refresh planner statistics.

        Indexes are dropped for the load and rebuilt after it, which is several times faster
        than updating them row by row. Only this table's statistics are refreshed: the
        others' have not changed.
        """
        with self._write(table) as connection:
            for name in table.indexes:
                connection.execute(f"DROP INDEX {name}")
            _insert_many(connection, table, rows)
            _create_indexes(connection, table)
        with self._write_lock:
            self._connection().execute(f"ANALYZE {table.name}")

    def create(self, table: Table, row: Mapping[str, Any]) -> sqlite3.Row:
        with self._write(table) as connection:
            _insert_many(connection, table, [row])
        return self.get(table, row["id"])

    def update(self, table: Table, row_id: str, changes: Mapping[str, Any]) -> sqlite3.Row | None:
        """Apply `changes` (column: value) to a live row; None when there is no such row."""
        if not changes:
            return self.get(table, row_id)
        values = table.with_folded(dict(changes))
        assignments = ", ".join(f"{column} = :{column}" for column in values)
        sql = f"UPDATE {table.name} SET {assignments} WHERE id = :row_id AND deleted_at IS NULL"  # noqa: S608
        with self._write(table) as connection:
            updated = connection.execute(sql, {**values, "row_id": row_id}).rowcount
        return self.get(table, row_id) if updated else None

    def delete(self, table: Table, row_id: str, deleted_at: int) -> bool:
        """Soft-delete a live row; False when there is no such row."""
        return not self.delete_many(table, (row_id,), deleted_at)

    def delete_many(self, table: Table, row_ids: Sequence[str], deleted_at: int) -> list[str]:
        """Soft-delete the live rows of `row_ids` all in one transaction, or none of them.

        Returns the ids with no live row, in the order given: when there are any, nothing
        was deleted.
        """
        placeholders = ", ".join("?" * len(row_ids))
        live = f"id IN ({placeholders}) AND deleted_at IS NULL"
        with self._write(table) as connection:
            rows = connection.execute(f"SELECT id FROM {table.name} WHERE {live}", row_ids)  # noqa: S608
            found = {row[0] for row in rows}
            missing = [row_id for row_id in row_ids if row_id not in found]
            if not missing:
                connection.execute(
                    f"UPDATE {table.name} SET deleted_at = ? WHERE {live}",  # noqa: S608
                    (deleted_at, *row_ids),
                )
        return missing

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
    def _write(self, table: Table) -> Iterator[sqlite3.Connection]:
        """A serialized write transaction on `table`; a clash of its unique product names
        becomes DuplicateNameError."""
        connection = self._connection()
        with self._write_lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except sqlite3.IntegrityError as error:
                connection.execute("ROLLBACK")
                if table.name_clash in str(error):
                    raise DuplicateNameError(str(error)) from error
                raise
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")


def _create_indexes(connection: sqlite3.Connection, table: Table) -> None:
    for name, (unique, columns) in table.indexes.items():
        connection.execute(
            f"CREATE {'UNIQUE ' if unique else ''}INDEX IF NOT EXISTS {name} "
            f"ON {table.name} ({columns}) WHERE deleted_at IS NULL"
        )


def _insert_many(
    connection: sqlite3.Connection, table: Table, rows: Iterable[Mapping[str, Any]]
) -> None:
    columns = table.stored_columns
    placeholders = ", ".join(f":{column}" for column in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    connection.executemany(sql, (table.with_folded(dict(row)) for row in rows))


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
    for column, included in query.included.items():
        either = [f"{column} IS NULL"] if included.none else []
        if included.ids:
            either.append(f"{column} IN ({', '.join('?' * len(included.ids))})")
            params.extend(included.ids)
        clauses.append(f"({' OR '.join(either)})")
    for column, excluded in query.excluded.items():
        if excluded.none:
            clauses.append(f"{column} IS NOT NULL")
        if excluded.ids:
            # A row without a reference is not one of the excluded ids, so it stays.
            clauses.append(
                f"({column} IS NULL OR {column} NOT IN ({', '.join('?' * len(excluded.ids))}))"
            )
            params.extend(excluded.ids)
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
