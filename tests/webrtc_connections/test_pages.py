"""The shared page tests (tests/view_cases.py), declared for WebRTC connections."""

from __future__ import annotations

import uuid

import pytest

from tests.view_cases import ViewTestCases


class TestWebRtcConnectionPages(ViewTestCases.AllPages):
    resource_key = "webrtc_connections"
    edit_change = ("agent_name", "acme-billing-agent")

    @pytest.fixture
    def make_entity(self, make_webrtc):
        return make_webrtc

    def form_data(self, product_id: str) -> dict:
        return {
            "product": product_id,
            "name": f"Shared case agent {uuid.uuid4().hex[:8]}",
            "agent_name": "acme-support-agent",
            "api_key": "",
            "agent_speaks_first": "false",
        }
