"""Upgrading the admin's database keeps the activity recorded before change records could
name any resource: each one becomes a phone connection's, with its before → after intact."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from galtea_admin.audit.models import ChangeRecord

BEFORE = [("audit", "0001_initial")]
CHANGES = {
    "name": ["Support", "Support line"],
    "voice": [None, "jack"],
    "agent_speaks_first": [False, True],
}


def migrate(targets) -> MigrationExecutor:
    """Migrate the test database to `targets`, as `manage.py migrate` would."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def back_at_the_first_audit_migration():
    """The database as it was before 0002; migrated to the latest state again afterwards, so
    the tests that follow find the schema they expect."""
    executor = migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_an_existing_record_and_its_changes_are_kept(
    back_at_the_first_audit_migration, django_user_model
):
    old_apps = back_at_the_first_audit_migration
    editor = django_user_model.objects.create_user(username="eddie", password="unused-here")
    OldChangeRecord = old_apps.get_model("audit", "ChangeRecord")
    old = OldChangeRecord.objects.create(
        user_id=editor.pk,
        username="eddie",
        action="update",
        connection_id="phoneConnection_support_line",
        connection_name="Support line",
        product_id="prod_1",
        product_name="Contoso Bank Assistant",
        changes=CHANGES,
    )

    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())  # every later migration too

    (kept,) = ChangeRecord.objects.all()
    assert kept.pk == old.pk
    assert (kept.object_type, kept.object_id, kept.object_label) == (
        "phone_connections",
        "phoneConnection_support_line",
        "Support line",
    )
    assert kept.changes == CHANGES
    assert (kept.user, kept.username, kept.action) == (editor, "eddie", "update")
    assert (kept.product_id, kept.product_name) == ("prod_1", "Contoso Bank Assistant")
    assert kept.created_at == old.created_at
    assert kept.outcome == "done", "a change recorded before outcomes were kept was done"
