from django import template

from galtea_admin.audit.describing import Describers

register = template.Library()


@register.filter
def field_changes(record, describers: Describers) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field a change record changed, as people read them."""
    return describers.changes(record)
