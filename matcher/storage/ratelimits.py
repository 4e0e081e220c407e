"""Token buckets shared by every process serving one data directory (SQLite, WAL).

With ``jobmatch serve --workers N`` each worker is its own process; buckets held in memory would
give every key N times its limit. :class:`SharedBuckets` keeps them in a small database of its
own, ``$JOBMATCH_HOME/ratelimits.sqlite3`` — apart from the store, so a long import holding the
store's write lock never stalls a rate-limit check — and spends a token with **one statement**
(an ``INSERT … ON CONFLICT DO UPDATE … RETURNING``: refill, spend and answer in one write
transaction, so two workers can never both take the last token).

The bucket (per Turner's token-bucket algorithm, RFC 2697's single-rate form): ``burst`` tokens
at most, ``rate`` tokens a second of refill; a request spends ``cost`` when the bucket holds at
least that much and is refused otherwise, with the seconds until it would hold enough.

Durability is not needed — a bucket lost in a crash only starts full again — so the database
runs with ``synchronous=NORMAL`` (in WAL mode a commit is an append without ``fsync``). When the
file is busy for longer than ``busy_timeout`` (or unusable), the call falls back to a bucket in
this process's memory with the same arithmetic (:attr:`SharedBuckets.fallbacks` counts those),
so a limit still holds — per process — instead of failing the request.

Time is the wall clock (``time.time``), which every process on a host shares; a clock stepped
backwards refills nothing until it catches up.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

LIMITS_DATABASE = "ratelimits.sqlite3"
"""The file under the data directory."""

CLEANUP_EVERY = 1_000
"""Takes between two deletions of rows whose buckets are full again anyway."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (
    name TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    updated REAL NOT NULL,
    granted INTEGER NOT NULL
) WITHOUT ROWID
"""

_REFILLED = "min(:burst, tokens + max(0.0, :now - updated) * :rate)"

_TAKE = f"""
INSERT INTO buckets (name, tokens, updated, granted)
VALUES (:name, :burst - :cost, :now, 1)
ON CONFLICT (name) DO UPDATE SET
    tokens = CASE WHEN {_REFILLED} >= :cost THEN {_REFILLED} - :cost ELSE {_REFILLED} END,
    granted = {_REFILLED} >= :cost,
    updated = :now
RETURNING tokens, granted
"""


def refilled(tokens: float, updated: float, now: float, rate: float, burst: float) -> float:
    """Tokens in a bucket that held ``tokens`` at ``updated``, at ``now`` (the SQL's formula)."""
    return min(burst, tokens + max(0.0, now - updated) * rate)


def wait_for(tokens: float, cost: float, rate: float) -> float:
    """Seconds until a bucket holding ``tokens`` holds ``cost`` (0.0 when it does)."""
    return 0.0 if tokens >= cost else (cost - tokens) / rate


class SharedBuckets:
    """Named token buckets in a SQLite file, shared by the processes that open it.

    Parameters
    ----------
    path : Path
        The database file (created with its table when missing).
    busy_timeout : float
        Seconds to wait for another process's write before falling back to memory.
    clock : callable
        Wall-clock seconds (for tests).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = 0.25,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.clock = clock
        self.fallbacks = 0
        self._lock = threading.Lock()
        self._local: dict[str, tuple[float, float]] = {}
        self._takes = 0
        self._horizon = 0.0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=busy_timeout
        )
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute(_SCHEMA)

    @classmethod
    def open(cls, home: str | Path, *, busy_timeout: float = 0.25) -> SharedBuckets:
        """The buckets of the data directory ``home`` (``home/ratelimits.sqlite3``)."""
        return cls(Path(home) / LIMITS_DATABASE, busy_timeout=busy_timeout)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> SharedBuckets:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def take(self, name: str, rate: float, burst: float, cost: float = 1.0) -> float:
        """Spend ``cost`` tokens of bucket ``name``: 0.0 when it held them, else the seconds
        until it will (nothing spent).

        Parameters
        ----------
        name : str
            The bucket (e.g. ``key:<id>``); a new bucket starts full.
        rate : float
            Refill, tokens per second (> 0).
        burst : float
            Capacity (>= ``cost``).
        cost : float
            Tokens this call spends.
        """
        _check(rate, burst, cost)
        now = self.clock()
        params = {"name": name, "rate": rate, "burst": burst, "cost": cost, "now": now}
        with self._lock:
            self._horizon = max(self._horizon, burst / rate)
            try:
                rows = self._connection.execute(_TAKE, params).fetchall()
                self._takes += 1
                if self._takes % CLEANUP_EVERY == 0:
                    self._connection.execute(
                        "DELETE FROM buckets WHERE updated < ?", (now - self._horizon,)
                    )
            except sqlite3.Error:
                self.fallbacks += 1
                return self._take_local(name, rate, burst, cost, now)
        tokens, granted = rows[0]
        return 0.0 if granted else wait_for(float(tokens), cost, rate)

    def peek(self, name: str, rate: float, burst: float, cost: float = 1.0) -> float:
        """Seconds until bucket ``name`` holds ``cost`` tokens (0.0 when it does); spends
        nothing and writes nothing."""
        _check(rate, burst, cost)
        now = self.clock()
        with self._lock:
            try:
                row = self._connection.execute(
                    "SELECT tokens, updated FROM buckets WHERE name = ?", (name,)
                ).fetchone()
            except sqlite3.Error:
                self.fallbacks += 1
                row = self._local.get(name)
        if row is None:
            return 0.0
        return wait_for(refilled(float(row[0]), float(row[1]), now, rate, burst), cost, rate)

    def _take_local(self, name: str, rate: float, burst: float, cost: float, now: float) -> float:
        held = self._local.get(name)
        tokens = burst if held is None else refilled(held[0], held[1], now, rate, burst)
        if tokens >= cost:
            self._local[name] = (tokens - cost, now)
            return 0.0
        self._local[name] = (tokens, now)
        return wait_for(tokens, cost, rate)


def _check(rate: float, burst: float, cost: float) -> None:
    if not rate > 0 or not burst >= cost or not cost >= 0:
        raise ValueError(
            f"need rate > 0 and burst >= cost >= 0, got rate={rate}, burst={burst}, cost={cost}"
        )
