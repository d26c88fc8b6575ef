"""A request body larger than the admin reads is refused before it is read."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_huge_anonymous_post_is_refused_before_it_is_read(settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024

    # The body claims 500 MB: the answer comes from the length alone, nothing is read.
    response = Client().generic(
        "POST",
        "/accounts/login/",
        b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "too large" in response.content.decode()


@pytest.mark.django_db
def test_an_ordinary_sign_in_is_read(settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024

    response = Client().post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 200
