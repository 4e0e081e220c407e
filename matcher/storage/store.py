"""SQLite storage: the one module that owns the schema and its migrations.

The database lives at ``$JOBMATCH_HOME/jobmatch.sqlite3`` (WAL journal, foreign keys on). Records
are kept as validated JSON beside the columns that queries filter on. Contact data has its own
table, written and read only through :meth:`Store.put_contact` / :meth:`Store.get_contact`.
Interactions are append-only.

Every write is one transaction: a batch is written whole or not at all.

**Tenants.** Every record (seekers and their contacts, employers, vacancies, fairs, interactions)
belongs to a tenant — the platform that wrote it — and its key is ``(tenant, id)``: two tenants
may both have a seeker ``S001`` and neither sees the other's. A :class:`Store` is a view bound
to one tenant (:attr:`Store.tenant`); every read, write and delete it makes is confined to that
tenant. :meth:`Store.open` gives the view of :data:`DEFAULT_TENANT` (``""``: single-tenant
installs and the command line); :meth:`Store.for_tenant` another view over the same connection.
The change log, the API keys, the staff accounts and the secrets are store-wide.
"""

from __future__ import annotations

import builtins
import copy
import datetime as dt
import hashlib
import hmac
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel

from matcher.domain.records import Contact, Employer, Fair, Interaction, Seeker, Vacancy
from matcher.errors import ConflictError, FieldProblem, InvalidRecord, NotFound

DATABASE_NAME = "jobmatch.sqlite3"

DEFAULT_TENANT = ""
"""The tenant of single-tenant installs, the command line and every record stored before
tenants existed (schema v4). No API-key tenant can be empty, so no platform shares it by name."""

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
    (
        4,
        # tenants: (tenant, id) keys; existing rows and keys without a tenant of their own go to
        # the default tenant ''; the secret behind candidates' opaque references
        """
        ALTER TABLE contacts RENAME TO contacts_v3;
        ALTER TABLE vacancies RENAME TO vacancies_v3;
        ALTER TABLE seekers RENAME TO seekers_v3;
        ALTER TABLE employers RENAME TO employers_v3;
        ALTER TABLE fairs RENAME TO fairs_v3;
        ALTER TABLE interactions RENAME TO interactions_v3;
        CREATE TABLE seekers (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            region TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant, id)
        );
        CREATE TABLE contacts (
            tenant TEXT NOT NULL,
            seeker_id TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant, seeker_id),
            FOREIGN KEY (tenant, seeker_id) REFERENCES seekers(tenant, id) ON DELETE CASCADE
        );
        CREATE TABLE employers (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            credit_code TEXT NOT NULL,
            region TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant, id),
            UNIQUE (tenant, credit_code)
        );
        CREATE TABLE vacancies (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            employer_id TEXT NOT NULL,
            region TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            status TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant, id),
            FOREIGN KEY (tenant, employer_id) REFERENCES employers(tenant, id)
        );
        CREATE TABLE fairs (
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            date TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant, id)
        );
        CREATE TABLE interactions (
            id INTEGER PRIMARY KEY,
            tenant TEXT NOT NULL,
            seeker_id TEXT NOT NULL,
            vacancy_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            time TEXT NOT NULL,
            position INTEGER,
            campaign_id TEXT,
            source TEXT NOT NULL,
            session_id TEXT
        );
        INSERT INTO seekers SELECT '', id, region, data, updated_at FROM seekers_v3;
        INSERT INTO contacts SELECT '', seeker_id, data, updated_at FROM contacts_v3;
        INSERT INTO employers
            SELECT '', id, credit_code, region, data, updated_at FROM employers_v3;
        INSERT INTO vacancies
            SELECT '', id, employer_id, region, valid_from, valid_until, status, data, updated_at
            FROM vacancies_v3;
        INSERT INTO fairs SELECT '', id, date, data, updated_at FROM fairs_v3;
        INSERT INTO interactions
            SELECT id, '', seeker_id, vacancy_id, kind, time, position, campaign_id, source,
                   session_id
            FROM interactions_v3;
        DROP TABLE contacts_v3;
        DROP TABLE vacancies_v3;
        DROP TABLE seekers_v3;
        DROP TABLE employers_v3;
        DROP TABLE fairs_v3;
        DROP TABLE interactions_v3;
        CREATE INDEX seekers_region ON seekers(tenant, region);
        CREATE INDEX vacancies_employer ON vacancies(tenant, employer_id);
        CREATE INDEX vacancies_dates ON vacancies(valid_from, valid_until);
        CREATE INDEX interactions_seeker ON interactions(tenant, seeker_id, time);
        CREATE INDEX interactions_vacancy ON interactions(tenant, vacancy_id);
        CREATE INDEX interactions_time ON interactions(time);
        CREATE TRIGGER interactions_no_update BEFORE UPDATE ON interactions
        BEGIN SELECT RAISE(ABORT, 'interactions are append-only'); END;
        ALTER TABLE changes ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
        CREATE TRIGGER vacancies_log_insert AFTER INSERT ON vacancies
        BEGIN INSERT INTO changes (tenant, kind, record_id, op)
        VALUES (NEW.tenant, 'vacancy', NEW.id, 'put'); END;
        CREATE TRIGGER vacancies_log_update AFTER UPDATE ON vacancies
        BEGIN INSERT INTO changes (tenant, kind, record_id, op)
        VALUES (NEW.tenant, 'vacancy', NEW.id, 'put'); END;
        CREATE TRIGGER vacancies_log_delete AFTER DELETE ON vacancies
        BEGIN INSERT INTO changes (tenant, kind, record_id, op)
        VALUES (OLD.tenant, 'vacancy', OLD.id, 'delete'); END;
        CREATE TRIGGER employers_log_insert AFTER INSERT ON employers
        BEGIN INSERT INTO changes (tenant, kind, record_id, op)
        VALUES (NEW.tenant, 'employer', NEW.id, 'put'); END;
        CREATE TRIGGER employers_log_update AFTER UPDATE ON employers
        BEGIN INSERT INTO changes (tenant, kind, record_id, op)
        VALUES (NEW.tenant, 'employer', NEW.id, 'put'); END;
        CREATE TRIGGER employers_log_delete AFTER DELETE ON employers
        BEGIN INSERT INTO changes (tenant, kind, record_id, op)
        VALUES (OLD.tenant, 'employer', OLD.id, 'delete'); END;
        UPDATE api_keys SET tenant = '' WHERE tenant = name;
        CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO secrets (name, value)
            VALUES ('candidate_reference', lower(hex(randomblob(32))));
        """,
    ),
    (
        5,
        # seekers join the change log: the engine's seeker index (candidates) follows them
        """
        CREATE TRIGGER seekers_log_insert AFTER INSERT ON seekers
        BEGIN INSERT INTO changes (tenant, kind, record_id, op)
        VALUES (NEW.tenant, 'seeker', NEW.id, 'put'); END;
        CREATE TRIGGER seekers_log_update AFTER UPDATE ON seekers
        BEGIN INSERT INTO changes (tenant, kind, record_id, op)
        VALUES (NEW.tenant, 'seeker', NEW.id, 'put'); END;
        CREATE TRIGGER seekers_log_delete AFTER DELETE ON seekers
        BEGIN INSERT INTO changes (tenant, kind, record_id, op)
        VALUES (OLD.tenant, 'seeker', OLD.id, 'delete'); END;
        """,
    ),
    (
        6,
        # staff accounts of the desk pages, their sessions and the key that signs the cookies
        """
        CREATE TABLE staff (
            name TEXT PRIMARY KEY,
            tenant TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            disabled_at TEXT
        );
        CREATE TABLE staff_sessions (
            token_hash TEXT PRIMARY KEY,
            staff_name TEXT NOT NULL REFERENCES staff(name) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX staff_sessions_expiry ON staff_sessions(expires_at);
        INSERT INTO secrets (name, value) VALUES ('desk_session', lower(hex(randomblob(32))));
        """,
    ),
    (
        7,
        # a campaign's interactions found by index (the progress report reads one campaign)
        """
        CREATE INDEX interactions_campaign ON interactions(tenant, campaign_id, time);
        """,
    ),
    (
        8,
        # the applications per vacancy that every index build reads (count_by_vacancy), counted
        # from this index alone: by interactions_vacancy SQLite read each row for its kind
        """
        CREATE INDEX interactions_kind ON interactions(tenant, kind, vacancy_id);
        """,
    ),
)
"""Versioned migrations, applied in order; ``PRAGMA user_version`` records the last one."""

SCHEMA_VERSION = MIGRATIONS[-1][0]

COUNT_BY_VACANCY = (
    "SELECT vacancy_id, COUNT(*) FROM interactions WHERE tenant = ? AND kind = ? "
    "GROUP BY vacancy_id"
)
"""Interactions of a tenant and kind per vacancy (read from the index interactions_kind)."""

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


class Change(NamedTuple):
    """One logged change to a vacancy, an employer or a seeker."""

    seq: int
    kind: str
    record_id: str
    op: str
    tenant: str


Entity = TypeVar("Entity", Seeker, Employer, Vacancy, Fair)

_TABLES: dict[type[BaseModel], str] = {
    Seeker: "seekers",
    Employer: "employers",
    Vacancy: "vacancies",
    Fair: "fairs",
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


_STAFF_NAMES = ("name", "tenant", "role", "password_hash", "created_at", "disabled_at")
_STAFF_COLUMNS = ", ".join(_STAFF_NAMES)


def _api_key_row(row: tuple[Any, ...]) -> dict[str, Any]:
    names = ("id", "name", "tenant", "scopes", "hash", "created_at", "revoked_at")
    found = dict(zip(names, row, strict=True))
    found["scopes"] = tuple(s for s in str(found["scopes"]).split(",") if s)
    return found


def _columns(record: BaseModel) -> dict[str, Any]:
    """The indexed columns of a record, besides id, data and updated_at."""
    if isinstance(record, Seeker):
        return {"region": record.region or ""}  # "" : not known (a seeker given as text)
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


class _Connection:
    """What every view of one database shares: the connection, its lock and the depth of the
    open transaction (nested blocks join the outermost, whichever view opened it)."""

    def __init__(self, path: Path) -> None:
        self.lock = threading.RLock()
        self.depth = 0
        self.secrets: dict[str, bytes] = {}
        self.connection = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=30.0
        )


def opaque_reference(secret: bytes, tenant: str, record_id: str) -> str:
    """``ref_`` and 80 bits of HMAC-SHA256(secret, tenant + US + id): the same record gives the
    same reference within a tenant, different tenants different ones, and without the secret
    neither the id nor another tenant's reference can be computed from it."""
    message = f"{tenant}\x1f{record_id}".encode()
    return "ref_" + hmac.new(secret, message, hashlib.sha256).hexdigest()[:20]


class Store:
    """A jobmatch database seen by one tenant. Open with :meth:`open`; use as a context manager
    to close it; :meth:`for_tenant` gives another tenant's view over the same connection.

    One connection per database, guarded by a lock so threads may share the object.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tenant = DEFAULT_TENANT
        self._shared = _Connection(self.path)
        self._lock = self._shared.lock
        self._connection = self._shared.connection
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._migrate()
        self._connection.execute("PRAGMA foreign_keys=ON")

    @classmethod
    def open(cls, home: str | Path) -> Store:
        """The store in the data directory ``home`` (created when missing), as the default
        tenant sees it."""
        return cls(Path(home) / DATABASE_NAME)

    def for_tenant(self, tenant: str) -> Store:
        """The same database as ``tenant`` sees it (shares the connection: closing either
        closes both)."""
        if not isinstance(tenant, str):
            raise TypeError(f"tenant must be a str, got {type(tenant).__name__}")
        if tenant == self.tenant:
            return self
        view = copy.copy(self)
        view.tenant = tenant
        return view

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
        """Apply pending migrations, each in one transaction, with foreign keys off while
        tables are rebuilt and checked before the commit."""
        with self._lock:
            if self.schema_version > SCHEMA_VERSION:
                raise ConflictError(
                    f"{self.path}: schema version {self.schema_version} is newer than this "
                    f"jobmatch ({SCHEMA_VERSION}); upgrade jobmatch"
                )
            if self.schema_version == SCHEMA_VERSION:
                return
            self._connection.execute("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction
            for version, script in MIGRATIONS:
                statements = [s.strip() for s in script.split(";\n") if s.strip()]
                with self.transaction() as connection:
                    if self.schema_version >= version:  # another process was first
                        continue
                    for statement in statements:
                        connection.execute(statement)
                    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise ConflictError(
                            f"{self.path}: migration {version} would break {len(broken)} "
                            "references; nothing was changed"
                        )
                    connection.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back whole when the block raises.

        Nested blocks join the outermost transaction, so several writes can be made atomic
        together (e.g. seekers and their contacts from one import file).
        """
        shared = self._shared
        with self._lock:
            connection = self._connection
            if shared.depth:
                shared.depth += 1
                try:
                    yield connection
                finally:
                    shared.depth -= 1
                return
            connection.execute("BEGIN IMMEDIATE")
            shared.depth = 1
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            finally:
                shared.depth = 0
            connection.execute("COMMIT")

    # --- tenants ---------------------------------------------------------------------------

    def tenants(self) -> builtins.list[str]:
        """Every tenant that has an employer or a vacancy, sorted (the engine's partitions)."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT tenant FROM employers UNION SELECT tenant FROM vacancies ORDER BY tenant"
            ).fetchall()
        return [str(tenant) for (tenant,) in rows]

    def reference_secret(self) -> bytes:
        """The store's secret behind opaque references (made by migration 4, never shown)."""
        return self.secret("candidate_reference")

    def seeker_reference(self, seeker_id: str) -> str:
        """The opaque reference employers see for this tenant's seeker ``seeker_id``."""
        return opaque_reference(self.reference_secret(), self.tenant, seeker_id)

    # --- seekers, employers, vacancies, fairs ---------------------------------------------

    def put(self, record: Seeker | Employer | Vacancy | Fair) -> None:
        """Insert or replace one record of this tenant."""
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
                columns = ["tenant", "id", *_columns(batch[0]), "data", "updated_at"]
                updates = ", ".join(f"{c} = excluded.{c}" for c in columns[2:])
                sql = (
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' for _ in columns)}) "
                    f"ON CONFLICT(tenant, id) DO UPDATE SET {updates}"
                )
                rows = [
                    (
                        self.tenant,
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
        """This tenant's record with this id, or :class:`NotFound` (also when another tenant
        has one)."""
        row = self._connection.execute(
            f"SELECT data FROM {_TABLES[kind]} WHERE tenant = ? AND id = ?",
            (self.tenant, record_id),
        ).fetchone()
        if row is None:
            raise NotFound(kind.__name__, record_id)
        return kind.model_validate_json(row[0])

    def _select_in(self, sql: str, values: Iterable[str]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql`` (``tenant = ?`` first, then one ``IN ({marks})``) for this tenant and
        distinct ``values``, 500 at a time."""
        distinct = list(dict.fromkeys(values))
        for start in range(0, len(distinct), 500):
            chunk = distinct[start : start + 500]
            yield from self._connection.execute(
                sql.format(marks=", ".join("?" for _ in chunk)), [self.tenant, *chunk]
            )

    def get_many(self, kind: type[Entity], record_ids: Sequence[str]) -> dict[str, Entity]:
        """Records by id for the ids that exist (missing ids are simply absent)."""
        sql = f"SELECT id, data FROM {_TABLES[kind]} WHERE tenant = ? AND id IN ({{marks}})"
        return {
            record_id: kind.model_validate_json(data)
            for record_id, data in self._select_in(sql, record_ids)
        }

    def exists(self, kind: type[Entity], record_ids: Iterable[str]) -> set[str]:
        """The subset of ``record_ids`` present in this tenant's records."""
        sql = f"SELECT id FROM {_TABLES[kind]} WHERE tenant = ? AND id IN ({{marks}})"
        return {row[0] for row in self._select_in(sql, record_ids)}

    def employers_by_credit_code(self, credit_codes: Iterable[str]) -> dict[str, str]:
        """Credit code → employer id, for the codes this tenant already has (credit codes are
        unique per tenant: two platforms may both list the same real employer)."""
        sql = "SELECT credit_code, id FROM employers WHERE tenant = ? AND credit_code IN ({marks})"
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
        sql = f"SELECT data FROM {table} WHERE tenant = ?"
        parameters: list[Any] = [self.tenant]
        if region is not None:
            if kind is Fair:
                raise ValueError("fairs cannot be filtered by region here")
            sql += " AND region LIKE ?"
            parameters.append(region + "%")
        sql += " ORDER BY id LIMIT ? OFFSET ?"
        parameters += [-1 if limit is None else limit, offset]
        for (data,) in self._connection.execute(sql, parameters).fetchall():
            yield kind.model_validate_json(data)

    def count(self, kind: type[Entity]) -> int:
        return int(
            self._connection.execute(
                f"SELECT COUNT(*) FROM {_TABLES[kind]} WHERE tenant = ?", (self.tenant,)
            ).fetchone()[0]
        )

    def delete(self, kind: type[Entity], record_id: str) -> None:
        """Delete one record (a seeker's contact goes with them), or :class:`NotFound`."""
        with self.transaction() as connection:
            if kind is Employer:
                (vacancies,) = connection.execute(
                    "SELECT COUNT(*) FROM vacancies WHERE tenant = ? AND employer_id = ?",
                    (self.tenant, record_id),
                ).fetchone()
                if vacancies:
                    raise ConflictError(
                        f"employer {record_id!r} still has {vacancies} vacancies; delete them first"
                    )
            cursor = connection.execute(
                f"DELETE FROM {_TABLES[kind]} WHERE tenant = ? AND id = ?",
                (self.tenant, record_id),
            )
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
                    "INSERT INTO contacts (tenant, seeker_id, data, updated_at) "
                    "VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(tenant, seeker_id) DO UPDATE SET data = excluded.data, "
                    "updated_at = excluded.updated_at",
                    [(self.tenant, c.seeker_id, c.model_dump_json(), stamp) for c in contacts],
                )
            except sqlite3.IntegrityError:
                raise InvalidRecord(
                    "Contact", [FieldProblem("seeker_id", "no seeker with this id in the store")]
                ) from None
        return len(contacts)

    def get_contact(self, seeker_id: str) -> Contact:
        row = self._connection.execute(
            "SELECT data FROM contacts WHERE tenant = ? AND seeker_id = ?",
            (self.tenant, seeker_id),
        ).fetchone()
        if row is None:
            raise NotFound("Contact", seeker_id)
        return Contact.model_validate_json(row[0])

    def count_contacts(self) -> int:
        return int(
            self._connection.execute(
                "SELECT COUNT(*) FROM contacts WHERE tenant = ?", (self.tenant,)
            ).fetchone()[0]
        )

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
        campaign_id, source, session_id) for this tenant — the fast path for the generator."""
        tenant = self.tenant
        with self.transaction() as connection:
            connection.executemany(
                f"INSERT INTO interactions (tenant, {', '.join(INTERACTION_COLUMNS)}) "
                f"VALUES (?, {', '.join('?' for _ in INTERACTION_COLUMNS)})",
                ((tenant, *row) for row in rows),
            )

    def iter_interactions(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        seeker_id: str | None = None,
        campaign_id: str | None = None,
    ) -> Iterator[Interaction]:
        """Interactions in time order, optionally within [since, until), for one seeker and
        of one campaign (by index)."""
        sql = f"SELECT {', '.join(INTERACTION_COLUMNS)} FROM interactions WHERE tenant = ?"
        parameters: list[Any] = [self.tenant]
        if campaign_id is not None:
            sql += " AND campaign_id = ?"
            parameters.append(campaign_id)
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
            for vacancy_id, count in self._connection.execute(COUNT_BY_VACANCY, (self.tenant, kind))
        }

    def count_interactions(self) -> dict[str, int]:
        """Number of interactions per kind."""
        return {
            kind: int(count)
            for kind, count in self._connection.execute(
                "SELECT kind, COUNT(*) FROM interactions WHERE tenant = ? "
                "GROUP BY kind ORDER BY kind",
                (self.tenant,),
            )
        }

    def is_empty(self) -> bool:
        """Whether this tenant has no seeker, employer, vacancy or interaction."""
        return not any(
            self._connection.execute(
                f"SELECT 1 FROM {table} WHERE tenant = ? LIMIT 1", (self.tenant,)
            ).fetchone()
            for table in ("seekers", "employers", "vacancies", "interactions")
        )

    def summary(self) -> dict[str, dict[str, int]]:
        """This tenant's counts for ``jobmatch stats``: totals, by region, by priority group,
        by kind."""

        def pairs(sql: str) -> dict[str, int]:
            return {
                str(key): int(count) for key, count in self._connection.execute(sql, (self.tenant,))
            }

        counts = {
            table: int(
                self._connection.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE tenant = ?", (self.tenant,)
                ).fetchone()[0]
            )
            for table in ("seekers", "contacts", "employers", "vacancies", "fairs")
        }
        counts["openings"] = int(
            self._connection.execute(
                "SELECT COALESCE(SUM(json_extract(data, '$.openings')), 0) FROM vacancies "
                "WHERE tenant = ?",
                (self.tenant,),
            ).fetchone()[0]
        )
        return {
            "counts": counts,
            "interactions": self.count_interactions(),
            "seekers_by_region": pairs(
                "SELECT region, COUNT(*) FROM seekers WHERE tenant = ? "
                "GROUP BY region ORDER BY COUNT(*) DESC"
            ),
            "vacancies_by_region": pairs(
                "SELECT region, COUNT(*) FROM vacancies WHERE tenant = ? "
                "GROUP BY region ORDER BY COUNT(*) DESC"
            ),
            "seekers_by_group": pairs(
                "SELECT value, COUNT(*) FROM seekers, json_each(seekers.data, '$.priority_groups') "
                "WHERE tenant = ? GROUP BY value ORDER BY COUNT(*) DESC"
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

    # --- staff accounts and their sessions (the desk pages) ----------------------------------

    def put_staff(self, name: str, *, tenant: str, role: str, password_hash: str) -> None:
        """Store a new staff account (ConflictError when the name is taken)."""
        with self.transaction() as connection:
            try:
                connection.execute(
                    "INSERT INTO staff (name, tenant, role, password_hash, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (name, tenant, role, password_hash, _now()),
                )
            except sqlite3.IntegrityError:
                raise ConflictError(f"a staff account named {name!r} exists") from None

    def staff(self, name: str) -> dict[str, Any] | None:
        """The stored row of a staff account, or None."""
        with self._lock:
            row = self._connection.execute(
                f"SELECT {_STAFF_COLUMNS} FROM staff WHERE name = ?", (name,)
            ).fetchone()
        return None if row is None else dict(zip(_STAFF_NAMES, row, strict=True))

    def staff_accounts(self) -> builtins.list[dict[str, Any]]:
        """Every staff account's row, by name."""
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_STAFF_COLUMNS} FROM staff ORDER BY name"
            ).fetchall()
        return [dict(zip(_STAFF_NAMES, row, strict=True)) for row in rows]

    def update_staff(
        self, name: str, *, password_hash: str | None = None, disabled: bool | None = None
    ) -> None:
        """Change an account's password or state (NotFound when unknown); a new password or
        disabling it ends every session it has."""
        with self.transaction() as connection:
            if connection.execute("SELECT 1 FROM staff WHERE name = ?", (name,)).fetchone() is None:
                raise NotFound("staff account", name)
            if password_hash is not None:
                connection.execute(
                    "UPDATE staff SET password_hash = ? WHERE name = ?", (password_hash, name)
                )
            if disabled is not None:
                connection.execute(
                    "UPDATE staff SET disabled_at = ? WHERE name = ?",
                    (_now() if disabled else None, name),
                )
            connection.execute("DELETE FROM staff_sessions WHERE staff_name = ?", (name,))

    def put_staff_session(
        self, token_hash: str, *, staff_name: str, csrf: str, expires_at: str
    ) -> None:
        """Store a new session (by the hash of its token) and drop expired ones."""
        now = _now()
        with self.transaction() as connection:
            connection.execute("DELETE FROM staff_sessions WHERE expires_at <= ?", (now,))
            connection.execute(
                "INSERT INTO staff_sessions (token_hash, staff_name, csrf, created_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?)",
                (token_hash, staff_name, csrf, now, expires_at),
            )

    def staff_session(self, token_hash: str) -> dict[str, Any] | None:
        """A session's row (staff_name, csrf, created_at, expires_at), or None."""
        with self._lock:
            row = self._connection.execute(
                "SELECT staff_name, csrf, created_at, expires_at FROM staff_sessions "
                "WHERE token_hash = ?",
                (token_hash,),
            ).fetchone()
        names = ("staff_name", "csrf", "created_at", "expires_at")
        return None if row is None else dict(zip(names, row, strict=True))

    def delete_staff_session(self, token_hash: str) -> None:
        """End a session (nothing when it is gone already)."""
        with self.transaction() as connection:
            connection.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (token_hash,))

    def secret(self, name: str) -> bytes:
        """A store-wide secret made by a migration (never shown): ``candidate_reference``,
        ``desk_session``."""
        found = self._shared.secrets.get(name)
        if found is None:
            with self._lock:
                row = self._connection.execute(
                    "SELECT value FROM secrets WHERE name = ?", (name,)
                ).fetchone()
            if row is None:
                raise NotFound("secret", name)
            found = self._shared.secrets[name] = bytes.fromhex(row[0])
        return found

    # --- the change log (vacancies, employers and seekers) ---------------------------------

    def last_change(self) -> int:
        """The sequence number of the newest logged change to a vacancy, employer or seeker
        (0: none)."""
        with self._lock:
            (seq,) = self._connection.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM changes"
            ).fetchone()
        return int(seq)

    def changes_since(self, seq: int, limit: int = 10_000) -> builtins.list[Change]:
        """Changes after ``seq`` in every tenant, oldest first: ``(seq, kind, record_id, op,
        tenant)`` with kind ``vacancy``/``employer``/``seeker`` (since schema v5) and op
        ``put``/``delete``. Triggers write
        the log in the same transaction as the change, whoever makes it (import, API, another
        process)."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT seq, kind, record_id, op, tenant FROM changes WHERE seq > ? "
                "ORDER BY seq LIMIT ?",
                (seq, limit),
            ).fetchall()
        return [Change(int(a), str(b), str(c), str(d), str(e)) for a, b, c, d, e in rows]

    def clear(self) -> None:
        """Delete every record of this tenant (used by ``generate --replace``); the schema and
        other tenants' records stay."""
        with self.transaction() as connection:
            for table in ("interactions", "contacts", "vacancies", "fairs", "seekers", "employers"):
                connection.execute(f"DELETE FROM {table} WHERE tenant = ?", (self.tenant,))


JobmatchWriteError = InvalidRecord | ConflictError
