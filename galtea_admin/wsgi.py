"""WSGI entry point for Galtea Admin (gunicorn galtea_admin.wsgi)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galtea_admin.settings")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    raise SystemExit(f"Galtea Admin cannot start: {error}") from None
