"""One deadline for all the Galtea calls a page view makes, retries included.

A person waits for a page, not for each call: whatever the number of calls and retries, a
page answers within GALTEA_PAGE_DEADLINE seconds (a spent deadline is a timeout page).
Exports are exempt: their chunks have a read timeout of their own.
"""

from __future__ import annotations

from django.conf import settings

from galtea_admin.galtea.client import page_deadline


class GalteaDeadlineMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with page_deadline(settings.GALTEA_PAGE_DEADLINE):
            return self.get_response(request)
