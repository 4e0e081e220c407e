"""The HTTP face of jobmatch. Empty until the scoring-API issue lands."""

__all__: list[str] = []
