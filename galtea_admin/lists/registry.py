"""The resources the admin manages, each declared once (like Django's `admin.site`).

A resource app declares a `ResourceAdmin` subclass in its `admin.py` and registers it with
`@register`. The registration gives the resource its pages and URLs, its entry in the
navigation, its permissions (and so its place in every role), its saved views and column
choices, and the labels its changes have in the activity log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.urls import include, path
from django.utils import timezone
from django.utils.functional import lazy

from galtea_admin.galtea.resources import ResourceSpec

EMPTY = "—"
# What each role may do with every resource (the roles are Django groups, see accounts).
ACTIONS = ("view", "add", "change", "delete", "bulk")


class ResourceAdmin:
    """How one Galtea resource is shown and changed. Subclasses set the class attributes;
    the hooks below have defaults that suit most resources."""

    key: str  # e.g. "phone_connections": URL namespace, saved-view list, activity type
    spec: ResourceSpec
    title: str  # e.g. "Phone connections"
    description: str = ""
    url_prefix: str  # e.g. "phone-connections"
    filterset_class: type
    table_class: type
    form_class: type | None = None  # a ResourceForm: creates and edits
    # What people may do with it here: its permissions, and its pages (a read-only resource:
    # ("view",)). "add" and "change" have pages only with a form.
    actions: tuple[str, ...] = ACTIONS
    # The record attributes an export has, in order ("product_name" names the product).
    export_columns: tuple[str, ...] = ("id", "name", "product_id", "product_name", "created_at")
    default_sort: str = "-created"
    # The record attribute that names an entity to a person.
    label_field: str = "name"
    # Label of each updatable field, for the activity log and conflict warnings.
    field_labels: dict[str, str] = {}
    # Create-form fields "Save and add another" keeps → the record attribute they come from.
    add_another_keeps: dict[str, str] = {"product": "product_id"}
    # The fields people may set on many entities at once ("Edit selected…", a background job;
    # Editors), in order; those the API at hand lacks are left out.
    bulk_edit_fields: tuple[str, ...] = ()
    # What an import reads ("Import…": a file or pasted rows, then a preview, then a job;
    # Editors): each form field → other names its column may have (the product is always
    # read). Empty: no import.
    import_fields: dict[str, tuple[str, ...]] = {}
    # What deleting one (or several) means to Galtea, said on the confirmation pages.
    delete_note: str = ""
    bulk_delete_note: str = ""

    @property
    def noun(self) -> str:
        return self.spec.name

    @property
    def noun_plural(self) -> str:
        return f"{self.spec.name}s"

    def label(self, record) -> str:
        return str(getattr(record, self.label_field))

    def selection_label(self, record) -> str:
        """How messages name one entity, e.g. “Support line” (+14155552671)."""
        return f"“{self.label(record)}”"

    def summary(self, record) -> list[tuple[str, object]]:
        """(label, value) of what identifies an entity to a person, on the delete pages
        (beside its product)."""
        return [("Name", self.label(record))]

    def permission(self, action: str) -> str:
        """e.g. "phone_connections.add_phone_connections"."""
        return f"{self.key}.{action}_{self.key}"

    @property
    def has_product(self) -> bool:
        """Whether each entity belongs to a product (a session belongs to a version)."""
        return "product_id" in self.spec.fields

    @property
    def changes_here(self) -> bool:
        """Whether people change it through the admin (and so it has a history here)."""
        return any(action != "view" for action in self.actions)

    def offers(self, action: str) -> bool:
        """Whether the resource has the pages of `action` here."""
        if action in ("add", "change"):
            return action in self.actions and self.form_class is not None
        return action in self.actions

    @property
    def offers_bulk_edit(self) -> bool:
        """Whether the list offers "Edit selected…" (to those who may change entities)."""
        return bool(self.bulk_edit_fields) and self.offers("change")

    @property
    def offers_import(self) -> bool:
        """Whether the list offers "Import…" (to those who may add entities)."""
        return bool(self.import_fields) and self.offers("add")

    def allowed(self, user) -> dict[str, bool]:
        """What `user` may do with this resource on its pages, by action ("view", "add", …)."""
        return {
            action: self.offers(action) and user.has_perm(self.permission(action))
            for action in ACTIONS
        }

    def templates(self, name: str) -> list[str]:
        """The resource's own template of that name first, then the shared one."""
        return [f"{self.key}/{name}.html", f"lists/{name}.html"]

    def value_describer(self) -> Callable[[str, object], str]:
        """field, value → how a person reads that value (history, conflict warnings). One
        describer serves one page, so that lookups it needs are made at most once."""
        return describe_plainly

    def form_kwargs(self, request) -> dict:
        """Keyword arguments the resource's forms take besides `products`."""
        return {}

    def table_kwargs(self) -> dict:
        """Keyword arguments the resource's table takes besides the shared ones."""
        return {}

    def form_context(self) -> dict:
        """What the resource's form template shows besides the form."""
        return {}

    def detail_rows(self, record) -> list[tuple[str, str, object]]:
        """(record attribute, label, value) of each line of the detail page between its
        product and its creation; a line whose attribute the API lacks is left out."""
        return []

    def detail_panels(self, request, record) -> list[tuple[str, dict]]:
        """(template, context) of each panel the detail page shows below the details, e.g.
        what else in Galtea uses the entity. A panel says itself what failed to load."""
        return []

    def delete_panels(self, request, records) -> list[tuple[str, dict]]:
        """(template, context) of each panel the delete confirmations show above the button,
        e.g. what still uses the entities."""
        return []

    def extra_urls(self) -> list:
        """URL patterns of the resource's own pages (beside the shared ones)."""
        return []

    def get_urls(self) -> list:
        from galtea_admin.lists import import_views, views  # the views read the registry too

        def page(view_class, route: str, name: str):
            return path(route, view_class.as_view(resource=self), name=name)

        pages = [
            (True, views.ObjectListView, "", "list"),
            (self.offers("add"), views.ObjectCreateView, "new/", "create"),
            (self.offers("bulk"), views.BulkDeleteView, "bulk-delete/", "bulk_delete"),
            (self.offers_bulk_edit, views.BulkEditView, "bulk-edit/", "bulk_edit"),
            (self.offers_import, import_views.ImportView, "import/", "import"),
            (
                self.offers_import,
                import_views.ImportPreviewView,
                "import/<str:draft_id>/",
                "import_preview",
            ),
        ]
        entity_pages = [
            (True, views.ObjectDetailView, "<str:entity_id>/", "detail"),
            (self.offers("change"), views.ObjectUpdateView, "<str:entity_id>/edit/", "update"),
            (self.offers("delete"), views.ObjectDeleteView, "<str:entity_id>/delete/", "delete"),
        ]
        return [
            *(page(view, route, name) for offered, view, route, name in pages if offered),
            path(
                "export.<str:extension>",
                views.ObjectExportView.as_view(resource=self),
                name="export",
            ),
            *self.extra_urls(),
            *(page(view, route, name) for offered, view, route, name in entity_pages if offered),
        ]


def describe_plainly(field: str, value) -> str:
    return EMPTY if value in (None, "") else str(value)


def label_with_time_zone(label: str) -> str:
    """ "Created (UTC)": a column or field of dates, naming the zone they are shown in."""
    return f"{label} ({timezone.get_current_timezone_name()})"


# For declarations (a table's verbose_name): the zone is read when the label is drawn.
lazy_label_with_time_zone = lazy(label_with_time_zone, str)


class ResourceSite:
    """Every registered resource, in the order they were registered."""

    def __init__(self):
        self._resources: dict[str, ResourceAdmin] = {}

    def register(self, admin_class: type[ResourceAdmin]) -> type[ResourceAdmin]:
        resource = admin_class()
        if resource.key in self._resources:
            raise ValueError(f"the resource {resource.key} is registered already")
        self._resources[resource.key] = resource
        return admin_class

    def __iter__(self) -> Iterator[ResourceAdmin]:
        return iter(self._resources.values())

    def get(self, key: str) -> ResourceAdmin | None:
        return self._resources.get(key)

    @property
    def urls(self) -> list:
        return [
            path(f"{resource.url_prefix}/", include((resource.get_urls(), resource.key)))
            for resource in self
        ]

    def navigation(self, request) -> list[tuple[str, str, bool]]:
        """(title, list URL, is the current section) of each resource the user may view."""
        from django.urls import reverse

        current = getattr(request.resolver_match, "app_name", None)
        return [
            (resource.title, reverse(f"{resource.key}:list"), resource.key == current)
            for resource in self
            if request.user.has_perm(resource.permission("view"))
        ]


site = ResourceSite()
register = site.register
