"""What a person may do is what Django's ModelBackend reads (in one query: the project's
PermissionsBackend): their own permissions and their roles', none when inactive, all for a
superuser. The roles are built from the registry: every
registered resource's permissions exist, and each role holds its share of them, however often
the roles are rebuilt and after every migrate."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.management import call_command

from galtea_admin.accounts import roles
from galtea_admin.galtea.phone_connections import PHONE_CONNECTIONS
from galtea_admin.lists import registry
from galtea_admin.lists.registry import ResourceAdmin, ResourceSite, site

pytestmark = pytest.mark.django_db

PHONE = site.get("phone_connections")
VIEW = "phone_connections.view_phone_connections"
ADD = "phone_connections.add_phone_connections"
CHANGE = "phone_connections.change_phone_connections"
DELETE = "phone_connections.delete_phone_connections"
BULK = "phone_connections.bulk_phone_connections"
ACTIVITY = "audit.view_changerecord"
ROLES = ("Viewer", "Editor", "Manager")
# What each role may do with every registered resource.
ROLE_ACTIONS = {
    "Viewer": {"view"},
    "Editor": {"view", "add", "change"},
    "Manager": {"view", "add", "change", "delete", "bulk"},
}
EVERY_ACTION = ("view", "add", "change", "delete", "bulk")


@pytest.fixture(autouse=True)
def the_roles():
    roles.ensure_roles()


def make_user(name: str, *, groups=(), direct=(), **fields):
    user = get_user_model().objects.create(username=name, **fields)
    user.groups.set([Group.objects.get(name=group) for group in groups])
    for codename in direct:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return get_user_model().objects.get(pk=user.pk)  # no cached permissions


def granted(group: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=group).permissions.select_related("content_type")
    }


def every_permission() -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }


def expected_for(role: str, resources) -> set[str]:
    """A role's share of what each resource offers (a read-only one offers only "view")."""
    return {ACTIVITY} | {
        r.permission(a) for r in resources for a in ROLE_ACTIONS[role] if a in r.actions
    }


def test_a_read_only_resource_grants_reading_it_and_nothing_more():
    sessions = site.get("sessions")
    user = make_user("someone-managing", groups=["Manager"])

    assert sessions.actions == ("view",)
    assert user.has_perm(sessions.permission("view"))
    assert not any(user.has_perm(sessions.permission(a)) for a in ("add", "change", "delete"))
    assert sessions.allowed(user) == {
        "view": True,
        "add": False,
        "change": False,
        "delete": False,
        "bulk": False,
    }


# --- What a person may do --------------------------------------------------------------------


def test_the_resource_names_its_permissions():
    assert [PHONE.permission(action) for action in EVERY_ACTION] == [
        VIEW,
        ADD,
        CHANGE,
        DELETE,
        BULK,
    ]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("Viewer", {VIEW, ACTIVITY}),
        ("Editor", {VIEW, ADD, CHANGE, ACTIVITY}),
        ("Manager", {VIEW, ADD, CHANGE, DELETE, BULK, ACTIVITY}),
    ],
)
def test_each_role_may_do_its_share_and_nothing_more(role, allowed):
    user = make_user(f"someone-{role}", groups=[role])

    assert user.get_all_permissions() == expected_for(role, site)
    assert allowed <= user.get_all_permissions()
    for permission in (VIEW, ADD, CHANGE, DELETE, BULK, ACTIVITY):
        assert user.has_perm(permission) is (permission in allowed), permission
    assert PHONE.allowed(user) == {
        action: PHONE.permission(action) in allowed for action in EVERY_ACTION
    }


def test_own_and_role_permissions_together(django_assert_num_queries):
    user = make_user("mixed", groups=["Viewer"], direct=["view_changerecord", "add_group"])

    # Read once for the person, in one query, then every check is answered from what was read.
    with django_assert_num_queries(1):
        permissions = user.get_all_permissions()
        assert user.has_perm("auth.add_group")
        assert user.has_perm(VIEW)
        assert not user.has_perm(DELETE)
        assert user.has_perm(ACTIVITY)

    assert permissions == expected_for("Viewer", site) | {"auth.add_group"}
    assert user.get_user_permissions() == {ACTIVITY, "auth.add_group"}
    assert user.get_group_permissions() == expected_for("Viewer", site)


def test_two_roles_granting_the_same_permission_count_it_once():
    user = make_user("two-roles", groups=["Viewer", "Manager"])

    assert (
        user.get_all_permissions()
        == make_user("one-role", groups=["Manager"]).get_all_permissions()
    )
    assert user.get_all_permissions() == expected_for("Manager", site)


def test_an_inactive_person_has_none():
    user = make_user("gone", groups=["Manager"], direct=["add_group"], is_active=False)

    assert user.get_all_permissions() == set()
    assert not user.has_perm(VIEW)
    assert not user.has_perm("auth.add_group")
    assert PHONE.allowed(user) == dict.fromkeys(EVERY_ACTION, False)


def test_a_superuser_has_every_permission():
    user = make_user("root", is_superuser=True)

    assert user.get_all_permissions() == every_permission()
    assert len(user.get_all_permissions()) == Permission.objects.count()
    for permission in (VIEW, ADD, CHANGE, DELETE, BULK, ACTIVITY):
        assert user.has_perm(permission)


def test_a_person_without_a_role_has_only_their_own():
    user = make_user("loner", direct=["view_changerecord"])

    assert user.get_all_permissions() == {ACTIVITY}
    assert PHONE.allowed(user) == dict.fromkeys(EVERY_ACTION, False)


def test_nobody_signed_in_has_none():
    visitor = AnonymousUser()

    assert visitor.get_all_permissions() == set()
    assert not visitor.has_perm(VIEW)


# --- The roles are built from the registry ---------------------------------------------------


def test_every_registered_resource_has_all_its_permissions():
    assert list(site), "at least one resource is registered"
    existing = every_permission()
    for resource in site:
        for action in resource.actions:
            assert resource.permission(action) in existing, resource.permission(action)
        for action in set(EVERY_ACTION) - set(resource.actions):
            assert resource.permission(action) not in existing, resource.permission(action)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_holds_its_actions_on_every_resource(role):
    assert granted(role) == expected_for(role, site)
    assert set(roles.role_permissions()[role]) == expected_for(role, site)


def test_the_roles_are_exactly_viewer_editor_and_manager():
    assert sorted(roles.role_permissions()) == sorted(ROLES)
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_rebuilding_the_roles_changes_nothing():
    before_permissions = sorted(Permission.objects.values_list("pk", "codename"))
    before_groups = sorted(Group.objects.values_list("pk", "name"))
    before_grants = {role: granted(role) for role in ROLES}

    roles.ensure_roles()
    roles.ensure_roles()

    assert sorted(Permission.objects.values_list("pk", "codename")) == before_permissions
    assert sorted(Group.objects.values_list("pk", "name")) == before_groups
    assert {role: granted(role) for role in ROLES} == before_grants
    for role in ROLES:
        group = Group.objects.get(name=role)
        assert group.permissions.count() == len(before_grants[role])  # no duplicates


class ThrowAwayAdmin(ResourceAdmin):
    key = "throw_aways"
    spec = PHONE_CONNECTIONS
    title = "Throw-aways"
    url_prefix = "throw-aways"
    form_class = type(PHONE).form_class


def test_a_newly_registered_resource_joins_every_role(monkeypatch):
    resources = ResourceSite()
    resources.register(type(PHONE))
    resources.register(ThrowAwayAdmin)
    monkeypatch.setattr(registry, "site", resources)

    roles.ensure_roles()

    throw_away = resources.get("throw_aways")
    existing = every_permission()
    for action in EVERY_ACTION:
        assert throw_away.permission(action) in existing
    assert throw_away.permission("bulk") == "throw_aways.bulk_throw_aways"
    for role in ROLES:
        assert granted(role) == expected_for(role, resources)
        assert throw_away.permission("view") in granted(role)
    editor = make_user("new-editor", groups=["Editor"])
    assert throw_away.allowed(editor) == {
        "view": True,
        "add": True,
        "change": True,
        "delete": False,
        "bulk": False,
    }


def test_migrate_repairs_a_role_whose_permissions_were_removed():
    Group.objects.get(name="Editor").permissions.clear()
    manager = Group.objects.get(name="Manager")
    manager.permissions.remove(Permission.objects.get(codename="delete_phone_connections"))
    Permission.objects.filter(codename="bulk_phone_connections").delete()
    Group.objects.filter(name="Viewer").delete()
    assert granted("Editor") == set()

    call_command("migrate", verbosity=0, interactive=False)

    for role in ROLES:
        assert granted(role) == expected_for(role, site), role
    assert make_user("repaired", groups=["Manager"]).has_perm(BULK)
