"""The model registry: bundle folders under one root, one active version, promote and roll back.

Layout of the root::

    <root>/
      <version>/            a bundle (:mod:`models.bundle`), written by ``write_bundle(root, …)``
      .staging-<random>/    a bundle being written (or left by a crash); never listed
      ACTIVE                the active version's name and a newline; absent until a promotion
      history.jsonl         one JSON object per promotion or rollback:
                            {"time", "action": "promote"|"rollback", "previous", "version"}
      .lock                 held (``flock``) while the pointer and the history change

Exactly one version is active at a time because the pointer file names it. :meth:`promote`
verifies the bundle and replaces ``ACTIVE`` durably with :func:`models.files.atomic_write`: a
reader sees the old name or the new one, never a half-written file. Readers only read the
pointer; promotions and rollbacks never delete a bundle, so a process that loaded one keeps
using it.

Errors
------
::

    ValueError
    ├── BundleError      (models.bundle) a bundle that fails verification
    └── RegistryError    an unknown version (the message lists the known ones), nothing to roll
                         back to, an unreadable pointer or history
"""

from __future__ import annotations

import builtins
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from models.bundle import (
    Bundle,
    BundleError,
    BundleInfo,
    is_valid_version,
    open_bundle,
    read_manifest,
)
from models.files import atomic_write, exclusive_lock

ACTIVE_FILE = "ACTIVE"
HISTORY_FILE = "history.jsonl"
LOCK_FILE = ".lock"

Action = Literal["promote", "rollback"]


class RegistryError(ValueError):
    """An unknown version, nothing to roll back to, or an unreadable pointer or history."""


@dataclass(frozen=True)
class RegistryEntry:
    """One bundle of the registry as :meth:`ModelRegistry.list` returns it.

    Attributes
    ----------
    info : BundleInfo
        Its manifest (read, not verified: :meth:`ModelRegistry.get` verifies).
    active : bool
        Whether the pointer names it.
    """

    info: BundleInfo
    active: bool

    @property
    def version(self) -> str:
        return self.info.version


@dataclass(frozen=True)
class HistoryEntry:
    """One line of ``history.jsonl``: the active version changed from ``previous`` to
    ``version`` (``previous`` is None for the first promotion)."""

    time: datetime
    action: Action
    previous: str | None
    version: str

    def to_json(self) -> dict[str, Any]:
        return {
            "time": self.time.isoformat(),
            "action": self.action,
            "previous": self.previous,
            "version": self.version,
        }


class ModelRegistry:
    """Bundles under ``root``, one of them active.

    Parameters
    ----------
    root : Path
        The registry folder; created by the first write. New bundles are written into it with
        ``models.bundle.write_bundle(registry.root, …)``.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"ModelRegistry({str(self.root)!r})"

    def versions(self) -> list[str]:
        """Names of the bundle folders, sorted by name (staging folders excluded)."""
        if not self.root.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.root.iterdir()
            if entry.is_dir() and not entry.is_symlink() and is_valid_version(entry.name)
        )

    def list(self) -> list[RegistryEntry]:
        """Every readable bundle, oldest first (by ``created``, then version), with its active
        flag; folders whose manifest cannot be read are left out and reported by
        :meth:`unreadable`."""
        active = self.active_version()
        entries = []
        for version in self.versions():
            try:
                info = self._manifest(version)
            except BundleError:
                continue
            entries.append(RegistryEntry(info=info, active=version == active))
        return sorted(entries, key=lambda entry: (entry.info.created, entry.version))

    def unreadable(self) -> dict[str, str]:
        """Bundle folders whose manifest is missing or invalid, each with the reason."""
        problems: dict[str, str] = {}
        for version in self.versions():
            try:
                self._manifest(version)
            except BundleError as error:
                problems[version] = "; ".join(error.problems)
        return problems

    def get(self, version: str) -> Bundle:
        """The verified bundle ``version``.

        Raises
        ------
        RegistryError
            No such version (the message lists the known ones).
        BundleError
            The bundle fails verification, or its manifest names another version.
        """
        path = self._path(version)
        bundle = open_bundle(path)
        if bundle.manifest.version != version:
            raise BundleError(
                path,
                [f"manifest.json: version {bundle.manifest.version!r} but folder {version!r}"],
            )
        return bundle

    def active_version(self) -> str | None:
        """The version the pointer names, or None before the first promotion."""
        pointer = self.root / ACTIVE_FILE
        try:
            text = pointer.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise RegistryError(f"{pointer}: cannot read the active pointer ({error})") from error
        version = text.strip()
        if not is_valid_version(version):
            raise RegistryError(f"{pointer}: {version!r} is not a version name")
        return version

    def active(self) -> Bundle | None:
        """The verified active bundle, or None before the first promotion."""
        version = self.active_version()
        return None if version is None else self.get(version)

    def promote(self, version: str) -> Bundle:
        """Make ``version`` the active one after verifying it; returns the verified bundle.

        Promoting the active version changes nothing. The pointer is replaced atomically; when
        anything fails (verification, the write) the pointer and the history are unchanged.

        Raises
        ------
        RegistryError
            No such version.
        BundleError
            The bundle fails verification.
        """
        with self._locked():
            bundle = self.get(version)
            previous = self.active_version()
            if previous != version:
                self._write_pointer(version)
                self._append_history("promote", previous, version)
        return bundle

    def rollback(self) -> str:
        """Go back to the version that was active before the current one; returns it.

        Successive rollbacks walk back through the promotions (A → B → C, rollback: B, rollback:
        A). The version rolled back to is verified first.

        Raises
        ------
        RegistryError
            Nothing to roll back to, or that version no longer exists.
        BundleError
            That version fails verification.
        """
        with self._locked():
            current = self.active_version()
            target = self.rollback_target()
            if target is None:
                raise RegistryError(
                    f"nothing to roll back to in {self.root}: active version {current!r} "
                    "has no earlier active version in the history"
                )
            self.get(target)
            self._write_pointer(target)
            self._append_history("rollback", current, target)
        return target

    def rollback_target(self) -> str | None:
        """The version :meth:`rollback` would make active, or None when there is none."""
        stack = _active_stack(self.history(), self.active_version())
        return stack[-2] if len(stack) >= 2 else None

    def history(self) -> builtins.list[HistoryEntry]:
        """Every promotion and rollback, oldest first.

        Raises
        ------
        RegistryError
            A line of ``history.jsonl`` is not a valid entry (the message gives its number).
        """
        path = self.root / HISTORY_FILE
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entries.append(_parse_history(json.loads(line)))
            except (json.JSONDecodeError, ValueError, TypeError, KeyError) as error:
                raise RegistryError(f"{path} line {number}: not a valid entry ({error})") from error
        return entries

    def compare(self, versions: Sequence[str]) -> dict[str, dict[str, float | None]]:
        """Numeric metrics of several versions side by side.

        Nested metrics are flattened to dotted names (``{"overall": {"ndcg@10": …}}`` →
        ``"overall.ndcg@10"``); non-numeric values are left out.

        Returns
        -------
        dict of metric name to (dict of version to value, None where the version lacks it),
        metric names sorted
        """
        flat = {version: _flatten(self._manifest(version).metrics) for version in versions}
        names = sorted({name for metrics in flat.values() for name in metrics})
        return {name: {version: flat[version].get(name) for version in versions} for name in names}

    def _path(self, version: str) -> Path:
        path = self.root / version
        if not is_valid_version(version) or path.is_symlink() or not path.is_dir():
            known = ", ".join(self.versions()) or "none"
            raise RegistryError(f"unknown version {version!r} in {self.root}; known: {known}")
        return path

    def _manifest(self, version: str) -> BundleInfo:
        path = self._path(version)
        info = read_manifest(path)
        if info.version != version:
            raise BundleError(
                path, [f"manifest.json: version {info.version!r} but folder {version!r}"]
            )
        return info

    def _write_pointer(self, version: str) -> None:
        """Replace ``ACTIVE`` atomically and durably (file and folder flushed to disk)."""
        atomic_write(self.root / ACTIVE_FILE, version + "\n", durable=True)

    def _append_history(self, action: Action, previous: str | None, version: str) -> None:
        entry = HistoryEntry(datetime.now(UTC), action, previous, version)
        with (self.root / HISTORY_FILE).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold an exclusive lock on ``root/.lock`` so the pointer and history change together
        (:func:`models.files.exclusive_lock`)."""
        with exclusive_lock(self.root / LOCK_FILE):
            yield


def _active_stack(history: Sequence[HistoryEntry], current: str | None) -> list[str]:
    """The versions that were active, most recent last, that rollbacks walk back through.

    A promotion pushes its version, a rollback pops. When the pointer names a version the
    history does not end with (edited by hand, or a crash between the pointer and the history),
    that version is taken as pushed on top.
    """
    stack: list[str] = []
    for entry in history:
        if entry.action == "rollback" and stack:
            stack.pop()
        if not stack or stack[-1] != entry.version:
            stack.append(entry.version)
    if current is not None and (not stack or stack[-1] != current):
        stack.append(current)
    return stack


def _parse_history(data: Any) -> HistoryEntry:
    if not isinstance(data, dict):
        raise TypeError(f"expected a JSON object, got {type(data).__name__}")
    action = data["action"]
    if action not in ("promote", "rollback"):
        raise ValueError(f"action {action!r} is not 'promote' or 'rollback'")
    previous, version = data["previous"], data["version"]
    if previous is not None and not isinstance(previous, str):
        raise TypeError(f"previous {previous!r} is not a version name or null")
    if not isinstance(version, str):
        raise TypeError(f"version {version!r} is not a version name")
    time = datetime.fromisoformat(data["time"])
    return HistoryEntry(time=time, action=action, previous=previous, version=version)


def _flatten(metrics: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    flat: dict[str, float] = {}
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            flat[name] = float(value)
    return flat
