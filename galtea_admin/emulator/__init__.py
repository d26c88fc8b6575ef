"""A local stand-in for the Galtea REST API, for development and contract tests.

The emulator is a plain WSGI application served by waitress over SQLite; it never touches
Django's ORM or request handling. `python manage.py galtea_emulator` is only its CLI entry.
"""
