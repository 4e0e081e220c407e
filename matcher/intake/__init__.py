"""Intake: records in from files and callers, and what is read from their text.

Owns the importer (files and rows → validated, redacted, completed records in one transaction),
the domain dictionary and tokenizer (``lexicon``), titles → 大典 occupations (``occupations``),
missing fields completed from the text (``completion``), posting analysis (``analysis``) and the
desk's posting check (``posting_check``: flags placed in the text with the laws they cite).
May import ``matcher.domain``, ``matcher.storage``, ``matcher.reference``, ``matcher.errors``,
``features`` and ``models``.
"""
