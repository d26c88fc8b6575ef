"""Each person's colour theme: System (as their system says), Light or Dark.

The choice is kept in the database, for the person; each of their sign-ins reads it once and
keeps it in its session, so that a page costs no query for it."""

from __future__ import annotations

from galtea_admin.preferences.models import Appearance

Theme = Appearance.Theme
SESSION_KEY = "galtea_admin.theme"


def theme_of(request) -> str:
    """The theme the signed-in person chose (System when they never chose, or nobody is
    signed in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Theme.SYSTEM
    theme = request.session.get(SESSION_KEY)
    if theme not in Theme.values:
        chosen = Appearance.objects.filter(user=user).values_list("theme", flat=True).first()
        theme = chosen or Theme.SYSTEM
        request.session[SESSION_KEY] = str(theme)
    return theme


def theme_save(*, user, theme: str) -> None:
    """Keep `theme` (one of `Theme`) as `user`'s choice."""
    Appearance.objects.update_or_create(user=user, defaults={"theme": Theme(theme)})


def theme_remember(request, theme: str) -> None:
    """The theme just chosen, for the rest of this sign-in."""
    request.session[SESSION_KEY] = str(Theme(theme))
