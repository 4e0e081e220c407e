"""Model bundles: one folder per version, every file listed with its SHA-256 in ``manifest.json``.

A bundle is ``<registry root>/<version>/`` holding whatever the trainer wrote (by convention the
ranker in ``ranker/``, the fitted vectoriser in ``vectorizer/``, JSON artefacts beside them) and
``manifest.json``::

    {
      "format": 1,
      "version": "20240501-083000-a1b2c3",
      "created": "2024-05-01T08:30:00.123456+00:00",     ISO 8601, UTC
      "ranker_kind": "lambdamart",
      "data_hash": "<64 hex>",                            SHA-256 of the training data
      "feature_names": ["skill_overlap", ...],
      "params": {...},
      "metrics": {...},                                    nested, as the evaluation wrote it
      "libraries": {"python": "3.11.7", "numpy": "2.4.6", ...},
      "notes": "",
      "files": {"ranker/model.txt": "<64 hex>", ...}      every file except the manifest
    }

:func:`write_bundle` builds the folder under ``root/.staging-<random>``, hashes and fsyncs every
file, writes the manifest and renames the folder to ``root/<version>`` in one step, so a bundle
folder is either complete or absent. :func:`open_bundle` verifies a folder **before anything in
it is loaded**: the manifest is valid, every listed file is present with its SHA-256, and no
file is unlisted. Loading the ranker is the caller's job afterwards (:func:`load_ranker`).

Errors
------
::

    ValueError
    └── BundleError    a bundle that cannot be written or fails verification; the message names
                       the file and the problem, ``problems`` lists every one found

Verification reads the files once to hash them; a process that can rewrite the bundle folder
between verification and loading is outside what this module protects against (keep the
registry root writable only by the trainer).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from models.base import Ranker
from models.files import fsync_directory

FORMAT = 1
"""Layout version of ``manifest.json``; a bundle with another value is refused."""

MANIFEST_FILE = "manifest.json"
RANKER_DIR = "ranker"
"""Folder of the bundle the ranker is saved into (``ranker.save(staging / RANKER_DIR)``)."""

STAGING_PREFIX = ".staging-"
"""Prefix of the folders :func:`write_bundle` builds in; names starting with ``.`` are never
versions, so a folder left by a crash never shows up as a bundle."""

LIBRARIES = ("numpy", "scipy", "scikit-learn", "lightgbm", "jobmatch")
"""Distributions whose installed version the manifest records (when installed), beside Python."""

MANIFEST_KEYS = frozenset(
    {
        "format",
        "version",
        "created",
        "ranker_kind",
        "data_hash",
        "feature_names",
        "params",
        "metrics",
        "libraries",
        "notes",
        "files",
    }
)

_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_RESERVED_VERSIONS = frozenset({"ACTIVE", "ACTIVE.tmp", "history.jsonl"})
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20


class BundleError(ValueError):
    """A bundle that cannot be written, or a folder that fails verification.

    Attributes
    ----------
    path : Path
        The bundle folder (or the staging folder while writing).
    problems : list of str
        Each problem found, as ``"<relative path>: <what is wrong>"``.
    """

    def __init__(self, path: Path, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = list(problems)
        super().__init__(f"bundle {path} refused: " + "; ".join(self.problems))


@dataclass(frozen=True)
class BundleInfo:
    """The parsed ``manifest.json`` of a bundle (see the module docstring for the JSON layout).

    Attributes
    ----------
    version : str
    created : datetime, timezone-aware UTC
    ranker_kind : str
        Key of the ranker class in the caller's registry of kinds.
    data_hash : str
        SHA-256 (64 lowercase hex digits) of the training data, as the trainer computed it.
    feature_names : tuple of str, length n_features
    params : mapping of str to JSON values
    metrics : mapping of str to JSON values, nested
    libraries : mapping of str to str
        ``python`` and each installed distribution of :data:`LIBRARIES` to its version.
    notes : str
    files : mapping of str to str
        Relative POSIX path of every file but the manifest to its SHA-256.
    format : int
    """

    version: str
    created: datetime
    ranker_kind: str
    data_hash: str
    feature_names: tuple[str, ...]
    params: Mapping[str, Any]
    metrics: Mapping[str, Any]
    libraries: Mapping[str, str]
    notes: str
    files: Mapping[str, str]
    format: int = FORMAT

    def to_json(self) -> dict[str, Any]:
        """The manifest as a JSON-ready dict, keys in the documented order."""
        return {
            "format": self.format,
            "version": self.version,
            "created": self.created.isoformat(),
            "ranker_kind": self.ranker_kind,
            "data_hash": self.data_hash,
            "feature_names": list(self.feature_names),
            "params": _plain(self.params),
            "metrics": _plain(self.metrics),
            "libraries": dict(self.libraries),
            "notes": self.notes,
            "files": dict(sorted(self.files.items())),
        }

    @classmethod
    def from_json(cls, data: object) -> BundleInfo:
        """Parse and check a decoded manifest; ``ValueError`` says which key is wrong."""
        if not isinstance(data, dict):
            raise ValueError(f"must be a JSON object, got {type(data).__name__}")
        missing = sorted(MANIFEST_KEYS - data.keys())
        unknown = sorted(data.keys() - MANIFEST_KEYS)
        if missing or unknown:
            raise ValueError(f"keys missing {missing}, keys unknown {unknown}")
        if data["format"] != FORMAT or isinstance(data["format"], bool):
            raise ValueError(f"format {data['format']!r} is not the supported format {FORMAT}")
        version = data["version"]
        if not isinstance(version, str) or not is_valid_version(version):
            raise ValueError(f"version {version!r} is not a valid version name")
        created = _parse_created(data["created"])
        kind = data["ranker_kind"]
        if not isinstance(kind, str) or not kind:
            raise ValueError(f"ranker_kind {kind!r} must be a non-empty string")
        data_hash = data["data_hash"]
        if not isinstance(data_hash, str) or not _SHA256.fullmatch(data_hash):
            raise ValueError(f"data_hash {data_hash!r} is not a SHA-256 (64 lowercase hex)")
        names = data["feature_names"]
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ValueError("feature_names must be a list of strings")
        for key in ("params", "metrics", "libraries", "files"):
            if not isinstance(data[key], dict):
                raise ValueError(f"{key} must be a JSON object")
        libraries = data["libraries"]
        if not all(isinstance(value, str) for value in libraries.values()):
            raise ValueError("libraries must map names to version strings")
        if not isinstance(data["notes"], str):
            raise ValueError("notes must be a string")
        files: dict[str, str] = {}
        for relative, digest in data["files"].items():
            problem = _relative_path_problem(relative)
            if problem:
                raise ValueError(f"files: {relative!r} {problem}")
            if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
                raise ValueError(f"files: {relative!r} has no valid SHA-256 ({digest!r})")
            files[relative] = digest
        return cls(
            version=version,
            created=created,
            ranker_kind=kind,
            data_hash=data_hash,
            feature_names=tuple(names),
            params=data["params"],
            metrics=data["metrics"],
            libraries=libraries,
            notes=data["notes"],
            files=files,
            format=FORMAT,
        )


@dataclass(frozen=True)
class Bundle:
    """A bundle folder that passed verification; made by :func:`open_bundle`.

    Attributes
    ----------
    path : Path
        The bundle folder.
    manifest : BundleInfo
    """

    path: Path
    manifest: BundleInfo

    @property
    def version(self) -> str:
        return self.manifest.version

    def file(self, relative: str) -> Path:
        """Path of a listed file, or of a folder holding listed files (``"ranker"``).

        Raises
        ------
        BundleError
            ``relative`` is neither a listed file nor a folder of listed files.
        """
        relative = relative.strip("/")
        prefix = relative + "/"
        if relative in self.manifest.files or any(
            name.startswith(prefix) for name in self.manifest.files
        ):
            return self.path.joinpath(*PurePosixPath(relative).parts)
        listed = ", ".join(sorted(self.manifest.files)) or "none"
        raise BundleError(self.path, [f"{relative}: not in the bundle (files: {listed})"])


def is_valid_version(version: str) -> bool:
    """Whether ``version`` can name a bundle folder: letters, digits, ``.``, ``_``, ``-``, at
    most 100 characters, not starting with ``.``, ``_`` or ``-``, and not a registry file name."""
    return bool(_VERSION.fullmatch(version)) and version not in _RESERVED_VERSIONS


def new_version(now: datetime | None = None) -> str:
    """A sortable, unique version name: ``YYYYMMDD-HHMMSS-<6 hex>`` (UTC)."""
    now = now or datetime.now(UTC)
    return f"{now.astimezone(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def library_versions() -> dict[str, str]:
    """Python and each installed distribution of :data:`LIBRARIES` to its version."""
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def library_differences(info: BundleInfo) -> dict[str, tuple[str, str | None]]:
    """Libraries whose version here differs from the one the bundle was written with.

    Returns
    -------
    dict of str to (recorded version, installed version or None when not installed)
    """
    installed = library_versions()
    return {
        name: (recorded, installed.get(name))
        for name, recorded in info.libraries.items()
        if installed.get(name) != recorded
    }


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks, as 64 lowercase hex digits."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_bundle(
    root: Path,
    *,
    ranker_kind: str,
    feature_names: Sequence[str],
    params: Mapping[str, Any],
    metrics: Mapping[str, Any],
    data_hash: str,
    write_files: Callable[[Path], None],
    version: str | None = None,
    notes: str = "",
) -> BundleInfo:
    """Write a new bundle folder ``root/<version>`` atomically.

    Parameters
    ----------
    root : Path
        The registry root; created if needed.
    ranker_kind : str
        Key of the ranker class (``Ranker.kind``).
    feature_names : sequence of str, length n_features
    params, metrics : mapping of str to JSON values
        numpy scalars and arrays are written as plain numbers and lists.
    data_hash : str
        SHA-256 of the training data (64 hex digits).
    write_files : callable taking the staging folder
        Writes the bundle's files into it, e.g. ``ranker.save(staging / RANKER_DIR)``; must not
        write ``manifest.json``.
    version : str, optional
        Default :func:`new_version`.
    notes : str

    Returns
    -------
    BundleInfo
        The manifest written.

    Raises
    ------
    ValueError
        A bad argument (version name, data hash, empty kind).
    BundleError
        ``version`` already exists, or ``write_files`` wrote a manifest, a symbolic link or a
        special file. Nothing is left behind: the staging folder is removed on any failure.
    """
    if not isinstance(ranker_kind, str) or not ranker_kind:
        raise ValueError(f"ranker_kind must be a non-empty string, got {ranker_kind!r}")
    data_hash = data_hash.lower()
    if not _SHA256.fullmatch(data_hash):
        raise ValueError(f"data_hash must be a SHA-256 (64 hex digits), got {data_hash!r}")
    names = tuple(feature_names)
    if not all(isinstance(name, str) for name in names):
        raise TypeError("feature_names must be strings")
    created = datetime.now(UTC)
    version = new_version(created) if version is None else version
    if not is_valid_version(version):
        raise ValueError(
            f"version {version!r} is not valid: use letters, digits, '.', '_' and '-', at most "
            "100 characters, starting with a letter or digit"
        )
    root.mkdir(parents=True, exist_ok=True)
    target = root / version
    if target.exists():
        raise BundleError(target, [f"{version}: version already exists in {root}"])
    staging = root / f"{STAGING_PREFIX}{secrets.token_hex(8)}"
    staging.mkdir()
    try:
        write_files(staging)
        files = _hash_and_sync(staging)
        info = BundleInfo(
            version=version,
            created=created,
            ranker_kind=ranker_kind,
            data_hash=data_hash,
            feature_names=names,
            params=_plain(params),
            metrics=_plain(metrics),
            libraries=library_versions(),
            notes=notes,
            files=files,
        )
        text = json.dumps(info.to_json(), ensure_ascii=False, indent=2) + "\n"
        with (staging / MANIFEST_FILE).open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        fsync_directory(staging)
        if target.exists():
            raise BundleError(target, [f"{version}: version already exists in {root}"])
        try:
            os.rename(staging, target)
        except OSError as error:
            raise BundleError(target, [f"{version}: cannot create the folder ({error})"]) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_directory(root)
    return info


def read_manifest(path: Path) -> BundleInfo:
    """Parse ``path/manifest.json`` without hashing the files (for listing; not a verification).

    Raises
    ------
    BundleError
        The folder or its manifest is missing, or the manifest is not valid.
    """
    if not path.is_dir():
        raise BundleError(path, [f"{path.name}: not a bundle folder (missing or not a folder)"])
    manifest = path / MANIFEST_FILE
    if manifest.is_symlink() or not manifest.is_file():
        raise BundleError(path, [f"{MANIFEST_FILE}: missing file"])
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleError(path, [f"{MANIFEST_FILE}: not valid JSON ({error})"]) from error
    try:
        return BundleInfo.from_json(data)
    except ValueError as error:
        raise BundleError(path, [f"{MANIFEST_FILE}: {error}"]) from error


def open_bundle(path: Path) -> Bundle:
    """Verify a bundle folder and return it; nothing in it is loaded.

    Checks that the manifest is valid, that every listed file is a regular file with the listed
    SHA-256, and that there is no other file, folder link or special file.

    Raises
    ------
    BundleError
        Verification failed; ``problems`` names each file and what is wrong with it, e.g.
        ``"ranker/model.txt: SHA-256 mismatch (tampered or corrupt)"``.
    """
    info = read_manifest(path)
    problems: list[str] = []
    for relative, expected in sorted(info.files.items()):
        file = path.joinpath(*PurePosixPath(relative).parts)
        if file.is_symlink():
            problems.append(f"{relative}: symbolic link (only regular files are allowed)")
        elif not file.exists():
            problems.append(f"{relative}: missing file")
        elif not file.is_file():
            problems.append(f"{relative}: not a regular file")
        elif sha256_file(file) != expected:
            problems.append(f"{relative}: SHA-256 mismatch (tampered or corrupt)")
    for relative, kind in _walk(path):
        if relative == MANIFEST_FILE or relative in info.files:
            continue
        if kind == "file":
            problems.append(f"{relative}: unexpected file (not listed in the manifest)")
        elif kind != "dir":
            problems.append(f"{relative}: unexpected {kind}")
    if problems:
        raise BundleError(path, problems)
    return Bundle(path=path, manifest=info)


def load_ranker(bundle: Bundle, kinds: Mapping[str, type[Ranker]]) -> Ranker:
    """Load the ranker of a verified bundle from its ``ranker/`` folder.

    Parameters
    ----------
    bundle : Bundle
        From :func:`open_bundle` (already verified).
    kinds : mapping of str to Ranker class
        The ranker classes by ``kind`` (e.g. the registry of ``models.rankers``).

    Raises
    ------
    BundleError
        The kind is not in ``kinds``, or the loaded ranker's feature names differ from the
        manifest's.
    """
    kind = bundle.manifest.ranker_kind
    if kind not in kinds:
        raise BundleError(
            bundle.path,
            [f"{MANIFEST_FILE}: unknown ranker_kind {kind!r}, known: {sorted(kinds)}"],
        )
    ranker = kinds[kind].load(bundle.file(RANKER_DIR))
    if tuple(ranker.feature_names_) != bundle.manifest.feature_names:
        raise BundleError(
            bundle.path,
            [
                f"{RANKER_DIR}: feature names {list(ranker.feature_names_)} differ from the "
                f"manifest's {list(bundle.manifest.feature_names)}"
            ],
        )
    return ranker


def _hash_and_sync(staging: Path) -> dict[str, str]:
    """SHA-256 of every file under ``staging`` (fsynced as it is read); refuses anything else."""
    files: dict[str, str] = {}
    problems: list[str] = []
    for relative, kind in _walk(staging):
        if relative == MANIFEST_FILE:
            problems.append(f"{MANIFEST_FILE}: written by write_files (the bundle writes it)")
        elif kind == "file":
            file = staging.joinpath(*PurePosixPath(relative).parts)
            digest = hashlib.sha256()
            with file.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                os.fsync(handle.fileno())
            files[relative] = digest.hexdigest()
        elif kind == "dir":
            fsync_directory(staging.joinpath(*PurePosixPath(relative).parts))
        else:
            problems.append(f"{relative}: {kind} (only regular files and folders are allowed)")
    if problems:
        raise BundleError(staging, problems)
    return files


def _walk(folder: Path) -> list[tuple[str, str]]:
    """Every entry under ``folder`` as (relative POSIX path, kind), not following links; kind is
    ``"file"``, ``"dir"``, ``"symbolic link"`` or ``"special file"``."""
    entries: list[tuple[str, str]] = []
    for current, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(current)
        for name in sorted(dirnames) + sorted(filenames):
            entry = base / name
            relative = entry.relative_to(folder).as_posix()
            if entry.is_symlink():
                kind = "symbolic link"
            elif entry.is_dir():
                kind = "dir"
            elif entry.is_file():
                kind = "file"
            else:
                kind = "special file"
            entries.append((relative, kind))
    return entries


def _relative_path_problem(relative: object) -> str:
    """What is wrong with a manifest file name, or ``""`` when it is a safe relative path."""
    if not isinstance(relative, str) or not relative:
        return "is not a non-empty string"
    if "\\" in relative or relative.startswith("/") or PurePosixPath(relative).is_absolute():
        return "is not a relative POSIX path"
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "has an empty, '.' or '..' component"
    if relative == MANIFEST_FILE:
        return "is the manifest itself"
    return ""


def _parse_created(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"created {value!r} must be an ISO 8601 string")
    try:
        created = datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"created {value!r} is not an ISO 8601 time") from error
    if created.tzinfo is None:
        raise ValueError(f"created {value!r} has no time zone (expected UTC)")
    return created.astimezone(UTC)


def _plain(value: Any) -> Any:
    """A deep copy of ``value`` as plain JSON types (numpy scalars and arrays converted).

    Raises
    ------
    TypeError
        A value JSON cannot hold (the message names its type).
    """
    if isinstance(value, Mapping):
        plain: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be strings, got {key!r}")
            plain[key] = _plain(item)
        return plain
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return _plain(value.item())
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} value {value!r} cannot be written to JSON")
