"""The SQLite tables: one `Table` per stored collection, with its columns and indexes.

Times are epoch milliseconds. A searchable text column has a casefolded twin (`name` and
`name_folded`) that the store keeps in step, for case-insensitive substring search.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """A stored collection. `indexes` maps an index name to (unique, columns); every index
    covers live rows only. `folded` maps a text column to its casefolded twin."""

    name: str
    ddl: str
    columns: tuple[str, ...]
    folded: dict[str, str] = field(default_factory=dict)
    indexes: dict[str, tuple[bool, str]] = field(default_factory=dict)

    @property
    def stored_columns(self) -> tuple[str, ...]:
        return (*self.columns, *self.folded.values())

    @property
    def name_clash(self) -> str:
        """How SQLite names the unique (product, name) index when an insert breaks it."""
        return f"{self.name}.product_id, {self.name}.name"

    def with_folded(self, values: dict) -> dict:
        """`values` (a row or some changes) plus the twin of each text column it holds."""
        twins = {
            twin: values[column].casefold()
            for column, twin in self.folded.items()
            if column in values
        }
        return {**values, **twins}


PRODUCTS = Table(
    name="products",
    ddl="""
CREATE TABLE IF NOT EXISTS products (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    description TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
)""",
    columns=("id", "name", "description", "organization_id", "created_at", "deleted_at"),
    folded={"name": "name_folded"},
)

# The first index enforces unique names within a product. The list indexes cover every
# filtered and sorted column, so picking a page reads indexes only; each leads with a sort
# order, alone or within a product. Name and phone-number orders come three times: followed
# by `id` alone, and by `createdAt` ascending and descending (with `id` in the last
# direction), so each such order is a plain index walk.
PHONE_CONNECTIONS = Table(
    name="phone_connections",
    ddl="""
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
)""",
    columns=(
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
    ),
    folded={"name": "name_folded"},
    indexes={
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
    },
)

# A tenth as many rows as phone connections: one covering index per sort order is enough.
# `api_key` is write-only in the API; only whether it is set is ever read back.
WEBRTC_CONNECTIONS = Table(
    name="webrtc_connections",
    ddl="""
CREATE TABLE IF NOT EXISTS webrtc_connections (
    id TEXT NOT NULL UNIQUE,
    product_id TEXT NOT NULL REFERENCES products (id),
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    agent_name TEXT NOT NULL,
    agent_name_folded TEXT NOT NULL,
    api_key TEXT,
    agent_speaks_first INTEGER NOT NULL,
    user_id TEXT,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
)""",
    columns=(
        "id",
        "product_id",
        "name",
        "agent_name",
        "api_key",
        "agent_speaks_first",
        "user_id",
        "created_at",
        "deleted_at",
    ),
    folded={"name": "name_folded", "agent_name": "agent_name_folded"},
    indexes={
        "webrtc_connections_live_product_name": (True, "product_id, name"),
        "webrtc_connections_live_created": (
            False,
            "created_at, id, product_id, name, name_folded, agent_name_folded",
        ),
        "webrtc_connections_live_product_created": (
            False,
            "product_id, created_at, id, name, name_folded, agent_name_folded",
        ),
        "webrtc_connections_live_name": (
            False,
            "name, id, created_at, product_id, name_folded, agent_name_folded",
        ),
        "webrtc_connections_live_agent_name": (
            False,
            "agent_name, id, created_at, product_id, name_folded, agent_name_folded",
        ),
    },
)

# A few thousand rows at most, so an index per filter or sort order, not covering ones.
# A version has at most one conversation target: one of the three `*_connection_id` columns.
VERSIONS = Table(
    name="versions",
    ddl="""
CREATE TABLE IF NOT EXISTS versions (
    id TEXT NOT NULL UNIQUE,
    product_id TEXT NOT NULL REFERENCES products (id),
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    number INTEGER NOT NULL,
    description TEXT,
    model_id TEXT,
    phone_connection_id TEXT,
    webrtc_connection_id TEXT,
    conversation_endpoint_connection_id TEXT,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
)""",
    columns=(
        "id",
        "product_id",
        "name",
        "number",
        "description",
        "model_id",
        "phone_connection_id",
        "webrtc_connection_id",
        "conversation_endpoint_connection_id",
        "created_at",
        "deleted_at",
    ),
    folded={"name": "name_folded"},
    indexes={
        "versions_live_product_name": (True, "product_id, name"),
        "versions_live_created": (False, "created_at, id"),
        "versions_live_product_created": (False, "product_id, created_at, id"),
        "versions_live_name": (False, "name, id"),
        "versions_live_phone_connection": (False, "phone_connection_id, created_at, id"),
        "versions_live_webrtc_connection": (False, "webrtc_connection_id, created_at, id"),
    },
)

# `product_id` is the session's version's, copied when the session is made (a version never
# changes product), so `productIds[]` needs no join.
SESSIONS = Table(
    name="sessions",
    ddl="""
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT NOT NULL UNIQUE,
    version_id TEXT NOT NULL REFERENCES versions (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    test_case_id TEXT,
    custom_id TEXT,
    status TEXT NOT NULL,
    stopping_reason TEXT,
    error TEXT,
    recording_uri TEXT,
    user_id TEXT,
    run_id TEXT,
    is_production INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
)""",
    columns=(
        "id",
        "version_id",
        "product_id",
        "test_case_id",
        "custom_id",
        "status",
        "stopping_reason",
        "error",
        "recording_uri",
        "user_id",
        "run_id",
        "is_production",
        "created_at",
        "deleted_at",
    ),
    indexes={
        "sessions_live_created": (False, "created_at, id"),
        "sessions_live_version_created": (False, "version_id, created_at, id"),
        "sessions_live_product_created": (False, "product_id, created_at, id"),
        "sessions_live_test_case_created": (False, "test_case_id, created_at, id"),
        "sessions_live_user_created": (False, "user_id, created_at, id"),
        "sessions_live_custom_id": (False, "custom_id"),
    },
)

TABLES = (PRODUCTS, PHONE_CONNECTIONS, WEBRTC_CONNECTIONS, VERSIONS, SESSIONS)
