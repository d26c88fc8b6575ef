"""The phone-connection table: how each field reads to a person."""

from __future__ import annotations

from functools import lru_cache

import django_tables2 as tables

from galtea_admin.galtea import contract
from galtea_admin.galtea.voices import Voice, default_voice
from galtea_admin.lists import cells
from galtea_admin.lists.registry import EMPTY, lazy_label_with_time_zone
from galtea_admin.lists.tables import CLIPPED, CLIPPED_NAME, ResourceTable, sorted_by
from galtea_admin.phone_connections import phone_numbers
from galtea_admin.versions.columns import UsedByVersions

SORTABLE = contract.SORTABLE_PHONE_CONNECTION_FIELDS


def voice_label(voice_id: str | None, voices: list[Voice]) -> str:
    """ "Jack (en-US)"; "Sarah (default)" for no voice; the raw id for an unknown one."""
    if not voice_id:
        fallback = default_voice(voices)
        return f"{fallback.name if fallback else 'Sarah'} (default)"
    voice = next((v for v in voices if v.id == voice_id), None)
    return voice.label if voice else voice_id


def speaker_label(agent_speaks_first: bool) -> str:
    return "Agent" if agent_speaks_first else "Caller"


class PhoneConnectionTable(UsedByVersions, ResourceTable):
    version_target = "phone_connection_id"
    version_filter = "dials"

    name = tables.Column(attrs=CLIPPED_NAME, **sorted_by("name", SORTABLE))
    product = tables.Column(
        accessor="product_id", verbose_name="Product", orderable=False, attrs=CLIPPED
    )
    phone = tables.Column(
        accessor="phone_number",
        verbose_name="Phone number",
        **sorted_by("phoneNumber", SORTABLE),
    )
    voice = tables.Column(
        verbose_name="Voice", orderable=False, empty_values=(), attrs={"td": {"class": "nowrap"}}
    )
    language = tables.Column(accessor="language_code", verbose_name="Language", orderable=False)
    speaks_first = tables.Column(
        accessor="agent_speaks_first", verbose_name="Speaks first", orderable=False
    )
    created = tables.Column(
        accessor="created_at",
        verbose_name=lazy_label_with_time_zone("Created"),
        **sorted_by("createdAt", SORTABLE),
    )
    used_by = tables.Column(verbose_name="Used by", orderable=False, empty_values=())

    class Meta(ResourceTable.Meta):
        empty_text = "No phone connections match these filters."

    def __init__(self, data, *, voices, **kwargs):
        super().__init__(data, **kwargs)
        self.voice_labels = {voice.id: voice.label for voice in voices}
        self.default_voice_label = voice_label(None, voices)

    def render_phone(self, value):
        return phone_cell(value)

    def render_voice(self, record):
        if not record.voice:
            return self.default_voice_label
        return self.voice_labels.get(record.voice, record.voice)

    def render_speaks_first(self, value):
        return speaker_label(value)


@lru_cache(maxsize=4096)
def phone_cell(e164: str):
    """A number as people read it, its country beside it, the exact number on hover."""
    formatted, country = phone_numbers.describe(e164)
    return cells.draw("phone_connections/_cells.html", "phone", e164, formatted, country)


def phone_detail(e164: str):
    """A number on its detail page: as people read it, then exactly as stored."""
    return cells.with_note(phone_cell(e164), e164, "muted mono")


def speaker_detail(agent_speaks_first: bool):
    note = (
        "(the voice agent greets first)"
        if agent_speaks_first
        else "(the simulated caller speaks first)"
    )
    return cells.with_note(speaker_label(agent_speaks_first), note)


def describe_value(field: str, value, voices: list[Voice]) -> str:
    """A phone connection's field value as a person reads it (for history and warnings)."""
    if field == "voice":
        return voice_label(value, voices)
    if field == "agent_speaks_first":
        return speaker_label(bool(value))
    return EMPTY if value in (None, "") else str(value)
