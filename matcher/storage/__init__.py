"""Storage: the SQLite store (schema, migrations, change log), API keys and the data directory.

May import ``matcher.domain``, ``matcher.reference`` and ``matcher.errors``.
"""
