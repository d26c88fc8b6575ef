"""The list's cells on other pages: `{{ number|phone }}` and `{{ moment|moment }}` draw a
phone number and a date exactly as the phone-connection table does."""

from django import template

from galtea_admin.phone_connections.tables import phone_cell, render_moment

register = template.Library()


@register.filter
def phone(e164: str):
    """International format, country, the exact number on hover."""
    return phone_cell(e164)


@register.filter
def moment(value):
    """Local date and time ("5 Mar 2026, 14:03"), the exact UTC time on hover."""
    return render_moment(value)
