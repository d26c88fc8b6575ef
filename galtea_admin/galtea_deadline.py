"""One deadline for all the Galtea calls a page view makes, and a bulkhead around them.

A person waits for a page, not for each call: whatever the number of calls and retries, a
page answers within GALTEA_PAGE_DEADLINE seconds (a spent deadline is a timeout page).
Exports are exempt: their chunks have a read timeout of their own.

A slow Galtea must not starve the pages that do not need it: a page's requests to Galtea
share the process's GALTEA_PAGE_SLOTS (galtea/bulkhead.py).
"""

from __future__ import annotations

from django.conf import settings

from galtea_admin.galtea.bulkhead import page_bulkhead
from galtea_admin.galtea.client import page_deadline


class GalteaDeadlineMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with (
            page_deadline(settings.GALTEA_PAGE_DEADLINE),
            page_bulkhead(size=settings.GALTEA_PAGE_SLOTS, wait=settings.GALTEA_PAGE_SLOT_WAIT),
        ):
            return self.get_response(request)
