"""The create/edit form of a phone connection: its fields and their own checks (E.164
numbers, language codes, the voice picker)."""

from __future__ import annotations

import contextlib

from django import forms

from galtea_admin.galtea.phone_connections import PHONE_CONNECTIONS
from galtea_admin.lists.resource_forms import ResourceForm
from galtea_admin.phone_connections import languages, phone_numbers
from galtea_admin.phone_connections.tables import voice_label

SPEAKS_FIRST_CHOICES = [
    ("false", "The simulated caller speaks first"),
    ("true", "The voice agent speaks first (for agents that greet the caller)"),
]


class PhoneConnectionForm(ResourceForm):
    spec = PHONE_CONNECTIONS
    rejection_hints = (
        ("phonenumber", "phone_number"),
        ("voice", "voice"),
        ("language", "language_code"),
        ("agentspeaksfirst", "agent_speaks_first"),
        ("product", "product"),
        ("name", "name"),
    )

    name = forms.CharField(
        label="Name",
        max_length=255,
        help_text="Unique within the product, e.g. “Support line — EMEA”.",
    )
    phone_number = forms.CharField(
        label="Phone number",
        max_length=64,
        help_text="With the country code, e.g. +1 415 555 2671 or 0044 20 7946 0958.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
        template_name="phone_connections/_phone_number_field.html",
    )
    voice = forms.ChoiceField(label="Voice", required=False)
    language_code = forms.CharField(
        label="Language",
        required=False,
        max_length=35,
        help_text="The telephony agent's language, e.g. en-US. Pick one or type a code.",
        widget=forms.TextInput(attrs={"list": "language-codes", "autocomplete": "off"}),
    )
    agent_speaks_first = forms.TypedChoiceField(
        label="Who speaks first",
        choices=SPEAKS_FIRST_CHOICES,
        coerce=lambda value: value == "true",
        initial="false",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, voices, **kwargs):
        super().__init__(*args, **kwargs)
        if "voice" in self.fields:
            self.fields["voice"].choices = [("", voice_label(None, voices))] + [
                (voice.id, voice.label) for voice in voices
            ]

    def clean_phone_number(self):
        try:
            return phone_numbers.to_e164(self.cleaned_data["phone_number"])
        except phone_numbers.InvalidPhoneNumber as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean_language_code(self):
        text = self.cleaned_data["language_code"]
        if not text:
            return None
        try:
            return languages.normalise_language_code(text)
        except languages.InvalidLanguageCode as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean_voice(self):
        return self.cleaned_data["voice"] or None

    def comparable_original(self, original: dict) -> dict:
        if original.get("language_code"):
            # The API keeps codes as they were sent ("en-us"); the form writes "en-US".
            with contextlib.suppress(languages.InvalidLanguageCode):
                original["language_code"] = languages.normalise_language_code(
                    original["language_code"]
                )
        return original

    def normalised_number_note(self) -> str | None:
        """What the typed number will be saved as, when that differs from what was typed."""
        typed = (self.data.get(self.add_prefix("phone_number")) or "").strip()
        saved = self.cleaned_data.get("phone_number") if hasattr(self, "cleaned_data") else None
        if saved and typed and typed != saved:
            return saved
        return None
