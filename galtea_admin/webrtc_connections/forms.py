"""The create/edit form of a WebRTC connection: the agent and its write-only Pipecat key."""

from __future__ import annotations

import re

from django import forms

from galtea_admin.galtea.webrtc_connections import WEBRTC_CONNECTIONS
from galtea_admin.lists.resource_forms import ResourceForm

PIPECAT_KEY = re.compile(r"^pk_[A-Za-z0-9_\-]{8,200}$")
SPEAKS_FIRST_CHOICES = [
    ("false", "The simulated caller speaks first"),
    ("true", "The agent speaks first (for agents that greet the caller)"),
]


class WebRtcConnectionForm(ResourceForm):
    spec = WEBRTC_CONNECTIONS
    rejection_hints = (
        ("apikey", "api_key"),
        ("agentname", "agent_name"),
        ("agentspeaksfirst", "agent_speaks_first"),
        ("product", "product"),
        ("name", "name"),
    )

    name = forms.CharField(
        label="Name",
        max_length=255,
        help_text="Unique within the product, e.g. “Web concierge — EMEA”.",
    )
    agent_name = forms.CharField(
        label="Agent name",
        max_length=255,
        help_text="The Pipecat Cloud agent Galtea starts for each call.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    api_key = forms.CharField(
        label="API key",
        required=False,
        max_length=210,
        help_text="The Pipecat Cloud key (pk_…). Galtea keeps it and never shows it again.",
    )
    agent_speaks_first = forms.TypedChoiceField(
        label="Who speaks first",
        choices=SPEAKS_FIRST_CHOICES,
        coerce=lambda value: value == "true",
        initial="false",
        widget=forms.RadioSelect,
    )

    def clean_api_key(self):
        key = self.cleaned_data["api_key"].strip()
        if key and not PIPECAT_KEY.fullmatch(key):
            # Never repeat what was typed: it may be a real secret in the wrong field.
            raise forms.ValidationError("A Pipecat Cloud key starts with pk_ and has no spaces.")
        return key
