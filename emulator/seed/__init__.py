"""Deterministic seed data: ~8 products, N realistic phone connections, a tenth as many
(at least 10) WebRTC connections, and versions with their sessions.

The same N always gives the same rows: each collection draws from a random generator of
its own, seeded from its count, and its times lie before a fixed reference date. Versions
are made from the store's live connections and sessions from its versions, so a store that
had connections before versions existed gets versions naming its own rows.
"""

from __future__ import annotations

from emulator.schema import PHONE_CONNECTIONS, PRODUCTS, SESSIONS, VERSIONS, WEBRTC_CONNECTIONS
from emulator.seed.organization import seed_products
from emulator.seed.phone_connections import seed_phone_connections
from emulator.seed.sessions import VERSION_COLUMNS, seed_sessions
from emulator.seed.versions import PRODUCT_COLUMNS, TARGET_COLUMNS, seed_versions
from emulator.seed.webrtc_connections import seed_webrtc_connections, webrtc_connection_count
from emulator.store import Store

__all__ = ["seed_store", "webrtc_connection_count"]


def seed_store(store: Store, phone_connections: int) -> None:
    """Create the products if the store has none; then, for a non-zero N, N phone
    connections, their WebRTC connections, versions and sessions, each only if the store has
    none of them."""
    if not store.count(PRODUCTS, include_deleted=True):
        store.insert(PRODUCTS, seed_products())
    if phone_connections and not store.count(PHONE_CONNECTIONS, include_deleted=True):
        store.bulk_load(PHONE_CONNECTIONS, seed_phone_connections(phone_connections))
    webrtc_connections = webrtc_connection_count(phone_connections)
    if webrtc_connections and not store.count(WEBRTC_CONNECTIONS, include_deleted=True):
        store.bulk_load(WEBRTC_CONNECTIONS, seed_webrtc_connections(webrtc_connections))
    if phone_connections and not store.count(VERSIONS, include_deleted=True):
        versions = seed_versions(
            store.live_rows(PRODUCTS, PRODUCT_COLUMNS),
            store.live_rows(PHONE_CONNECTIONS, TARGET_COLUMNS),
            store.live_rows(WEBRTC_CONNECTIONS, TARGET_COLUMNS),
        )
        store.bulk_load(VERSIONS, versions)
    if phone_connections and not store.count(SESSIONS, include_deleted=True):
        store.bulk_load(SESSIONS, seed_sessions(store.live_rows(VERSIONS, VERSION_COLUMNS)))
