"""Products: the customer AI products that phone connections belong to (read only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from galtea_admin.galtea import contract
from galtea_admin.galtea.caching import cached_lookup
from galtea_admin.galtea.client import GalteaClient, get_client
from galtea_admin.galtea.decoding import list_reader, moment, optional_text, reader, text


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    description: str | None
    created_at: datetime


PRODUCT_FIELDS = {
    "id": text("id"),
    "name": text("name"),
    "description": optional_text("description"),
    "created_at": moment("createdAt"),
}
read_product = reader(Product, PRODUCT_FIELDS, "product")
read_products = list_reader(Product, PRODUCT_FIELDS, "product")


def list_products(
    *, offset: int = 0, limit: int = contract.MAX_LIMIT, client: GalteaClient | None = None
) -> list[Product]:
    """One page of products, oldest first."""
    client = client or get_client()
    params = {
        "sort": contract.sort_pairs([("createdAt", "asc")]),
        "offset": offset,
        "limit": min(limit, contract.MAX_LIMIT),
    }
    return client.get("/products", params, decode=read_products)


def list_all_products(*, client: GalteaClient | None = None) -> list[Product]:
    """Every product of the organization, page by page (organizations have a handful)."""
    products: list[Product] = []
    while True:
        page = list_products(offset=len(products), limit=contract.MAX_LIMIT, client=client)
        products += page
        if len(page) < contract.MAX_LIMIT:
            return products


def get_product(product_id: str, *, client: GalteaClient | None = None) -> Product:
    client = client or get_client()
    return client.get(f"/products/{contract.path_segment(product_id)}", decode=read_product)


def cached_products(*, client: GalteaClient | None = None) -> list[Product]:
    """Every product sorted by name, cached briefly (products change rarely)."""
    client = client or get_client()

    def compute() -> list[Product]:
        return sorted(list_all_products(client=client), key=lambda p: (p.name.casefold(), p.id))

    return cached_lookup("products", client.cache_scope, compute)
