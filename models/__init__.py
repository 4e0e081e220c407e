"""Learning: training sets, rankers, metrics, model bundles and their registry.

Empty until the ranking issue lands; importable so the dependency direction can be checked.
"""

__all__: list[str] = []
