from django import template

from galtea_admin.audit.recording import TRACKED_FIELDS
from galtea_admin.phone_connections.tables import describe_value

register = template.Library()


@register.filter
def field_changes(record, voices) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field a change record changed, as people read them."""
    return [
        (
            TRACKED_FIELDS.get(field, field),
            describe_value(field, before, voices),
            describe_value(field, after, voices),
        )
        for field, (before, after) in record.changes.items()
    ]
