"""`{{ moment|moment }}`: a date drawn as every list table draws it."""

from django import template

from galtea_admin.lists.tables import moment_cell

register = template.Library()


@register.filter
def moment(value):
    """Local date and time ("5 Mar 2026, 14:03"), the exact UTC time on hover."""
    return moment_cell(value)
