"""Fixtures of the hostile-input tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Creating users need not cost a production-strength password hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
