"""The WebRTC-connection list's filters: the shared ones, plus the agent's name."""

from __future__ import annotations

import django_filters

from galtea_admin.galtea.webrtc_connections import WEBRTC_CONNECTIONS
from galtea_admin.lists.filters import MAX_TEXT, ResourceFilterForm, ResourceFilterSet


class WebRtcConnectionFilterForm(ResourceFilterForm):
    field_order = ("q", "product", "name", "names", "agent", "ids", "created_from", "created_to")


class WebRtcConnectionFilter(ResourceFilterSet):
    spec = WEBRTC_CONNECTIONS

    agent = django_filters.CharFilter(
        label="Agent name contains", method="filter_agent", max_length=MAX_TEXT
    )

    class Meta:
        form = WebRtcConnectionFilterForm

    def filter_agent(self, query, name, value):
        return query.filter(agent_name=value.strip())
