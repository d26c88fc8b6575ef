"""Response headers Django 5.2 does not set by itself."""

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control


def content_security_policy() -> str:
    """The policy of settings, letting media play only from where Galtea keeps call
    recordings (GALTEA_RECORDING_ORIGINS)."""
    policy = settings.CONTENT_SECURITY_POLICY
    origins = " ".join(settings.GALTEA_RECORDING_ORIGINS) or "'none'"
    return f"{policy}; media-src {origins}" if policy else ""


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = content_security_policy()
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


class RequestBodyLimitMiddleware:
    """Refuses a request whose body is larger than MAX_REQUEST_BODY_BYTES before anything
    reads it (413), so that nobody can make the app spool a huge upload to disk first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            limit_mb = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
            context = {
                "limit_mb": limit_mb,
                "limit_bytes": import_upload_limit(),
                "import_url": import_page(request),
            }
            return render(request, "413.html", context, status=413)
        return self.get_response(request)


def import_upload_limit() -> int:
    """The largest file an import takes: its own limit, or the cap on a request's size if
    that is lower."""
    return min(settings.IMPORT_MAX_BYTES, settings.MAX_REQUEST_BODY_BYTES)


def import_page(request) -> str | None:
    """The import form the refused request was sent to, if it was one: its answer then
    speaks of the file, and leads back to the form."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return request.path if match.url_name == "import" else None
