"""Gives the admin's empty 405 answers (a GET on a form-only address) a page of their own."""

from __future__ import annotations

from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    """Django's `http_method_not_allowed` answers 405 with no body, which browsers show as a
    blank page: this fills it with `405.html`, keeping the status and the Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        response.content = render_to_string("405.html", request=request)
        response["Content-Type"] = "text/html; charset=utf-8"
        return response
