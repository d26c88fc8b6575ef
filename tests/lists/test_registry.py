"""One registration gives a resource its pages: a throw-away resource over the API's products,
registered on a site of its own, gets every page's URL, a navigation entry for those who may
view it and permissions named after it. And the shared apps know resources only through the
registry: none of them imports a resource app."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import resolve, reverse

from galtea_admin.accounts import roles
from galtea_admin.galtea.products import PRODUCT_FIELDS, Product, cached_products
from galtea_admin.galtea.resources import ResourceSpec, resource_list
from galtea_admin.lists import registry, views
from galtea_admin.lists.filters import ResourceFilterSet
from galtea_admin.lists.registry import ACTIONS, ResourceAdmin, ResourceSite, site
from galtea_admin.lists.resource_forms import ResourceForm
from galtea_admin.lists.tables import ResourceTable

PROJECT = Path(__file__).resolve().parents[2]
SHARED_APPS = ("lists", "audit", "preferences", "accounts", "galtea")

THROW_AWAYS = ResourceSpec(
    name="throw-away",
    api_name="Product",
    path="/products",
    record=Product,
    fields=PRODUCT_FIELDS,
    filters={"ids": "ids"},
    sortable=frozenset({"createdAt"}),
    creatable={},
    updatable={},
    default_order=(("createdAt", "asc"),),
)


class ThrowAwayAdmin(ResourceAdmin):
    key = "throw_aways"
    spec = THROW_AWAYS
    title = "Throw-aways"
    url_prefix = "throw-aways"
    filterset_class = ResourceFilterSet
    table_class = ResourceTable
    form_class = ResourceForm


resources = ResourceSite()
resources.register(ThrowAwayAdmin)
THROW_AWAY = resources.get("throw_aways")

# The URLs of the throw-away site alone, for the tests marked with this module as URLconf.
urlpatterns = resources.urls

# Each page name → (the view that serves it, the URL arguments it takes).
PAGES = {
    "list": (views.ObjectListView, {}),
    "create": (views.ObjectCreateView, {}),
    "bulk_delete": (views.BulkDeleteView, {}),
    "export": (views.ObjectExportView, {"extension": "csv"}),
    "detail": (views.ObjectDetailView, {"entity_id": "product_1"}),
    "update": (views.ObjectUpdateView, {"entity_id": "product_1"}),
    "delete": (views.ObjectDeleteView, {"entity_id": "product_1"}),
}
ROUTES = {
    "list": "/throw-aways/",
    "create": "/throw-aways/new/",
    "bulk_delete": "/throw-aways/bulk-delete/",
    "export": "/throw-aways/export.csv",
    "detail": "/throw-aways/product_1/",
    "update": "/throw-aways/product_1/edit/",
    "delete": "/throw-aways/product_1/delete/",
}


# --- A registration ---------------------------------------------------------------------------


def test_registering_on_a_site_of_its_own_leaves_the_real_site_alone():
    assert list(resources) == [THROW_AWAY]
    assert isinstance(THROW_AWAY, ThrowAwayAdmin)
    assert site.get("throw_aways") is None
    assert site.get("phone_connections") is not None


def test_a_resource_is_registered_once():
    with pytest.raises(ValueError, match="throw_aways"):
        resources.register(ThrowAwayAdmin)
    assert list(resources) == [THROW_AWAY]


def test_the_register_decorator_returns_the_class():
    other = ResourceSite()

    class AnotherAdmin(ThrowAwayAdmin):
        key = "other_throw_aways"
        url_prefix = "other-throw-aways"

    assert other.register(AnotherAdmin) is AnotherAdmin
    assert [type(resource) for resource in other] == [AnotherAdmin]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_its_url(name):
    view_class, kwargs = PAGES[name]

    url = reverse(f"throw_aways:{name}", kwargs=kwargs)

    assert url == ROUTES[name]
    match = resolve(url)
    assert match.app_name == match.namespace == "throw_aways"
    assert match.url_name == name
    assert match.kwargs == kwargs
    assert match.func.view_class is view_class
    assert match.func.view_initkwargs == {"resource": THROW_AWAY}


@pytest.mark.urls(__name__)
def test_the_urls_are_exactly_the_shared_pages():
    names = {pattern.name for pattern in THROW_AWAY.get_urls()}
    assert names == set(PAGES)


def test_the_real_site_keeps_its_url_names():
    phone = site.get("phone_connections")
    names = {pattern.name for pattern in phone.get_urls()}
    assert names == {
        *PAGES,
        "bulk_edit",
        "import",
        "import_preview",
        "check_number",
        "attach_version",
        "detach_version",
        "detach_all_versions",
    }


# --- Permissions ----------------------------------------------------------------------------


def test_permissions_are_named_after_the_resource():
    assert ACTIONS == ("view", "add", "change", "delete", "bulk")
    assert {action: THROW_AWAY.permission(action) for action in ACTIONS} == {
        "view": "throw_aways.view_throw_aways",
        "add": "throw_aways.add_throw_aways",
        "change": "throw_aways.change_throw_aways",
        "delete": "throw_aways.delete_throw_aways",
        "bulk": "throw_aways.bulk_throw_aways",
    }


@pytest.fixture
def throw_away_roles(db, monkeypatch):
    """The roles rebuilt as if the throw-away resource were registered too."""
    everything = ResourceSite()
    everything.register(type(site.get("phone_connections")))
    everything.register(ThrowAwayAdmin)
    monkeypatch.setattr(registry, "site", everything)
    roles.ensure_roles()


def person(django_user_model, name: str, role: str | None = None, **fields):
    user = django_user_model.objects.create_user(username=name, password="x", **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return django_user_model.objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("Viewer", {"view"}),
        ("Editor", {"view", "add", "change"}),
        ("Manager", {"view", "add", "change", "delete", "bulk"}),
        (None, set()),
    ],
)
def test_what_each_role_may_do_with_it(throw_away_roles, django_user_model, role, allowed):
    user = person(django_user_model, "someone", role)

    assert THROW_AWAY.allowed(user) == {action: action in allowed for action in ACTIONS}


# --- Navigation -----------------------------------------------------------------------------


def navigation_for(user, path: str = "/throw-aways/"):
    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = resolve(path)
    return resources.navigation(request)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("role", ["Viewer", "Editor", "Manager"])
def test_who_may_view_it_finds_it_in_the_navigation(throw_away_roles, django_user_model, role):
    user = person(django_user_model, "someone", role)

    assert navigation_for(user) == [("Throw-aways", "/throw-aways/", True)]


@pytest.mark.urls(__name__)
def test_the_entry_is_current_only_on_the_resources_own_pages(throw_away_roles, django_user_model):
    user = person(django_user_model, "someone", "Viewer")
    request = RequestFactory().get("/elsewhere/")
    request.user = user
    request.resolver_match = None  # a page of no resource

    assert resources.navigation(request) == [("Throw-aways", "/throw-aways/", False)]
    assert navigation_for(user, "/throw-aways/product_1/edit/") == [
        ("Throw-aways", "/throw-aways/", True)
    ]


@pytest.mark.urls(__name__)
def test_who_may_not_view_it_has_no_entry(throw_away_roles, django_user_model):
    nobody = person(django_user_model, "nobody")
    gone = person(django_user_model, "gone", "Manager", is_active=False)

    assert navigation_for(nobody) == []
    assert navigation_for(gone) == []


@pytest.mark.urls(__name__)
def test_a_superuser_finds_it_in_the_navigation(throw_away_roles, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "x")

    assert navigation_for(root) == [("Throw-aways", "/throw-aways/", True)]


# --- The spec is real -----------------------------------------------------------------------


def test_its_spec_lists_the_products_galtea_holds(galtea_settings):
    listed = resource_list(THROW_AWAYS, limit=100)

    assert listed
    assert all(isinstance(record, Product) for record in listed)
    assert sorted(record.id for record in listed) == sorted(p.id for p in cached_products())
    assert [record.created_at for record in listed] == sorted(r.created_at for r in listed)


# --- Shared apps know resources only through the registry ------------------------------------


@dataclass(frozen=True)
class ImportSite:
    path: Path | None
    line: int
    module: str


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[ImportSite]:
    return imports_in(path.read_text(), module_name(path), path=path)


def imports_in(source: str, module: str, *, path: Path | None = None) -> list[ImportSite]:
    """Every module that `source` (the module named `module`) imports, relative imports
    resolved, `import_module("…")` too."""
    tree = ast.parse(source)
    is_package = path is not None and path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: list[ImportSite] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [ImportSite(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - (node.level - 1)]
                imported = ".".join([*base, *([node.module] if node.module else [])])
            else:
                imported = node.module or ""
            found.append(ImportSite(path, node.lineno, imported))
            found += [
                ImportSite(path, node.lineno, f"{imported}.{alias.name}") for alias in node.names
            ]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(ImportSite(path, node.lineno, node.args[0].value))
    return found


def resource_apps() -> set[str]:
    """The packages of every registered resource's admin."""
    return {type(resource).__module__.rpartition(".")[0] for resource in site}


def test_the_resource_apps_are_known():
    assert "galtea_admin.phone_connections" in resource_apps()
    assert not resource_apps() & {f"galtea_admin.{app}" for app in SHARED_APPS}


def test_the_import_reader_sees_every_kind_of_import():
    source = (
        "import galtea_admin.phone_connections.tables\n"
        "from galtea_admin.phone_connections import admin\n"
        "from ..phone_connections.forms import PhoneConnectionForm\n"
        "from .. import phone_connections\n"
        "importlib.import_module('galtea_admin.phone_connections.views')\n"
    )

    modules = {found.module for found in imports_in(source, "galtea_admin.audit.probe")}

    assert modules == {
        "galtea_admin.phone_connections.tables",
        "galtea_admin.phone_connections",
        "galtea_admin.phone_connections.admin",
        "galtea_admin.phone_connections.forms",
        "galtea_admin.phone_connections.forms.PhoneConnectionForm",
        "galtea_admin",
        "galtea_admin.phone_connections.views",
    }


@pytest.mark.parametrize("app", SHARED_APPS)
def test_no_shared_app_imports_a_resource_app(app):
    files = sorted((PROJECT / "galtea_admin" / app).rglob("*.py"))
    assert files, app
    forbidden = resource_apps()

    offending = [
        f"{found.path.relative_to(PROJECT)}:{found.line} imports {found.module}"
        for path in files
        for found in imports_of(path)
        if any(found.module == app or found.module.startswith(f"{app}.") for app in forbidden)
    ]

    assert offending == []
