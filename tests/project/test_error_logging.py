"""A server error in production is logged, with its traceback, to the console: without the
API key and without the query strings of the URLs it mentions."""

from __future__ import annotations

import io
import logging

import pytest

from galtea_admin.lists import views
from tests.pages import LIST_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """What the console handlers of Django's loggers write during the test."""
    stream = io.StringIO()
    handlers = [
        handler
        for handler in logging.getLogger("django").handlers
        if isinstance(handler, logging.StreamHandler)
    ]
    assert handlers, "Django's errors reach a console handler"
    previous = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


def test_an_unhandled_error_is_logged_with_its_traceback_but_no_key_or_query(
    viewer_client, api, settings, monkeypatch, console
):
    settings.DEBUG = False
    viewer_client.raise_request_exception = False

    def broken_list(*args, **kwargs):
        raise RuntimeError(
            f"GET {api.url}/phoneConnections?name=Customer+Oyster+Bay&limit=26 failed "
            f"with Authorization: Bearer {api.api_key}"
        )

    monkeypatch.setattr(views, "resource_list", broken_list)

    response = viewer_client.get(f"{LIST_URL}?name=Customer+Oyster+Bay&sort=name")

    assert response.status_code == 500
    logged = console.getvalue()
    assert f"ERROR django.request Internal Server Error: {LIST_URL}\n" in logged
    assert "Traceback (most recent call last):" in logged
    assert "in broken_list" in logged
    assert f"RuntimeError: GET {api.url}/phoneConnections failed with Authorization: Bearer" in (
        logged
    )
    assert "[redacted]" in logged
    assert api.api_key not in logged
    assert "Oyster" not in logged
    assert "limit=26" not in logged
    assert "sort=name" not in logged
