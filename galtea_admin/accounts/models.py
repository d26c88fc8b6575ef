"""The roles are Django's auth groups: accounts has no models of its own.

This module exists because migrate sends `post_migrate` only to apps with a models module,
and accounts repairs the roles on that signal (see apps.py).
"""
