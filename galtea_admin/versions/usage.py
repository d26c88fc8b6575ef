"""What uses a connection, for the registration of a kind of connection: its pages' panels
(panels.py) and the pages that attach and detach it (views.py)."""

from __future__ import annotations

from galtea_admin.versions.panels import usage_delete_panel, usage_panels
from galtea_admin.versions.views import usage_urls


class CalledByVersions:
    """For the registration of a kind of connection: its pages show the versions that call
    each one and their latest calls, its delete confirmations what still calls it, and its
    entities get the attach and detach pages. `version_target` is the version field."""

    version_target: str

    def detail_panels(self, request, record) -> list[tuple[str, dict]]:
        return usage_panels(request, resource=self, target=self.version_target, connection=record)

    def delete_panels(self, request, records) -> list[tuple[str, dict]]:
        return [
            usage_delete_panel(request, resource=self, target=self.version_target, records=records)
        ]

    def extra_urls(self) -> list:
        return [*super().extra_urls(), *usage_urls(self, self.version_target)]
