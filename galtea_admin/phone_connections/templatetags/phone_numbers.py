from django import template

from galtea_admin.phone_connections.tables import phone_cell

register = template.Library()


@register.filter
def phone(e164: str):
    """`{{ number|phone }}`: a number as the list shows it (international format, country,
    the exact number on hover)."""
    return phone_cell(e164)
