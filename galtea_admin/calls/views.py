"""A call's recording: the short-lived link to play it, asked for when the person presses
Play. Only the link leaves the server, and only when it points where the page's
Content-Security-Policy lets the browser play from (settings.GALTEA_RECORDING_ORIGINS)."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse

from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaError, GalteaNotFound, GalteaRateLimited
from galtea_admin.galtea.resources import resource_get
from galtea_admin.galtea.sessions import recording_url
from galtea_admin.lists.views import ResourceView

GONE = "This call is no longer in Galtea: reload the page."
BUSY = "Galtea is sending too many recordings just now: try again in a minute."
SLOW_DOWN = "Galtea asked the admin to slow down: try again in a minute."


class RecordingView(ResourceView):
    """{"url": a link to play the call's recording} or {"error": why there is none}."""

    http_method_names = ["get"]

    def get(self, request, entity_id: str):
        return recording_answer(self.resource.spec, entity_id)


def recording_answer(spec, entity_id: str) -> JsonResponse:
    session = None
    try:
        session = resource_get(spec, entity_id=entity_id)
        if not session.recording_uri:
            return JsonResponse({"error": "This call has no recording."}, status=404)
        url = recording_url(recording_uri=session.recording_uri)
    except GalteaNotFound:
        # The call itself gone (deleted since the page was drawn), or only its file.
        message = GONE if session is None else "The recording is not in Galtea's storage."
        return JsonResponse({"error": message}, status=404)
    except GalteaRateLimited:
        return JsonResponse({"error": BUSY if session else SLOW_DOWN}, status=429)
    except GalteaError as error:
        return JsonResponse({"error": f"{error.title}."}, status=error.status)
    if contract.url_origin(url) not in settings.GALTEA_RECORDING_ORIGINS:
        message = "The recording is stored where this admin is not set up to play it from."
        return JsonResponse({"error": message}, status=502)
    return JsonResponse({"url": url})
