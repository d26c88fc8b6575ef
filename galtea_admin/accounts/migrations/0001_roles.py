"""Create the Viewer, Editor and Manager groups with their permissions."""

from django.db import migrations

ROLES = {
    "Viewer": [
        ("phone_connections", "view_phone_connections"),
        ("audit", "view_changerecord"),
    ],
    "Editor": [
        ("phone_connections", "view_phone_connections"),
        ("phone_connections", "add_phone_connections"),
        ("phone_connections", "change_phone_connections"),
        ("audit", "view_changerecord"),
    ],
    "Manager": [
        ("phone_connections", "view_phone_connections"),
        ("phone_connections", "add_phone_connections"),
        ("phone_connections", "change_phone_connections"),
        ("phone_connections", "delete_phone_connections"),
        ("phone_connections", "bulk_phone_connections"),
        ("audit", "view_changerecord"),
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in permissions
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("phone_connections", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
