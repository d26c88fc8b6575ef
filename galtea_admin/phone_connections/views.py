"""The phone-connection pages of their own (the shared ones are in lists/views.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from galtea_admin.phone_connections import phone_numbers


@require_GET
@permission_required("phone_connections.view_phone_connections", raise_exception=True)
def check_phone_number(request):
    """What a typed number will be saved as (used by the form to preview normalisation)."""
    typed = request.GET.get("number", "")[:64]
    try:
        e164 = phone_numbers.to_e164(typed)
    except phone_numbers.InvalidPhoneNumber as problem:
        return JsonResponse({"valid": False, "message": str(problem)})
    formatted, country = phone_numbers.describe(e164)
    return JsonResponse({"valid": True, "e164": e164, "formatted": formatted, "country": country})
