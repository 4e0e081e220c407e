"""Ranking: domain records → feature columns → the MatchEngine → the long-running service.

Owns ``columns`` (records → the arrays ``features`` takes), ``engine`` (filters, retrieval,
pair features, ranker, campaign policy, reasons), ``serving`` (a registry bundle → the engine's
model), ``service`` (store + registry + live engine for the API) and ``walkin`` (the counter's
lookup of what a walk-in says, without keeping it). May import everything below
it: ``matcher.intake``, ``matcher.storage``, ``matcher.domain``, ``matcher.reference``,
``matcher.errors``, ``features``, ``models``.
"""
