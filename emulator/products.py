"""Products (`/products`): read-only, the organization's products every connection belongs to."""

from __future__ import annotations

import sqlite3
from typing import Any

from emulator.listing import ListSpec, PartialFilter
from emulator.resource import Resource
from emulator.schema import PRODUCTS
from emulator.timestamps import format_optional_timestamp, format_timestamp


def product_payload(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "organizationId": row["organization_id"],
        "createdAt": format_timestamp(row["created_at"]),
        "deletedAt": format_optional_timestamp(row["deleted_at"]),
    }


PRODUCT = Resource(
    path="/products",
    table=PRODUCTS,
    singular="Product",
    plural="Products",
    id_prefix="prod",
    list_spec=ListSpec(
        exact_filters={"ids": "id", "names": "name"},
        partial_filters={"name": PartialFilter("name_folded", casefold=True)},
        sort_fields={"createdAt": "created_at", "name": "name"},
    ),
    payload=product_payload,
)
