"""The API's JSON error: a status, a short title and a message, as `{"error", "message"}`."""

from __future__ import annotations

from http import HTTPStatus


class ApiError(Exception):
    """An answer the API gives as a JSON error body instead of the requested resource."""

    def __init__(
        self, status: int, message: str, *, headers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers

    @property
    def title(self) -> str:
        return HTTPStatus(self.status).phrase

    def payload(self) -> dict[str, str]:
        return {"error": self.title, "message": self.message}


def bad_request(message: str) -> ApiError:
    return ApiError(HTTPStatus.BAD_REQUEST, message)


def not_found(message: str) -> ApiError:
    return ApiError(HTTPStatus.NOT_FOUND, message)
