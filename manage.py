#!/usr/bin/env python
"""Django's command-line utility for Galtea Admin."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galtea_admin.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        sys.exit(f"Galtea Admin cannot start: {error}")


if __name__ == "__main__":
    main()
