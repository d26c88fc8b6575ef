"""`{{ number|phone }}`: a phone number drawn as the phone-connection table draws it."""

from django import template

from galtea_admin.phone_connections.tables import phone_cell

register = template.Library()


@register.filter
def phone(e164: str):
    """International format, country, the exact number on hover."""
    return phone_cell(e164)
