"""Pages for a signed-in person and exports are never kept by a browser or shared cache;
static files and the sign-in page keep their own caching."""

from __future__ import annotations

import pytest

from tests.pages import ACTIVITY_URL, EXPORT_CSV_URL, LIST_URL, detail_url, export_url

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("path", [LIST_URL, ACTIVITY_URL, "/webrtc-connections/"])
def test_signed_in_pages_are_private_and_not_stored(viewer_client, path):
    response = viewer_client.get(path)

    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_detail_page_and_an_error_page_are_too(viewer_client, row):
    detail = viewer_client.get(detail_url(row["id"]))
    missing = viewer_client.get(detail_url("phoneConnection_doesnotexist"))

    assert detail.status_code == 200
    assert missing.status_code == 404
    for response in (detail, missing):
        assert {"private", "no-store"} <= directives(response)


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_streamed_exports_are_private_and_not_stored(viewer_client, extension):
    response = viewer_client.get(export_url(extension, {"name": "support"}))

    assert response.status_code == 200
    assert response.streaming
    assert {"private", "no-store"} <= directives(response)
    response.close()


def test_a_signed_out_visitor_is_sent_to_sign_in_and_the_sign_in_page_keeps_its_own(client):
    redirected = client.get(EXPORT_CSV_URL)
    sign_in = client.get("/accounts/login/")

    assert redirected.status_code == 302
    assert "no-store" not in directives(redirected)
    assert sign_in.status_code == 200
    # Django's own never-cache headers of its sign-in view, as they were.
    assert directives(sign_in) == {
        "max-age=0",
        "no-cache",
        "no-store",
        "must-revalidate",
        "private",
    }


def test_static_files_stay_cacheable_for_signed_in_people(viewer_client):
    response = viewer_client.get("/static/css/admin.css")

    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert "private" not in directives(response)
    response.close()
