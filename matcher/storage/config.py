"""Where jobmatch keeps its data, from the environment.

``JOBMATCH_HOME`` (default ``./var``): the data directory with the SQLite store and reports.
``JOBMATCH_CAMPAIGNS``: a campaigns TOML file replacing the shipped 2022 calendar.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from matcher.storage.store import DATABASE_NAME


@dataclass(frozen=True)
class Paths:
    home: Path
    campaigns_file: Path | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Paths:
        env = os.environ if environ is None else environ
        campaigns = env.get("JOBMATCH_CAMPAIGNS")
        return cls(
            home=Path(env.get("JOBMATCH_HOME") or "var"),
            campaigns_file=Path(campaigns) if campaigns else None,
        )

    @property
    def database(self) -> Path:
        return self.home / DATABASE_NAME

    @property
    def reports(self) -> Path:
        return self.home / "reports"
