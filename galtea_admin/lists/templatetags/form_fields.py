"""`{% form_field field %}`: a form field with its label, help and errors, as every form of
the admin draws it. Written in Python because the list's filter form is drawn on every list
page."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from galtea_admin.lists.html import escape

register = template.Library()


@register.simple_tag
def form_field(field: BoundField, *, in_filters: bool = False) -> SafeString:
    """`in_filters`: a list filter, where every field is optional and none says so."""
    if field.is_hidden:
        return SafeString(str(field))
    invalid = " field-invalid" if field.errors else ""
    help_id = escape(f"{field.auto_id}_helptext")
    help_text = ""
    if field.help_text:
        help_text = f'\n  <p class="help" id="{help_id}">{escape(field.help_text)}</p>'
    if field.use_fieldset:
        described = f' aria-describedby="{help_id}"' if field.help_text else ""
        errors = "".join(f'<p class="field-error">{escape(error)}</p>' for error in field.errors)
        return SafeString(
            f'<fieldset class="field{invalid}"{described}>\n'
            f"  <legend>{escape(field.label)}</legend>\n  {field}{help_text}\n  {errors}\n"
            "</fieldset>\n"
        )
    optional = not (field.field.required or field.field.disabled or in_filters)
    marker = ' <span class="optional">(optional)</span>' if optional else ""
    errors = "".join(
        f'<p class="field-error" id="{escape(field.auto_id)}_error">{escape(error)}</p>'
        for error in field.errors
    )
    return SafeString(
        f'<div class="field{invalid}">\n'
        f'  <label for="{escape(field.id_for_label)}">{escape(field.label)}{marker}</label>\n'
        f"  {field}{help_text}\n  {errors}\n</div>\n"
    )
