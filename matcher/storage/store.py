"""SQLite storage: the one module that owns the schema and its migrations.

The database lives at ``$JOBMATCH_HOME/jobmatch.sqlite3`` (WAL journal, foreign keys on). Records
are kept as validated JSON beside the columns that queries filter on. Contact data has its own
table, written and read only through :meth:`Store.put_contact` / :meth:`Store.get_contact`.
Interactions are append-only.

Every write is one transaction: a batch is written whole or not at all.
"""

from __future__ import annotations

import builtins
import datetime as dt
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from matcher.domain.records import Contact, Employer, Fair, Interaction, Seeker, Vacancy
from matcher.errors import ConflictError, FieldProblem, InvalidRecord, NotFound

DATABASE_NAME = "jobmatch.sqlite3"

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE seekers (
            id TEXT PRIMARY KEY,
            region TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX seekers_region ON seekers(region);
        CREATE TABLE contacts (
            seeker_id TEXT PRIMARY KEY REFERENCES seekers(id) ON DELETE CASCADE,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE employers (
            id TEXT PRIMARY KEY,
            credit_code TEXT NOT NULL UNIQUE,
            region TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE vacancies (
            id TEXT PRIMARY KEY,
            employer_id TEXT NOT NULL REFERENCES employers(id),
            region TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            status TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX vacancies_employer ON vacancies(employer_id);
        CREATE INDEX vacancies_dates ON vacancies(valid_from, valid_until);
        CREATE TABLE fairs (
            id TEXT PRIMARY KEY,
            date TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE interactions (
            id INTEGER PRIMARY KEY,
            seeker_id TEXT NOT NULL,
            vacancy_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            time TEXT NOT NULL,
            position INTEGER,
            campaign_id TEXT,
            source TEXT NOT NULL,
            session_id TEXT
        );
        CREATE INDEX interactions_seeker ON interactions(seeker_id, time);
        CREATE INDEX interactions_vacancy ON interactions(vacancy_id);
        CREATE INDEX interactions_time ON interactions(time);
        CREATE TRIGGER interactions_no_update BEFORE UPDATE ON interactions
        BEGIN SELECT RAISE(ABORT, 'interactions are append-only'); END;
        """,
    ),
    (
        2,
        """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            tenant TEXT NOT NULL,
            scopes TEXT NOT NULL,
            hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        """,
    ),
    (
        3,
        """
        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            op TEXT NOT NULL
        );
        CREATE TRIGGER vacancies_log_insert AFTER INSERT ON vacancies
        BEGIN INSERT INTO changes (kind, record_id, op) VALUES ('vacancy', NEW.id, 'put'); END;
        CREATE TRIGGER vacancies_log_update AFTER UPDATE ON vacancies
        BEGIN INSERT INTO changes (kind, record_id, op) VALUES ('vacancy', NEW.id, 'put'); END;
        CREATE TRIGGER vacancies_log_delete AFTER DELETE ON vacancies
        BEGIN INSERT INTO changes (kind, record_id, op) VALUES ('vacancy', OLD.id, 'delete'); END;
        CREATE TRIGGER employers_log_insert AFTER INSERT ON employers
        BEGIN INSERT INTO changes (kind, record_id, op) VALUES ('employer', NEW.id, 'put'); END;
        CREATE TRIGGER employers_log_update AFTER UPDATE ON employers
        BEGIN INSERT INTO changes (kind, record_id, op) VALUES ('employer', NEW.id, 'put'); END;
        CREATE TRIGGER employers_log_delete AFTER DELETE ON employers
        BEGIN INSERT INTO changes (kind, record_id, op) VALUES ('employer', OLD.id, 'delete'); END;
        """,
    ),
)
"""Versioned migrations, applied in order; ``PRAGMA user_version`` records the last one."""

SCHEMA_VERSION = MIGRATIONS[-1][0]

INTERACTION_COLUMNS = (
    "seeker_id",
    "vacancy_id",
    "kind",
    "time",
    "position",
    "campaign_id",
    "source",
    "session_id",
)
"""Columns of an interaction row, in the order :meth:`Store.append_interaction_rows` takes."""

Entity = TypeVar("Entity", Seeker, Employer, Vacancy, Fair)

_TABLES: dict[type[BaseModel], str] = {
    Seeker: "seekers",
    Employer: "employers",
    Vacancy: "vacancies",
    Fair: "fairs",
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _api_key_row(row: tuple[Any, ...]) -> dict[str, Any]:
    names = ("id", "name", "tenant", "scopes", "hash", "created_at", "revoked_at")
    found = dict(zip(names, row, strict=True))
    found["scopes"] = tuple(s for s in str(found["scopes"]).split(",") if s)
    return found


def _columns(record: BaseModel) -> dict[str, Any]:
    """The indexed columns of a record, besides id, data and updated_at."""
    if isinstance(record, Seeker):
        return {"region": record.region}
    if isinstance(record, Employer):
        return {"credit_code": record.credit_code, "region": record.region}
    if isinstance(record, Vacancy):
        return {
            "employer_id": record.employer_id,
            "region": record.region,
            "valid_from": record.valid_from.isoformat(),
            "valid_until": record.valid_until.isoformat(),
            "status": record.status,
        }
    if isinstance(record, Fair):
        return {"date": record.date.isoformat()}
    raise TypeError(f"cannot store {type(record).__name__}; expected one of {list(_TABLES)}")


class Store:
    """A jobmatch database. Open with :meth:`open`; use as a context manager to close it.

    One connection per store, guarded by a lock so threads may share the object.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._depth = 0
        self._connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30.0
        )
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    @classmethod
    def open(cls, home: str | Path) -> Store:
        """The store in the data directory ``home`` (created when missing)."""
        return cls(Path(home) / DATABASE_NAME)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- schema ----------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self._connection.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self._lock:
            current = self.schema_version
            if current > SCHEMA_VERSION:
                raise ConflictError(
                    f"{self.path}: schema version {current} is newer than this jobmatch "
                    f"({SCHEMA_VERSION}); upgrade jobmatch"
                )
            for version, script in MIGRATIONS:
                if version <= current:
                    continue
                statements = [s.strip() for s in script.split(";\n") if s.strip()]
                with self.transaction() as connection:
                    for statement in statements:
                        connection.execute(statement)
                    connection.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back whole when the block raises.

        Nested blocks join the outermost transaction, so several writes can be made atomic
        together (e.g. seekers and their contacts from one import file).
        """
        with self._lock:
            connection = self._connection
            if self._depth:
                self._depth += 1
                try:
                    yield connection
                finally:
                    self._depth -= 1
                return
            connection.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0
            connection.execute("COMMIT")

    # --- seekers, employers, vacancies, fairs ---------------------------------------------

    def put(self, record: Seeker | Employer | Vacancy | Fair) -> None:
        """Insert or replace one record."""
        self.put_many([record])

    def put_many(self, records: Sequence[Seeker | Employer | Vacancy | Fair]) -> int:
        """Insert or replace records of one or more kinds in one transaction; returns the count."""
        by_table: dict[str, list[BaseModel]] = {}
        for record in records:
            by_table.setdefault(_TABLES[type(record)], []).append(record)
        stamp = _now()
        with self.transaction() as connection:
            # employers before vacancies, so one batch may carry both
            for table in ("employers", "seekers", "vacancies", "fairs"):
                batch = by_table.get(table, [])
                if not batch:
                    continue
                columns = ["id", *_columns(batch[0]), "data", "updated_at"]
                updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
                sql = (
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' for _ in columns)}) "
                    f"ON CONFLICT(id) DO UPDATE SET {updates}"
                )
                rows = [
                    (
                        record.id,  # type: ignore[attr-defined]
                        *_columns(record).values(),
                        record.model_dump_json(),
                        stamp,
                    )
                    for record in batch
                ]
                try:
                    connection.executemany(sql, rows)
                except sqlite3.IntegrityError as error:
                    raise self._integrity_error(table, str(error)) from None
        return len(records)

    @staticmethod
    def _integrity_error(table: str, detail: str) -> JobmatchWriteError:
        if "FOREIGN KEY" in detail:
            return InvalidRecord(
                "Vacancy", [FieldProblem("employer_id", "no employer with this id in the store")]
            )
        if "credit_code" in detail:
            return InvalidRecord(
                "Employer",
                [FieldProblem("credit_code", "another employer already has this credit code")],
            )
        return ConflictError(f"{table}: {detail}")

    def get(self, kind: type[Entity], record_id: str) -> Entity:
        """The record with this id, or :class:`NotFound`."""
        row = self._connection.execute(
            f"SELECT data FROM {_TABLES[kind]} WHERE id = ?", (record_id,)
        ).fetchone()
        if row is None:
            raise NotFound(kind.__name__, record_id)
        return kind.model_validate_json(row[0])

    def _select_in(self, sql: str, values: Iterable[str]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql`` (with one ``IN ({marks})``) for distinct ``values``, 500 at a time."""
        distinct = list(dict.fromkeys(values))
        for start in range(0, len(distinct), 500):
            chunk = distinct[start : start + 500]
            yield from self._connection.execute(
                sql.format(marks=", ".join("?" for _ in chunk)), chunk
            )

    def get_many(self, kind: type[Entity], record_ids: Sequence[str]) -> dict[str, Entity]:
        """Records by id for the ids that exist (missing ids are simply absent)."""
        sql = f"SELECT id, data FROM {_TABLES[kind]} WHERE id IN ({{marks}})"
        return {
            record_id: kind.model_validate_json(data)
            for record_id, data in self._select_in(sql, record_ids)
        }

    def exists(self, kind: type[Entity], record_ids: Iterable[str]) -> set[str]:
        """The subset of ``record_ids`` present in the store."""
        sql = f"SELECT id FROM {_TABLES[kind]} WHERE id IN ({{marks}})"
        return {row[0] for row in self._select_in(sql, record_ids)}

    def employers_by_credit_code(self, credit_codes: Iterable[str]) -> dict[str, str]:
        """Credit code → employer id, for the codes already in the store."""
        sql = "SELECT credit_code, id FROM employers WHERE credit_code IN ({marks})"
        return {code: record_id for code, record_id in self._select_in(sql, credit_codes)}

    def list(
        self,
        kind: type[Entity],
        *,
        limit: int | None = None,
        offset: int = 0,
        region: str | None = None,
    ) -> list[Entity]:
        """Records ordered by id, optionally within a region code (prefix: a city or province)."""
        return list(self.iter(kind, limit=limit, offset=offset, region=region))

    def iter(
        self,
        kind: type[Entity],
        *,
        limit: int | None = None,
        offset: int = 0,
        region: str | None = None,
    ) -> Iterator[Entity]:
        table = _TABLES[kind]
        sql = f"SELECT data FROM {table}"
        parameters: list[Any] = []
        if region is not None:
            if kind is Fair:
                raise ValueError("fairs cannot be filtered by region here")
            sql += " WHERE region LIKE ?"
            parameters.append(region + "%")
        sql += " ORDER BY id LIMIT ? OFFSET ?"
        parameters += [-1 if limit is None else limit, offset]
        for (data,) in self._connection.execute(sql, parameters).fetchall():
            yield kind.model_validate_json(data)

    def count(self, kind: type[Entity]) -> int:
        return int(self._connection.execute(f"SELECT COUNT(*) FROM {_TABLES[kind]}").fetchone()[0])

    def delete(self, kind: type[Entity], record_id: str) -> None:
        """Delete one record (a seeker's contact goes with them), or :class:`NotFound`."""
        with self.transaction() as connection:
            if kind is Employer:
                (vacancies,) = connection.execute(
                    "SELECT COUNT(*) FROM vacancies WHERE employer_id = ?", (record_id,)
                ).fetchone()
                if vacancies:
                    raise ConflictError(
                        f"employer {record_id!r} still has {vacancies} vacancies; delete them first"
                    )
            cursor = connection.execute(f"DELETE FROM {_TABLES[kind]} WHERE id = ?", (record_id,))
            if cursor.rowcount == 0:
                raise NotFound(kind.__name__, record_id)

    # --- contacts (personal data) ---------------------------------------------------------

    def put_contact(self, contact: Contact) -> None:
        """Insert or replace a seeker's contact data; the seeker must exist."""
        self.put_contacts([contact])

    def put_contacts(self, contacts: Sequence[Contact]) -> int:
        stamp = _now()
        with self.transaction() as connection:
            try:
                connection.executemany(
                    "INSERT INTO contacts (seeker_id, data, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(seeker_id) DO UPDATE SET data = excluded.data, "
                    "updated_at = excluded.updated_at",
                    [(c.seeker_id, c.model_dump_json(), stamp) for c in contacts],
                )
            except sqlite3.IntegrityError:
                raise InvalidRecord(
                    "Contact", [FieldProblem("seeker_id", "no seeker with this id in the store")]
                ) from None
        return len(contacts)

    def get_contact(self, seeker_id: str) -> Contact:
        row = self._connection.execute(
            "SELECT data FROM contacts WHERE seeker_id = ?", (seeker_id,)
        ).fetchone()
        if row is None:
            raise NotFound("Contact", seeker_id)
        return Contact.model_validate_json(row[0])

    def count_contacts(self) -> int:
        return int(self._connection.execute("SELECT COUNT(*) FROM contacts").fetchone()[0])

    # --- interactions (append-only) -------------------------------------------------------

    def append_interactions(self, interactions: Sequence[Interaction]) -> int:
        """Append interaction events in one transaction; returns the count."""
        rows = [
            (
                item.seeker_id,
                item.vacancy_id,
                item.kind.value,
                item.time.isoformat(),
                item.position,
                item.campaign_id,
                item.source,
                item.session_id,
            )
            for item in interactions
        ]
        self.append_interaction_rows(rows)
        return len(rows)

    def append_interaction_rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Append already-validated rows (seeker_id, vacancy_id, kind, time, position,
        campaign_id, source, session_id) — the fast path for the generator."""
        with self.transaction() as connection:
            connection.executemany(
                f"INSERT INTO interactions ({', '.join(INTERACTION_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in INTERACTION_COLUMNS)})",
                rows,
            )

    def iter_interactions(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        seeker_id: str | None = None,
    ) -> Iterator[Interaction]:
        """Interactions in time order, optionally within [since, until) and for one seeker."""
        sql = f"SELECT {', '.join(INTERACTION_COLUMNS)} FROM interactions WHERE 1 = 1"
        parameters: list[Any] = []
        if since is not None:
            sql += " AND time >= ?"
            parameters.append(since.isoformat())
        if until is not None:
            sql += " AND time < ?"
            parameters.append(until.isoformat())
        if seeker_id is not None:
            sql += " AND seeker_id = ?"
            parameters.append(seeker_id)
        sql += " ORDER BY time, id"
        for row in self._connection.execute(sql, parameters):
            yield Interaction.model_validate(dict(zip(INTERACTION_COLUMNS, row, strict=True)))

    def count_by_vacancy(self, kind: str) -> dict[str, int]:
        """Number of interactions of one kind (e.g. ``apply``) per vacancy id, counted in SQL."""
        return {
            vacancy_id: int(count)
            for vacancy_id, count in self._connection.execute(
                "SELECT vacancy_id, COUNT(*) FROM interactions WHERE kind = ? GROUP BY vacancy_id",
                (kind,),
            )
        }

    def count_interactions(self) -> dict[str, int]:
        """Number of interactions per kind."""
        return {
            kind: int(count)
            for kind, count in self._connection.execute(
                "SELECT kind, COUNT(*) FROM interactions GROUP BY kind ORDER BY kind"
            )
        }

    def is_empty(self) -> bool:
        """Whether no seeker, employer, vacancy or interaction is stored."""
        return not any(
            self._connection.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in ("seekers", "employers", "vacancies", "interactions")
        )

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts for ``jobmatch stats``: totals, by region, by priority group, by kind."""

        def pairs(sql: str) -> dict[str, int]:
            return {str(key): int(count) for key, count in self._connection.execute(sql)}

        counts = {
            table: int(self._connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("seekers", "contacts", "employers", "vacancies", "fairs")
        }
        counts["openings"] = int(
            self._connection.execute(
                "SELECT COALESCE(SUM(json_extract(data, '$.openings')), 0) FROM vacancies"
            ).fetchone()[0]
        )
        return {
            "counts": counts,
            "interactions": self.count_interactions(),
            "seekers_by_region": pairs(
                "SELECT region, COUNT(*) FROM seekers GROUP BY region ORDER BY COUNT(*) DESC"
            ),
            "vacancies_by_region": pairs(
                "SELECT region, COUNT(*) FROM vacancies GROUP BY region ORDER BY COUNT(*) DESC"
            ),
            "seekers_by_group": pairs(
                "SELECT value, COUNT(*) FROM seekers, json_each(seekers.data, '$.priority_groups') "
                "GROUP BY value ORDER BY COUNT(*) DESC"
            ),
        }

    # --- API keys (only their hashes) --------------------------------------------------------

    def put_api_key(
        self, key_id: str, *, name: str, tenant: str, scopes: Sequence[str], key_hash: str
    ) -> None:
        """Store a new API key's public id, owner, scopes and hash (never the key itself)."""
        with self.transaction() as connection:
            try:
                connection.execute(
                    "INSERT INTO api_keys (id, name, tenant, scopes, hash, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (key_id, name, tenant, ",".join(scopes), key_hash, _now()),
                )
            except sqlite3.IntegrityError:
                raise ConflictError(f"an API key with id {key_id!r} exists") from None

    def api_key(self, key_id: str) -> dict[str, Any] | None:
        """The stored row of an API key (``revoked_at`` None while valid), or None."""
        with self._lock:
            row = self._connection.execute(
                "SELECT id, name, tenant, scopes, hash, created_at, revoked_at "
                "FROM api_keys WHERE id = ?",
                (key_id,),
            ).fetchone()
        return None if row is None else _api_key_row(row)

    def api_keys(self) -> builtins.list[dict[str, Any]]:
        """Every API key's row, oldest first."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT id, name, tenant, scopes, hash, created_at, revoked_at "
                "FROM api_keys ORDER BY created_at, id"
            ).fetchall()
        return [_api_key_row(row) for row in rows]

    def revoke_api_key(self, key_id: str) -> None:
        """Mark an API key revoked (NotFound when unknown; revoking twice keeps the first
        time)."""
        with self.transaction() as connection:
            cursor = connection.execute(
                "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
                (_now(), key_id),
            )
            if cursor.rowcount == 0:
                raise NotFound("API key", key_id)

    # --- the change log (vacancies and employers) ------------------------------------------

    def last_change(self) -> int:
        """The sequence number of the newest logged change to a vacancy or employer (0: none)."""
        with self._lock:
            (seq,) = self._connection.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM changes"
            ).fetchone()
        return int(seq)

    def changes_since(
        self, seq: int, limit: int = 10_000
    ) -> builtins.list[tuple[int, str, str, str]]:
        """Changes after ``seq``, oldest first: ``(seq, kind, record_id, op)`` with kind
        ``vacancy``/``employer`` and op ``put``/``delete``. Triggers write the log in the same
        transaction as the change, whoever makes it (import, API, another process)."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT seq, kind, record_id, op FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
                (seq, limit),
            ).fetchall()
        return [(int(a), str(b), str(c), str(d)) for a, b, c, d in rows]

    def clear(self) -> None:
        """Delete every record (used by ``generate --replace``); the schema stays."""
        with self.transaction() as connection:
            for table in ("interactions", "contacts", "vacancies", "fairs", "seekers", "employers"):
                connection.execute(f"DELETE FROM {table}")


JobmatchWriteError = InvalidRecord | ConflictError
