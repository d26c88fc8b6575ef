"""A local stand-in for the Galtea REST API, for development and contract tests.

The emulator is a plain WSGI application served by waitress over SQLite, run as its own
process with `python -m emulator`. It imports nothing from the admin and nothing from
Django, and the admin imports nothing from it: it is not installed in the admin.
"""
