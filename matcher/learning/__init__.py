"""Learning: ranking sets from stored interactions or a pairs file, training and evaluation.

Owns ``sets`` (interactions → graded ranking sets), ``pairs`` (an analyst's labelled pairs file),
``training`` (fit, evaluate beside the baselines, save to the registry, score a pairs file),
``evaluation`` (a pairs file scored beside lexical baselines) and ``review`` (each registered
version's evaluation beside the active model and the baselines, for the desk's models page).
May import ``matcher.ranking`` and everything below it.
"""
