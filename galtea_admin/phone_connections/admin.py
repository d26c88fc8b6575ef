"""Phone connections in the admin: one registration of what their pages are made of."""

from __future__ import annotations

from django.urls import path
from django.utils.functional import SimpleLazyObject

from galtea_admin.galtea.phone_connections import PHONE_CONNECTIONS
from galtea_admin.galtea.voices import available_voices
from galtea_admin.lists.registry import EMPTY, ResourceAdmin, register
from galtea_admin.phone_connections import views
from galtea_admin.phone_connections.filters import PhoneConnectionFilter
from galtea_admin.phone_connections.forms import PhoneConnectionForm
from galtea_admin.phone_connections.languages import COMMON_LANGUAGE_CODES
from galtea_admin.phone_connections.tables import (
    PhoneConnectionTable,
    describe_value,
    phone_cell,
    phone_detail,
    speaker_detail,
    voice_label,
)
from galtea_admin.versions.usage import CalledByVersions


@register
class PhoneConnectionAdmin(CalledByVersions, ResourceAdmin):
    key = "phone_connections"
    spec = PHONE_CONNECTIONS
    title = "Phone connections"
    description = "The numbers Galtea dials to test your voice agents."
    url_prefix = "phone-connections"
    filterset_class = PhoneConnectionFilter
    table_class = PhoneConnectionTable
    form_class = PhoneConnectionForm
    version_target = "phone_connection_id"
    field_labels = {
        "name": "Name",
        "phone_number": "Phone number",
        "voice": "Voice",
        "language_code": "Language",
        "agent_speaks_first": "Agent speaks first",
    }
    add_another_keeps = {"product": "product_id", "voice": "voice"}
    # Voice and language only where the API has them (absent fields are left out).
    bulk_edit_fields = ("agent_speaks_first", "voice", "language_code")
    # What "Import…" reads, and the other names of each column (matched whatever their case,
    # spaces and punctuation: "Phone number", "phone_number" and "phoneNumber" are one).
    import_fields = {
        "name": ("connection name",),
        "phone_number": ("phone", "phone number", "number", "telephone"),
        "agent_speaks_first": ("agent speaks first", "speaks first"),
        "voice": (),
        "language_code": ("language", "language code", "locale"),
    }
    export_columns = (
        "id",
        "name",
        "product_id",
        "product_name",
        "phone_number",
        "voice",
        "language_code",
        "agent_speaks_first",
        "created_at",
        "user_id",
    )

    delete_note = "Galtea will stop dialling this number for tests."
    bulk_delete_note = "Galtea will stop dialling these numbers for tests."

    def selection_label(self, record) -> str:
        return f"“{record.name}” ({record.phone_number})"

    def summary(self, record) -> list[tuple[str, object]]:
        return [("Name", record.name), ("Phone number", phone_cell(record.phone_number))]

    def value_describer(self):
        voices = SimpleLazyObject(available_voices)  # only when a voice is described
        return lambda field, value: describe_value(field, value, voices)

    def form_kwargs(self, request) -> dict:
        return {"voices": available_voices()}

    def table_kwargs(self) -> dict:
        return {"voices": available_voices()}

    def form_context(self) -> dict:
        return {"language_codes": COMMON_LANGUAGE_CODES}

    def detail_rows(self, record) -> list[tuple[str, str, object]]:
        return [
            ("phone_number", "Phone number", phone_detail(record.phone_number)),
            (
                "voice",
                "Voice",
                SimpleLazyObject(lambda: voice_label(record.voice, available_voices())),
            ),
            ("language_code", "Language", record.language_code or EMPTY),
            ("agent_speaks_first", "Speaks first", speaker_detail(record.agent_speaks_first)),
        ]

    def extra_urls(self) -> list:
        return [
            path("check-number/", views.check_phone_number, name="check_number"),
            *super().extra_urls(),
        ]
