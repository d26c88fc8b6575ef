"""A person's permissions are read in one query and are exactly what Django's ModelBackend
gives: their own, their roles', none when inactive, all for a superuser."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission

from galtea_admin.accounts import roles
from galtea_admin.accounts.backends import OneQueryModelBackend

pytestmark = pytest.mark.django_db


def make_user(name: str, *, groups=(), direct=(), **fields):
    user = get_user_model().objects.create(username=name, **fields)
    user.groups.set([Group.objects.get(name=group) for group in groups])
    for codename in direct:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return get_user_model().objects.get(pk=user.pk)  # no cached permissions


def as_django_reads_them(user):
    return ModelBackend().get_all_permissions(get_user_model().objects.get(pk=user.pk))


@pytest.mark.parametrize("role", sorted(roles.ROLE_PERMISSIONS))
def test_each_role_has_what_django_would_read(role):
    user = make_user(f"someone-{role}", groups=[role])

    permissions = OneQueryModelBackend().get_all_permissions(user)

    assert permissions == as_django_reads_them(user)
    assert permissions  # every role grants something


def test_own_and_role_permissions_together(django_assert_num_queries):
    user = make_user("mixed", groups=["Viewer"], direct=["view_changerecord", "add_group"])

    with django_assert_num_queries(1):
        permissions = OneQueryModelBackend().get_all_permissions(user)
        assert user.has_perm("auth.add_group")
        assert user.has_perm(roles.VIEW)
        assert not user.has_perm(roles.DELETE)

    assert permissions == as_django_reads_them(user)
    assert "auth.add_group" in permissions


def test_two_roles_granting_the_same_permission_count_it_once():
    user = make_user("two-roles", groups=["Viewer", "Manager"])

    assert OneQueryModelBackend().get_all_permissions(user) == as_django_reads_them(user)


def test_an_inactive_person_has_none():
    user = make_user("gone", groups=["Manager"], is_active=False)

    assert OneQueryModelBackend().get_all_permissions(user) == set()
    assert not user.has_perm(roles.VIEW)


def test_a_superuser_has_every_permission():
    user = make_user("root", is_superuser=True)

    assert OneQueryModelBackend().get_all_permissions(user) == as_django_reads_them(user)
    assert len(OneQueryModelBackend().get_all_permissions(user)) == Permission.objects.count()


def test_nobody_signed_in_has_none():
    assert OneQueryModelBackend().get_all_permissions(AnonymousUser()) == set()
