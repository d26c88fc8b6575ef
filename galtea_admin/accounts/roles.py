"""The three roles, as Django groups: what each may do with phone connections."""

VIEWER = "Viewer"
EDITOR = "Editor"
MANAGER = "Manager"

VIEW = "phone_connections.view_phone_connections"
ADD = "phone_connections.add_phone_connections"
CHANGE = "phone_connections.change_phone_connections"
DELETE = "phone_connections.delete_phone_connections"
BULK = "phone_connections.bulk_phone_connections"
VIEW_ACTIVITY = "audit.view_changerecord"

# What each role may do ("app_label.codename"). The roles migration and `ensure_roles`
# create the groups from this.
ROLE_PERMISSIONS = {
    VIEWER: [VIEW, VIEW_ACTIVITY],
    EDITOR: [VIEW, ADD, CHANGE, VIEW_ACTIVITY],
    MANAGER: [VIEW, ADD, CHANGE, DELETE, BULK, VIEW_ACTIVITY],
}


def ensure_roles(apps=None) -> None:
    """Create (or repair) the role groups and their permissions. Idempotent."""
    from django.apps import apps as installed_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or installed_apps
    for app_config in apps.get_app_configs():
        # Permissions are normally created after migrations; the roles need them now.
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_models
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in (permission.split(".") for permission in permissions)
        )
