"""The three roles, as Django groups: what each may do with every registered resource.

A resource's permissions are named by the registry ("phone_connections.add_phone_connections");
they have no model of their own, so they are created here, with a content type per resource.
"""

from __future__ import annotations

VIEWER = "Viewer"
EDITOR = "Editor"
MANAGER = "Manager"

VIEW_ACTIVITY = "audit.view_changerecord"

# What each role may do with every resource (see lists.registry.ACTIONS), besides reading
# the activity log.
ROLE_ACTIONS = {
    VIEWER: ("view",),
    EDITOR: ("view", "add", "change"),
    MANAGER: ("view", "add", "change", "delete", "bulk"),
}
ACTION_NAMES = {
    "view": "view",
    "add": "create",
    "change": "edit",
    "delete": "delete",
    "bulk": "run bulk actions on",
}


def role_permissions() -> dict[str, list[str]]:
    """role → its permissions ("app_label.codename"), from the registered resources."""
    from galtea_admin.lists.registry import site

    return {
        role: [
            VIEW_ACTIVITY,
            *(r.permission(action) for r in site for action in actions if action in r.actions),
        ]
        for role, actions in ROLE_ACTIONS.items()
    }


def ensure_roles(apps=None) -> None:
    """Create (or repair) the role groups and every permission they grant. Idempotent: run
    after every migrate, so that a newly registered resource joins the roles."""
    from django.apps import apps as installed_apps
    from django.contrib.auth.management import create_permissions

    from galtea_admin.lists.registry import site

    apps = apps or installed_apps
    for app_config in apps.get_app_configs():
        # Permissions are normally created after migrations; the roles need them now.
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_models
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    for resource in site:
        for action in resource.actions:
            app_label, codename = resource.permission(action).split(".")
            if permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists():
                continue
            content_type, _ = content_type_model.objects.get_or_create(
                app_label=app_label, model=resource.key.replace("_", "")
            )
            permission_model.objects.create(
                content_type=content_type,
                codename=codename,
                name=f"Can {ACTION_NAMES[action]} {resource.noun_plural}",
            )
    group_model = apps.get_model("auth", "Group")
    for role, permissions in role_permissions().items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in (permission.split(".") for permission in permissions)
        )
