"""What every page's template knows of the person's appearance: the theme drawn on <html>
(base.html) and the choices of the top bar's theme buttons."""

from django.utils.functional import SimpleLazyObject

from galtea_admin.preferences.appearance import Theme, theme_of


def appearance(request):
    return {
        "theme": SimpleLazyObject(lambda: theme_of(request)),
        "theme_choices": Theme.choices,
    }
