"""Turns any GalteaError a view lets through into a friendly page with the right status."""

from __future__ import annotations

import logging

from django.shortcuts import render

from galtea_admin.galtea.errors import GalteaError, GalteaNotFound, GalteaUnauthorized

logger = logging.getLogger(__name__)


class GalteaErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, GalteaError):
            return None
        context = {
            "error": exception,
            "title": exception.title,
            "message": exception.message,
            "is_not_found": isinstance(exception, GalteaNotFound),
            "is_configuration": isinstance(exception, GalteaUnauthorized),
            "can_retry": not isinstance(exception, GalteaNotFound | GalteaUnauthorized),
        }
        return render(request, "galtea_error.html", context, status=exception.status)
