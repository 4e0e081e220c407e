"""Learning: ranking sets from stored interactions or a pairs file, training and evaluation.

Owns ``sets`` (interactions → graded ranking sets), ``pairs`` (an analyst's labelled pairs file),
``training`` (fit, evaluate beside the baselines, save to the registry, score a pairs file).
May import ``matcher.ranking`` and everything below it.
"""
