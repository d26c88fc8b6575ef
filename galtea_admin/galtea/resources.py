"""A Galtea resource declared once, and the calls every resource shares.

A `ResourceSpec` says where a resource lives in the API, how its JSON reads as a typed
record, which fields a create sends and an update may change, what the API sorts by and
which list filters map to which API parameters. `RemoteQuery` is an immutable list query
over one resource; the `resource_*` functions are the only way the admin lists, reads,
creates, changes and deletes any resource.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, ClassVar

from galtea_admin.galtea import contract
from galtea_admin.galtea.caching import cached_lookup
from galtea_admin.galtea.client import GalteaClient, get_client, without_deadline
from galtea_admin.galtea.decoding import decode, decode_list
from galtea_admin.galtea.errors import (
    GalteaError,
    GalteaForbidden,
    GalteaIdsNotFound,
    GalteaNotFound,
)

# The list filter every Galtea list has, and that the API treats strictly (see contract).
IDS = "ids"
# The list filters of every named resource of a product: query condition → API parameter.
NAMED_FILTERS = {
    IDS: "ids",
    "product_ids": "productIds",
    "names": "names",
    "name": "name",
    "from_created_at": "fromCreatedAt",
    "to_created_at": "toCreatedAt",
}


@dataclass(frozen=True)
class ResourceSpec:
    """Everything the service layer knows of one Galtea resource."""

    name: str  # how a person calls one, e.g. "phone connection"
    api_name: str  # how the API calls one in its messages, e.g. "PhoneConnection"
    path: str  # e.g. "/phoneConnections"
    record: type
    fields: Mapping[str, tuple]  # record attribute → decoding (see decoding.py)
    filters: Mapping[str, str]  # query condition → API list parameter
    sortable: frozenset[str]  # API fields the API sorts by
    creatable: Mapping[str, str]  # record attribute → API name, sent on create
    updatable: Mapping[str, str]  # record attribute → API name, changed by an update
    default_order: tuple[tuple[str, str], ...] = (("createdAt", "desc"),)
    # Values the API takes but never returns (a secret): form field → API name. They may be
    # sent on create and update; they are never read, shown, logged or recorded.
    write_only: Mapping[str, str] = field(default_factory=dict)
    # Record attributes only some generations of the API have, and how to ask an API
    # whether it has them (a cached lookup: client → bool). Where it has not, they are never
    # sent, and no page shows them.
    optional_fields: frozenset[str] = frozenset()
    has_optional_fields: Callable[..., bool] | None = None
    # Whether the API deletes several at once (`DELETE <path>/batch`); else one by one.
    batch_delete: bool = False
    # Names of the API's own routes below `path` (e.g. "voices"): never an entity's id.
    sub_routes: frozenset[str] = frozenset()

    @property
    def batch_delete_path(self) -> str:
        return self.path + contract.BATCH_DELETE_SUFFIX

    def query(self, **conditions) -> RemoteQuery:
        return RemoteQuery(self).filter(**conditions)

    def read(self, data: Any):
        return decode(self.record, self.fields, data, self.name)

    def read_list(self, data: Any) -> list:
        return decode_list(self.record, self.fields, data, self.name)

    def updatable_values(self, record, absent: frozenset[str] = frozenset()) -> dict[str, object]:
        """The record's value of every field an update may change (but the `absent` ones)."""
        return {name: getattr(record, name) for name in self.updatable if name not in absent}

    def entity_path(self, entity_id: str) -> str:
        """The API path of one entity. Ids of dots only would be resolved away by URL
        normalisation (`/phoneConnections/..` is `/`), and the name of one of the API's own
        routes below the resource (`/phoneConnections/voices`) is that route: neither can name
        an entity."""
        if not str(entity_id).strip(".") or entity_id in self.sub_routes:
            raise GalteaNotFound(f"{self.api_name} not found: {entity_id}")
        return f"{self.path}/{contract.path_segment(entity_id)}"


@dataclass(frozen=True)
class RemoteQuery:
    """Which entities of one resource to list, and in what order: an immutable API query.

    `filter()` and `order_by()` return changed copies, so that django-filter can narrow a
    query one filter at a time; nothing else of a QuerySet is imitated.
    """

    spec: ResourceSpec
    conditions: tuple[tuple[str, object], ...] = ()
    order: tuple[tuple[str, str], ...] = field(default=())

    # Read by django-filter, which expects a QuerySet: there is no database model here.
    model: ClassVar[None] = None

    def all(self) -> RemoteQuery:
        return self

    def filter(self, **conditions) -> RemoteQuery:
        unknown = set(conditions) - set(self.spec.filters)
        if unknown:
            raise ValueError(f"{self.spec.name} lists cannot filter by {', '.join(unknown)}")
        merged = dict(self.conditions)
        for name, value in conditions.items():
            merged[name] = tuple(value) if isinstance(value, list | tuple) else value
        return dataclasses.replace(self, conditions=tuple(merged.items()))

    def order_by(self, *pairs: tuple[str, str]) -> RemoteQuery:
        """Sort by (API field, "asc"/"desc") pairs; none keeps the current order."""
        for api_field, direction in pairs:
            if api_field not in self.spec.sortable:
                raise ValueError(f"the API cannot sort {self.spec.name}s by {api_field}")
            if direction not in contract.SORT_DIRECTIONS:
                raise ValueError(f"unknown sort direction {direction}")
        return dataclasses.replace(self, order=tuple(pairs) or self.order)

    def condition(self, name: str, default=None):
        """The value of one condition, e.g. `query.condition("ids", ())`."""
        return dict(self.conditions).get(name, default)

    def params(self) -> dict[str, object]:
        """The API's list parameters (empty conditions left out; the sort always sent)."""
        ids = self.condition(IDS, ())
        if len(ids) > contract.MAX_IDS_PER_REQUEST:
            raise ValueError(f"at most {contract.MAX_IDS_PER_REQUEST} ids per query")
        params: dict[str, object] = {}
        for name, value in self.conditions:
            if value in (None, "", ()):
                continue
            params[self.spec.filters[name]] = list(value) if isinstance(value, tuple) else value
        params["sort"] = contract.sort_pairs(self.order or self.spec.default_order)
        return params


def resource_absent_fields(
    spec: ResourceSpec, *, client: GalteaClient | None = None
) -> frozenset[str]:
    """The spec's optional fields that the API at hand does not have (usually none)."""
    if not spec.optional_fields or spec.has_optional_fields is None:
        return frozenset()
    if spec.has_optional_fields(client=client or get_client()):
        return frozenset()
    return spec.optional_fields


@contextlib.contextmanager
def refused_as(spec: ResourceSpec, verb: str) -> Iterator[None]:
    """A 403 inside names what the key may not do, e.g. "delete phone connections"."""
    try:
        yield
    except GalteaForbidden as error:
        error.action = f"{verb} {spec.name}s"
        raise


def resource_list(
    spec: ResourceSpec,
    *,
    query: RemoteQuery | None = None,
    offset: int = 0,
    limit: int = 25,
    client: GalteaClient | None = None,
) -> list:
    """One page of `spec`'s entities matching `query`: one API request. Ids that do not
    exist raise GalteaIdsNotFound, naming them."""
    if offset < 0 or not 0 < limit <= contract.MAX_LIMIT:
        raise ValueError(f"offset must be >= 0 and limit within 1..{contract.MAX_LIMIT}")
    query = query or RemoteQuery(spec)
    client = client or get_client()
    params = {**query.params(), "offset": offset, "limit": limit}
    try:
        with refused_as(spec, "list"):
            return client.get(spec.path, params, decode=spec.read_list)
    except GalteaNotFound as error:
        asked = query.condition(IDS, ())
        if asked:
            missing = contract.missing_ids(error.message, asked)
            raise GalteaIdsNotFound(error.message, missing) from None
        raise


def resource_count(
    spec: ResourceSpec, *, query: RemoteQuery, client: GalteaClient | None = None
) -> int:
    """How many entities match `query`, kept briefly per API and query (COUNT_CACHE_SECONDS).
    The API gives no total, so it is found with one-row probes: offsets doubling until one
    is past the end, then the gap halved; about 2·log2(n) requests, none of more than a row."""
    client = client or get_client()
    scope = f"{client.cache_scope}|{spec.path}?{contract.encode_query(query.params())}"
    return cached_lookup(
        "count",
        scope,
        lambda: probe_count(spec, query=query, client=client),
        seconds=contract.COUNT_CACHE_SECONDS,
    )


def probe_count(spec: ResourceSpec, *, query: RemoteQuery, client: GalteaClient) -> int:

    def exists(offset: int) -> bool:
        return bool(resource_list(spec, query=query, offset=offset, limit=1, client=client))

    if not exists(0):
        return 0
    present, past = 0, 1
    while exists(past):
        present, past = past, past * 2
    while past - present > 1:
        middle = (present + past) // 2
        if exists(middle):
            present = middle
        else:
            past = middle
    return present + 1


def resource_names(
    spec: ResourceSpec, ids: list[str], *, client: GalteaClient | None = None
) -> dict[str, str]:
    """id → name of the entities among `ids` that exist (one request, two when some are
    gone); empty when Galtea cannot say: names are a help on a page, never needed."""
    ids = list(dict.fromkeys(ids))[: contract.MAX_IDS_PER_REQUEST]
    for _ in range(2):
        if not ids:
            return {}
        try:
            found = resource_list(spec, query=spec.query(ids=ids), limit=len(ids), client=client)
        except GalteaIdsNotFound as error:
            ids = [id_ for id_ in ids if id_ not in error.missing_ids]
        except GalteaError:
            return {}
        else:
            return {entity.id: entity.name for entity in found}
    return {}


def resource_iterate(
    spec: ResourceSpec,
    *,
    query: RemoteQuery,
    chunk_size: int = contract.MAX_LIMIT,
    read_timeout: float | None = None,
    client: GalteaClient | None = None,
) -> Iterator:
    """Every entity matching `query`, fetched `chunk_size` at a time (lazily).

    While one chunk is being used, the next `contract.EXPORT_REQUESTS_AHEAD` are already on
    their way on other threads, so the API's latency is not paid once per chunk. At most
    that many chunks and the one in use are held at once. Where the rows end is known only
    from a short chunk, so the requests already sent past it come back empty.

    No page deadline applies (an export takes as long as its rows do); `read_timeout`, when
    given, is each chunk's.
    """
    client = client or get_client()
    ahead = contract.EXPORT_REQUESTS_AHEAD

    def fetch(offset: int) -> list:
        with without_deadline(read_timeout=read_timeout):
            return resource_list(spec, query=query, offset=offset, limit=chunk_size, client=client)

    chunk = fetch(0)  # the first in this thread: an early failure raises here
    pool = ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="galtea-prefetch")
    pending: deque[Future[list]] = deque()
    next_offset = chunk_size
    try:
        while len(chunk) == chunk_size:
            while len(pending) < ahead:
                pending.append(pool.submit(fetch, next_offset))
                next_offset += chunk_size
            yield from chunk
            chunk = pending.popleft().result()
        yield from chunk  # the short (or empty) last chunk
        # The requests sent past the end are over by the time the rows are.
        pool.shutdown(wait=True, cancel_futures=True)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a reader who left does not wait


def resource_get(spec: ResourceSpec, *, entity_id: str, client: GalteaClient | None = None):
    client = client or get_client()
    with refused_as(spec, "read"):
        return client.get(spec.entity_path(entity_id), decode=spec.read)


def resource_create(
    spec: ResourceSpec, *, values: Mapping[str, object], client: GalteaClient | None = None
):
    """Create an entity (never retried). Values left unset (None or "") are not sent, nor
    fields the API does not have."""
    names = {**spec.creatable, **spec.write_only}
    unknown = set(values) - set(names)
    if unknown:
        raise ValueError(f"a {spec.name} is not created with {', '.join(sorted(unknown))}")
    client = client or get_client()
    sends_optional = any(values.get(name) not in (None, "") for name in spec.optional_fields)
    absent = resource_absent_fields(spec, client=client) if sends_optional else ()
    body = {
        names[name]: value
        for name, value in values.items()
        if value not in (None, "") and name not in absent
    }
    with refused_as(spec, "create"):
        return client.post(spec.path, body, decode=spec.read)


def resource_update(
    spec: ResourceSpec,
    *,
    entity_id: str,
    changes: Mapping[str, object],
    client: GalteaClient | None = None,
):
    """Change only the given fields (record attribute names; None clears a field); fields
    the API does not have are not sent."""
    names = {**spec.updatable, **spec.write_only}
    unknown = set(changes) - set(names)
    if unknown:
        raise ValueError(f"these fields cannot be updated: {', '.join(sorted(unknown))}")
    client = client or get_client()
    absent = (
        resource_absent_fields(spec, client=client) if set(changes) & spec.optional_fields else ()
    )
    body = {names[name]: value for name, value in changes.items() if name not in absent}
    with refused_as(spec, "change"):
        return client.patch(spec.entity_path(entity_id), body, decode=spec.read)


def resource_delete(
    spec: ResourceSpec, *, entity_id: str, client: GalteaClient | None = None
) -> None:
    """Delete (softly, upstream) one entity. Never retried."""
    client = client or get_client()
    with refused_as(spec, "delete"):
        client.delete(spec.entity_path(entity_id))


def resource_delete_batch(
    spec: ResourceSpec, *, entity_ids: list[str], client: GalteaClient | None = None
) -> None:
    """Delete (softly) up to `contract.MAX_IDS_PER_BATCH_DELETE` entities in one call (never
    retried). The API is assumed strict: when some ids do not exist it deletes nothing and
    raises GalteaIdsNotFound naming them (none named: it could not tell which). An API
    without the route raises GalteaNoSuchRoute."""
    if not spec.batch_delete:
        raise ValueError(f"the API does not delete {spec.name}s in batches")
    if not 0 < len(entity_ids) <= contract.MAX_IDS_PER_BATCH_DELETE:
        raise ValueError(f"1..{contract.MAX_IDS_PER_BATCH_DELETE} ids per batch delete")
    client = client or get_client()
    try:
        with refused_as(spec, "delete"):
            client.delete(
                spec.batch_delete_path, json={contract.BATCH_DELETE_IDS_KEY: list(entity_ids)}
            )
    except GalteaNotFound as error:
        raise GalteaIdsNotFound(
            error.message, contract.named_ids(error.message, entity_ids)
        ) from None
