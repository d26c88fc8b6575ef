"""What can go wrong when talking to Galtea, as exceptions the admin can show to a person.

Each error carries the HTTP status the admin should answer with and a message that is safe
to show: never the API key, never a raw upstream body beyond the API's own `message`.
"""

from __future__ import annotations

from galtea_admin.galtea.contract import DUPLICATE_NAME_MARKER


class GalteaError(Exception):
    """Base class: a call to the Galtea API did not give the admin what it needed."""

    status = 502
    title = "Galtea answered in a way the admin did not expect"
    # When set, the error page tells the browser when to try again (Retry-After).
    retry_after_seconds: int | None = None

    def __init__(
        self, message: str, *, upstream_status: int | None = None, may_have_arrived: bool = True
    ):
        super().__init__(message)
        self.message = message
        self.upstream_status = upstream_status
        # False only when the request certainly never reached Galtea (no connection made).
        self.may_have_arrived = may_have_arrived

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, upstream_status={self.upstream_status})"


class GalteaUnavailable(GalteaError):
    """The API could not be reached (connection refused, DNS failure, reset)."""

    status = 503
    title = "Galtea cannot be reached"


class GalteaTimeout(GalteaError):
    """The API did not answer in time."""

    status = 504
    title = "Galtea took too long to answer"


class GalteaUnauthorized(GalteaError):
    """The API refused the admin's API key (missing, wrong or revoked)."""

    status = 502
    title = "Galtea refused the admin's API key"


class GalteaForbidden(GalteaError):
    """The API key is valid but its grant does not cover this (403): a permission of the
    key, not a broken configuration. `action` names what was refused, when known."""

    status = 403
    action = "do this"

    @property
    def title(self) -> str:
        return f"Galtea does not allow this API key to {self.action}"


class GalteaRateLimited(GalteaError):
    """The API asked the admin to slow down (429)."""

    status = 503
    title = "Galtea is busy"


class GalteaSaturated(GalteaError):
    """Too many page views of this process are already waiting on Galtea (the bulkhead)."""

    status = 503
    title = "Too many pages are waiting for Galtea"
    retry_after_seconds = 5


class GalteaServerError(GalteaError):
    """The API failed (5xx)."""

    status = 502
    title = "Galtea had an internal error"


class GalteaBadAnswer(GalteaError):
    """The API answered with something that is not what the contract promises."""

    status = 502


class GalteaNoSuchRoute(GalteaBadAnswer):
    """The API has no such address (Express's HTML 404): a wrong GALTEA_API_URL, or a route
    this generation of the API does not have."""


class GalteaNotFound(GalteaError):
    """The entity asked for does not exist (or was deleted)."""

    status = 404
    title = "Not found"


class GalteaRejected(GalteaError):
    """The API rejected the request's values (400, 409, 422); `message` says why."""

    status = 400
    title = "Galtea rejected the request"

    @property
    def is_duplicate_name(self) -> bool:
        return DUPLICATE_NAME_MARKER in self.message


class GalteaIdsNotFound(GalteaNotFound):
    """A list asked for ids that do not exist (the API's strict `ids[]`); `missing_ids`
    names them."""

    def __init__(self, message: str, missing_ids: list[str]):
        super().__init__(message, upstream_status=404)
        self.missing_ids = missing_ids
