"""The shared page tests (tests/view_cases.py), declared for phone connections."""

from __future__ import annotations

import uuid

import pytest

from tests.view_cases import ViewTestCases


class TestPhoneConnectionPages(ViewTestCases.AllPages):
    resource_key = "phone_connections"
    edit_change = ("name", "Renamed support line")

    @pytest.fixture
    def make_entity(self, make_row):
        return make_row

    def form_data(self, product_id: str) -> dict:
        return {
            "product": product_id,
            "name": f"Shared case line {uuid.uuid4().hex[:8]}",
            "phone_number": "+1 (415) 555-2671",
            "voice": "",
            "language_code": "",
            "agent_speaks_first": "false",
        }
