"""The pages that change what a connection is attached to: attach it to a version of its
product, detach one version, or detach every version that calls some connections (from a
delete confirmation). Each change is recorded in the activity log like any edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views import View

from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaError
from galtea_admin.galtea.resources import resource_get
from galtea_admin.galtea.versions import (
    TARGET_FILTERS,
    VERSIONS,
    Version,
    version_list,
    version_retarget_changes,
    versions_using,
)
from galtea_admin.lists import editing
from galtea_admin.lists.navigation import safe_next
from galtea_admin.lists.views import products_by_id
from galtea_admin.versions.panels import loaded, versions_admin
from galtea_admin.versions.tables import target_names


class UsageView(View):
    """A page that changes what a connection of `resource` is attached to."""

    resource = None  # the connection's registration (set by usage_urls)
    target = ""  # the version field naming this kind of connection
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        if not request.user.has_perm(versions_admin().permission("change")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def connection(self, entity_id: str):
        return resource_get(self.resource.spec, entity_id=entity_id)

    def connection_url(self, entity_id: str) -> str:
        return reverse(f"{self.resource.key}:detail", args=[entity_id])

    def retarget(self, version: Version, connection_id: str | None, product_name: str):
        """Point `version` at `connection_id` (None: at nothing), recorded like any edit."""
        return editing.update(
            self.request.user,
            resource=versions_admin(),
            before=version,
            changes=version_retarget_changes(version, self.target, connection_id),
            product_name=product_name,
        )

    def page(self, name: str, context: dict, status: int = 200):
        context = {"resource": self.resource, "versions_resource": versions_admin(), **context}
        return TemplateResponse(self.request, f"versions/{name}.html", context, status=status)


def describe_target(version: Version, names: dict[str, str] | None = None) -> str:
    """What a version calls now, in words: "nothing", "the phone connection “Support line”"
    (by id when its name is not in `names`)."""
    for target, label in (
        ("phone_connection_id", "phone connection"),
        ("webrtc_connection_id", "WebRTC connection"),
        ("endpoint_connection_id", "endpoint connection"),
    ):
        connection_id = getattr(version, target)
        if connection_id:
            name = (names or {}).get(connection_id)
            return f"the {label} “{name}”" if name else f"the {label} {connection_id}"
    return "nothing"


class AttachVersionView(UsageView):
    """Make one more version of the connection's product call it: the versions that call
    something else say what, as attaching replaces it."""

    def get(self, request, entity_id: str):
        return self.show(self.connection(entity_id))

    def candidates(self, connection) -> list[Version]:
        query = VERSIONS.query(
            product_ids=[connection.product_id],
            **{f"exclude_{TARGET_FILTERS[self.target]}": [connection.id]},
        ).order_by(("name", "asc"))
        return version_list(query=query, limit=200)

    def show(self, connection, *, error: str = "", chosen: str = "", status: int = 200):
        candidates, load_error = loaded(lambda: self.candidates(connection))
        names = target_names(candidates or [])
        return self.page(
            "attach",
            {
                "object": connection,
                "candidates": [(v, describe_target(v, names)) for v in candidates or ()],
                "load_error": load_error,
                "error": error,
                "chosen": chosen,
                "cancel_url": self.connection_url(connection.id),
            },
            status=status,
        )

    def post(self, request, entity_id: str):
        connection = self.connection(entity_id)
        chosen = request.POST.get("version", "")
        if not chosen:
            return self.show(connection, error="Choose the version to attach.", status=400)
        try:
            version = resource_get(VERSIONS, entity_id=chosen)
        except GalteaError as error:
            return self.show(connection, error=f"{error.title}. {error.message}", status=400)
        if version.product_id != connection.product_id:
            message = "That version belongs to another product: choose one of this product's."
            return self.show(connection, error=message, chosen=chosen, status=400)
        if getattr(version, self.target) == connection.id:
            # Sent twice, or attached meanwhile: nothing to change, nothing to record.
            messages.info(
                request, f"Version “{version.name}” calls this {self.resource.noun} already."
            )
            return redirect(self.connection_url(connection.id))
        previous = describe_target(version, target_names([version]))
        product = products_by_id().get(connection.product_id)
        try:
            self.retarget(version, connection.id, product.name if product else "")
        except GalteaError as error:
            message = f"Nothing was changed. {error.title}. {error.message}"
            return self.show(connection, error=message, chosen=chosen, status=error.status)
        messages.success(
            request,
            f"Version “{version.name}” now calls this {self.resource.noun}"
            + ("." if previous == "nothing" else f"; it called {previous} before."),
        )
        return redirect(self.connection_url(connection.id))


class DetachVersionView(UsageView):
    """Stop one version calling the connection: it then calls nothing until it is given
    another target."""

    def get(self, request, entity_id: str, version_id: str):
        connection = self.connection(entity_id)
        return self.show(connection, resource_get(VERSIONS, entity_id=version_id))

    def show(self, connection, version, *, error: str = "", status: int = 200):
        return self.page(
            "detach",
            {
                "object": connection,
                "version": version,
                "attached": getattr(version, self.target) == connection.id,
                "error": error,
                "cancel_url": self.connection_url(connection.id),
            },
            status=status,
        )

    def post(self, request, entity_id: str, version_id: str):
        connection = self.connection(entity_id)
        version = resource_get(VERSIONS, entity_id=version_id)
        if getattr(version, self.target) != connection.id:
            messages.info(
                request,
                f"Version “{version.name}” does not call this {self.resource.noun}: "
                "nothing was changed.",
            )
            return redirect(self.connection_url(connection.id))
        product = products_by_id().get(connection.product_id)
        try:
            self.retarget(version, None, product.name if product else "")
        except GalteaError as error:
            message = f"Nothing was changed. {error.title}. {error.message}"
            return self.show(connection, version, error=message, status=error.status)
        messages.success(
            request, f"Version “{version.name}” no longer calls this {self.resource.noun}."
        )
        return redirect(self.connection_url(connection.id))


class DetachAllView(UsageView):
    """Detach every version that calls any of the posted connections (`ids`), then go back
    to where the person was (a delete confirmation): each detachment is recorded."""

    http_method_names = ["post"]

    def post(self, request):
        ids = list(dict.fromkeys(request.POST.getlist("ids")))[: contract.MAX_IDS_PER_REQUEST]
        back = safe_next(request) or reverse(f"{self.resource.key}:list")
        if request.POST.get("then") == "bulk_delete":
            # Back to the bulk confirmation, which is a POST of these same ids: 307 keeps it.
            back = reverse(f"{self.resource.key}:bulk_delete")
        if not ids:
            return self.back(back)
        products = products_by_id()
        detached, failed = [], []
        try:
            versions = versions_using(self.target, ids)
        except GalteaError as error:
            messages.error(request, f"Nothing was detached. {error.title}. {error.message}")
            return self.back(back)
        for version in versions:
            product = products.get(version.product_id)
            try:
                self.retarget(version, None, product.name if product else "")
            except GalteaError as error:
                failed.append(f"“{version.name}” ({error.title})")
            else:
                detached.append(f"“{version.name}”")
        if detached:
            messages.success(request, f"Detached {', '.join(detached)}.")
        if failed:
            messages.error(request, f"Could not detach {', '.join(failed)}.")
        return self.back(back)

    def back(self, url: str):
        if self.request.POST.get("then") == "bulk_delete":
            return HttpResponseRedirect(url, status=307)
        return redirect(url)


def usage_urls(resource, target: str) -> list:
    """The attach and detach pages of a connection resource's entities."""
    options = {"resource": resource, "target": target}
    return [
        path("versions/detach-all/", DetachAllView.as_view(**options), name="detach_all_versions"),
        path(
            "<str:entity_id>/versions/attach/",
            AttachVersionView.as_view(**options),
            name="attach_version",
        ),
        path(
            "<str:entity_id>/versions/<str:version_id>/detach/",
            DetachVersionView.as_view(**options),
            name="detach_version",
        ),
    ]
