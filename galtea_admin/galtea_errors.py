"""Turns any GalteaError a view lets through into a friendly page with the right status."""

from __future__ import annotations

from django.shortcuts import render

from galtea_admin.galtea.errors import (
    GalteaError,
    GalteaForbidden,
    GalteaNotFound,
    GalteaUnauthorized,
)

# Errors that trying again will not cure: the admin's key must change (a configuration
# problem), or what the key may do in Galtea (a permission, not a broken configuration).
CONFIGURATION_ERRORS = (GalteaUnauthorized,)
PERMISSION_ERRORS = (GalteaForbidden,)


class GalteaErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, GalteaError):
            return None
        is_not_found = isinstance(exception, GalteaNotFound)
        is_configuration = isinstance(exception, CONFIGURATION_ERRORS)
        is_not_allowed = isinstance(exception, PERMISSION_ERRORS)
        context = {
            "title": exception.title,
            "message": exception.message,
            "is_not_found": is_not_found,
            "is_configuration": is_configuration,
            "is_not_allowed": is_not_allowed,
            "can_retry": not (is_not_found or is_configuration or is_not_allowed),
        }
        response = render(request, "galtea_error.html", context, status=exception.status)
        if exception.retry_after_seconds is not None:
            response["Retry-After"] = str(exception.retry_after_seconds)
        return response
