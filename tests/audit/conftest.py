"""Fixtures of the audit tests: change records written straight to the database, for the
pages that list them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from galtea_admin.audit.models import ChangeRecord

BASE = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def record(user, action: str, name: str, *, when: datetime, object_id: str = "", changes=None):
    """A change `user` made to the phone connection called `name` at `when`."""
    created = ChangeRecord.objects.create(
        user=user,
        username=user.get_username(),
        action=action,
        object_type="phone_connections",
        object_id=object_id or f"phoneConnection_{name.lower().replace(' ', '_')}",
        product_id="prod_1",
        product_name="Contoso Bank Assistant",
        object_label=name,
        changes=changes or {},
    )
    ChangeRecord.objects.filter(pk=created.pk).update(created_at=when)
    return created


@pytest.fixture
def history(settings, operator, editor, manager):
    """Seven changes by three people over a week; the newest last."""
    settings.TIME_ZONE = "UTC"
    record(editor, "create", "Support line", when=BASE)
    record(
        editor,
        "update",
        "Support line",
        when=BASE + timedelta(days=1),
        object_id="phoneConnection_support_line",
        changes={"name": ["Support", "Support line"], "voice": [None, "jack"]},
    )
    record(manager, "create", "Billing line", when=BASE + timedelta(days=2))
    record(manager, "update", "Billing line", when=BASE + timedelta(days=3), changes={})
    record(editor, "create", "Outage hotline", when=BASE + timedelta(days=4))
    record(manager, "delete", "Outage hotline", when=BASE + timedelta(days=5))
    record(editor, "update", "Front desk", when=BASE + timedelta(days=6))
