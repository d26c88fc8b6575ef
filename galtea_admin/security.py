"""Response headers Django 5.2 does not set by itself."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header from settings to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


class PrivatePagesMiddleware:
    """Pages for a signed-in person and exports hold the organization's data: no shared or
    browser cache may keep them (`Cache-Control: private, no-store`). Static files are served
    before this runs, and pages for signed-out visitors (the sign-in page) keep their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.streaming or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response
