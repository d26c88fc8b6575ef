"""WSGI entry point for Galtea Admin (gunicorn galtea_admin.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galtea_admin.settings")

application = get_wsgi_application()
