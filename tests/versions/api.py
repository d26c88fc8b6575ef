"""Asking an emulator directly what versions and sessions it holds, and changing what a
version calls behind the admin's back: what the pages' tests compare the pages with."""

from __future__ import annotations

from collections import Counter

import requests

VERSIONS = "/versions"
SESSIONS = "/sessions"
# What the admin's lists send when no sort is chosen, so that the API's order is the page's.
NAME_ORDER = [("sort[]", "name"), ("sort[]", "asc"), ("sort[]", "createdAt"), ("sort[]", "desc")]
NEWEST_FIRST = [("sort[]", "createdAt"), ("sort[]", "desc")]


def readable(query: str) -> str:
    """A logged query string with the brackets the HTTP library percent-encodes restored."""
    return query.replace("%5B", "[").replace("%5D", "]")


def listed(emulator, path: str, params=()) -> list[dict]:
    response = emulator.get(path, params=[*list(params), ("limit", "10000")])
    assert response.status_code == 200, response.text
    return response.json()


def versions(emulator, params=()) -> list[dict]:
    return listed(emulator, VERSIONS, params)


def version(emulator, version_id: str) -> dict:
    response = emulator.get(f"{VERSIONS}/{version_id}")
    assert response.status_code == 200, response.text
    return response.json()


def versions_calling(emulator, key: str, connection_id: str) -> list[dict]:
    """The versions whose `key` ("phoneConnectionId"…) is `connection_id`, by name."""
    param = {
        "phoneConnectionId": "phoneConnectionIds[]",
        "webRtcConnectionId": "webRtcConnectionIds[]",
    }
    return versions(emulator, [(param[key], connection_id), *NAME_ORDER])


def retarget(emulator, version_id: str, **body) -> dict:
    """PATCH a version (e.g. `phoneConnectionId=…`), as another tool would."""
    response = requests.patch(
        f"{emulator.url}{VERSIONS}/{version_id}", json=body, headers=emulator.auth, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def product_ids(emulator) -> list[str]:
    return [product["id"] for product in emulator.get("/products").json()]


def product_names(emulator) -> dict[str, str]:
    return {product["id"]: product["name"] for product in emulator.get("/products").json()}


def sessions(emulator, params=()) -> list[dict]:
    """Sessions as the API lists them (scoped to every product unless `params` scope them)."""
    params = list(params)
    if not any(key.endswith("Ids[]") for key, _ in params):
        params += [("productIds[]", product_id) for product_id in product_ids(emulator)]
    return listed(emulator, SESSIONS, params)


def latest_calls(emulator, version_ids: list[str], limit: int) -> list[dict]:
    params = [("versionIds[]", version_id) for version_id in version_ids]
    response = emulator.get(SESSIONS, params=[*params, *NEWEST_FIRST, ("limit", str(limit))])
    assert response.status_code == 200, response.text
    return response.json()


def busiest(emulator, key: str) -> str:
    """The connection of kind `key` that the most versions call."""
    counts = Counter(v[key] for v in versions(emulator) if v[key])
    return counts.most_common(1)[0][0]


def connection_names(emulator, path: str) -> dict[str, str]:
    """id → name of every connection at `path` ("/phoneConnections", "/webRtcConnections")."""
    return {row["id"]: row["name"] for row in listed(emulator, path)}


def requests_to(emulator, path: str, method: str = "GET") -> list[dict]:
    """The requests to `path` the emulator answered, their queries readable, oldest first."""
    return [
        {**r, "query": readable(r["query"])}
        for r in emulator.requests_received()
        if r["path"] == path and r["method"] == method
    ]


def writes(emulator) -> list[dict]:
    return [r for r in emulator.requests_received() if r["method"] != "GET"]
