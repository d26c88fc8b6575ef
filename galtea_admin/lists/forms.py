"""How the admin's forms are drawn: Django's form rendering with the project's templates."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class AdminFormRenderer(TemplatesSetting):
    """Every field of every form in one wrapper (label, help, errors): `lists/_field.html`.
    A field may name its own template (`template_name`), as the phone number does."""

    field_template_name = "lists/_field.html"
