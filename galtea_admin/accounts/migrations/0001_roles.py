"""Create the Viewer, Editor and Manager groups with their permissions."""

from django.db import migrations

ROLE_NAMES = ("Viewer", "Editor", "Manager")


def create_roles(apps, schema_editor):
    from galtea_admin.accounts.roles import ensure_roles

    ensure_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("phone_connections", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
