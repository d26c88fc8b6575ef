"""Sign-in; django-axes counts the failures and locks out (accounts/lockout.py)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from galtea_admin.accounts.lockout import lockout_message


class SignInForm(AuthenticationForm):
    """Django's sign-in form, saying so (and for how long) when the name is locked out."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # Set by django-axes when this failure reached the limit, or the name was locked.
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(
                    lockout_message(self.request), code="locked_out"
                ) from None
            raise

    @property
    def is_locked_out(self) -> bool:
        return any(error.code == "locked_out" for error in self.non_field_errors().as_data())


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True
