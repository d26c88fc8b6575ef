"""How the admin's forms are drawn: Django's form rendering with the project's templates."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting
from django.template import TemplateDoesNotExist, engines


class AdminFormRenderer(TemplatesSetting):
    """Every field of every form in one wrapper (label, help, errors): `lists/_field.html`.
    A field may name its own template (`template_name`), as the phone number does.

    Fields and widgets are Jinja2 templates (Django's own, and the project's in
    `templates/jinja2/`); Django's admin's own widgets stay Django templates."""

    field_template_name = "lists/_field.html"

    def get_template(self, template_name):
        try:
            return engines["jinja2"].get_template(template_name)
        except TemplateDoesNotExist:
            return super().get_template(template_name)
