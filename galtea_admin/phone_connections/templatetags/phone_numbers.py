from django import template

from galtea_admin.phone_connections import phone_numbers

register = template.Library()


@register.filter
def describe_phone(e164: str) -> tuple[str, str]:
    """(international format, country) of an E.164 number."""
    return phone_numbers.describe(e164)
