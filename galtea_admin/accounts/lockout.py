"""How django-axes (settings: AXES_*) sees a sign-in and answers a locked-out one.

Failures are counted in the database, per name and client address, over every
authentication path (the site's sign-in and the Django admin's); see settings.py.
"""

from __future__ import annotations

import ipaddress
import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import ngettext
from ipware.ip import get_client_ip


def client_address(request) -> str | None:
    """The address failures are counted for.

    With no trusted proxy (TRUSTED_PROXIES 0), the connection's. Behind N reverse proxies,
    each appending the address it was reached from to X-Forwarded-For, the entry N places
    from the right: the address the outermost proxy saw. Whatever a client wrote into the
    header itself sits further left and is ignored; a request without the header has none.
    """
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        address = request.META.get("REMOTE_ADDR") or ""
    else:
        address, _ = get_client_ip(
            request,
            # ipware counts the proxies named in the header: all but the one connecting to us.
            proxy_count=proxies - 1,
            request_header_order=("HTTP_X_FORWARDED_FOR",),
            strict=False,
        )
    # Only a plain address fits the database's IP column (no IPv6 zone, no socket path).
    try:
        return str(ipaddress.ip_address((address or "").split("%")[0]))
    except ValueError:
        return None


def lockout_seconds(request) -> int:
    return int(get_cool_off(request).total_seconds())


def lockout_message(request) -> str:
    minutes = max(1, math.ceil(lockout_seconds(request) / 60))
    return ngettext(
        "Too many failed sign-ins. Wait %(minutes)d minute, then try again.",
        "Too many failed sign-ins. Wait %(minutes)d minutes, then try again.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """Axes' answer to a locked-out attempt (AXES_LOCKOUT_CALLABLE), 429 either way.

    The site's sign-in page already says why, the name still typed in (SignInForm): it is
    kept. Any other path (the Django admin's sign-in) gets the lock-out page.
    """
    form = (getattr(original_response, "context_data", None) or {}).get("form")
    if getattr(form, "is_locked_out", False):
        response = original_response
        response.status_code = 429
    else:
        context = {"message": lockout_message(request), "sign_in_url": request.path}
        response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(lockout_seconds(request))
    return response
