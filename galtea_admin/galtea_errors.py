"""Turns any GalteaError a view lets through into a friendly page with the right status."""

from __future__ import annotations

from django.shortcuts import render

from galtea_admin.galtea.errors import (
    GalteaError,
    GalteaForbidden,
    GalteaNotFound,
    GalteaUnauthorized,
)

# Errors that trying again will not cure: the admin's key or its rights must change.
CONFIGURATION_ERRORS = (GalteaUnauthorized, GalteaForbidden)


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
        context = {
            "title": exception.title,
            "message": exception.message,
            "is_not_found": is_not_found,
            "is_configuration": is_configuration,
            "can_retry": not (is_not_found or is_configuration),
        }
        return render(request, "galtea_error.html", context, status=exception.status)
