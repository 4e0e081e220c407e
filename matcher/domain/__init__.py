"""The domain: validated records and the national code tables behind them.

Owns the record schemas (``records``: seekers, contacts, employers, vacancies, fairs,
interactions), code check digits (``codes``), the campaign calendar and its policies
(``campaigns``) and personal data out of free text (``privacy``). May import
``matcher.reference``, ``matcher.errors`` and ``features``; nothing else of ``matcher``.
"""
