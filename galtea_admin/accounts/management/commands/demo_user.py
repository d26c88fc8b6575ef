"""Create (or reset) the demo sign-ins and print their credentials."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from galtea_admin.accounts import roles

DEMO_PASSWORD = "galtea-demo"  # noqa: S105 - a documented local demo credential
# username → role (None: superuser, who can do everything and manage users).
DEMO_USERS = {
    "demo": None,
    "viewer": roles.VIEWER,
    "editor": roles.EDITOR,
    "manager": roles.MANAGER,
}


class Command(BaseCommand):
    help = "Create or reset the demo users (one superuser and one per role) and print them."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, password, **options):
        for username, role in DEMO_USERS.items():
            user, _ = get_user_model().objects.get_or_create(
                username=username, defaults={"first_name": username.title(), "last_name": "Demo"}
            )
            user.is_staff = user.is_superuser = role is None
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)] if role else [])
        self.stdout.write(f"Sign in as demo / {password} (can do everything), or as viewer,")
        self.stdout.write(f"editor or manager / {password} to try each role.")
