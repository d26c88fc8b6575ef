"""The create/edit form of a phone connection, and how API rejections land on its fields."""

from __future__ import annotations

import contextlib
import secrets

from django import forms
from django.core import signing

from galtea_admin.galtea.errors import GalteaRejected
from galtea_admin.galtea.phone_connections import (
    UPDATABLE_FIELDS,
    PhoneConnection,
    updatable_values,
)
from galtea_admin.phone_connections import languages, phone_numbers
from galtea_admin.phone_connections.tables import voice_label

ORIGINAL_SALT = "phone-connection-original"
SPEAKS_FIRST_CHOICES = [
    ("false", "The simulated caller speaks first"),
    ("true", "The voice agent speaks first (for agents that greet the caller)"),
]
# The fields a person edits (product is fixed once created).
EDITABLE_FIELDS = tuple(UPDATABLE_FIELDS)
# Words in an API rejection message that point at a field (first match wins).
REJECTION_HINTS = (
    ("phonenumber", "phone_number"),
    ("voice", "voice"),
    ("language", "language_code"),
    ("agentspeaksfirst", "agent_speaks_first"),
    ("product", "product"),
    ("name", "name"),
)


class PhoneConnectionForm(forms.Form):
    product = forms.ChoiceField(label="Product")
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

    def __init__(self, *args, products, voices, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", "Choose a product…")] + [
            (product.id, product.name) for product in products
        ]
        self.fields["voice"].choices = [("", voice_label(None, voices))] + [
            (voice.id, voice.label) for voice in voices
        ]
        if editing:
            self.fields["product"].disabled = True
            self.fields["product"].help_text = "A connection cannot move to another product."

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

    def values(self) -> dict[str, object]:
        """The editable fields' cleaned values."""
        return {field: self.cleaned_data[field] for field in EDITABLE_FIELDS}

    def normalised_number_note(self) -> str | None:
        """What the typed number will be saved as, when that differs from what was typed."""
        typed = (self.data.get(self.add_prefix("phone_number")) or "").strip()
        saved = self.cleaned_data.get("phone_number") if hasattr(self, "cleaned_data") else None
        if saved and typed and typed != saved:
            return saved
        return None

    def apply_rejection(self, error: GalteaRejected) -> None:
        """Show the API's message next to the field it is about, or at the top."""
        if error.is_duplicate_name:
            self.add_error("name", "Another connection of this product already has this name.")
            return
        lowered = error.message.lower().replace(" ", "")
        for hint, field in REJECTION_HINTS:
            if hint in lowered and field in self.fields and not self.fields[field].disabled:
                self.add_error(field, error.message)
                return
        self.add_error(None, error.message)


class CreateForm(PhoneConnectionForm):
    """The create form, with a one-time token so a double submit creates one connection."""

    submission = forms.RegexField(
        regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, error_messages={"invalid": "Reload."}
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission", secrets.token_hex(16))
        super().__init__(*args, **kwargs)


class EditForm(PhoneConnectionForm):
    """The edit form, carrying the values it was opened with (to detect changes made since)."""

    original = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, connection: PhoneConnection | None, **kwargs):
        """`connection` as it is now; None when it has vanished (the typed data is kept)."""
        kwargs.setdefault("initial", {})
        if connection is not None:
            kwargs["initial"].update(initial_values(connection))
            kwargs["initial"]["original"] = sign_original(connection)
        super().__init__(*args, editing=True, **kwargs)
        # The product is shown, never sent: it must not fail the form when the product list
        # is unavailable or the connection has vanished.
        product = self.fields["product"]
        product.required = False
        if connection is not None and connection.product_id not in dict(product.choices):
            product.choices = [*product.choices, (connection.product_id, connection.product_id)]

    def clean_original(self):
        try:
            return signing.loads(self.cleaned_data["original"], salt=ORIGINAL_SALT)
        except signing.BadSignature:
            raise forms.ValidationError("This form was damaged: reload the page.") from None

    def changes(self) -> dict[str, object]:
        """The fields the person changed compared to when the form was opened."""
        original = dict(self.cleaned_data["original"])
        if original.get("language_code"):
            # The API keeps codes as they were sent ("en-us"); the form writes "en-US".
            with contextlib.suppress(languages.InvalidLanguageCode):
                original["language_code"] = languages.normalise_language_code(
                    original["language_code"]
                )
        return {
            field: value for field, value in self.values().items() if value != original.get(field)
        }

    def reopen_with(self, connection: PhoneConnection) -> None:
        """Make the hidden original the connection as it is now (after a conflict)."""
        data = self.data.copy()
        data[self.add_prefix("original")] = sign_original(connection)
        self.data = data


def initial_values(connection: PhoneConnection) -> dict[str, object]:
    return {
        "product": connection.product_id,
        "name": connection.name,
        "phone_number": connection.phone_number,
        "voice": connection.voice or "",
        "language_code": connection.language_code or "",
        "agent_speaks_first": "true" if connection.agent_speaks_first else "false",
    }


def sign_original(connection: PhoneConnection) -> str:
    return signing.dumps(updatable_values(connection), salt=ORIGINAL_SALT)
