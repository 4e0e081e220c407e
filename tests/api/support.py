"""Helpers of the API tests: the shared small world, copies of it, and a served app.

The world is built once per session (600 seekers, 150 vacancies, seed 5; a small LambdaMART
model trained and promoted; one API key per scope) and treated as read-mostly: tests that write
use fresh ids, and tests that change models or write at random (promotion, schemathesis) run on
a copy made with SQLite's backup API.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.exceptions import StarletteDeprecationWarning

from api import ApiSettings, create_app
from matcher.learning.training import save_run, train_run
from matcher.ranking.serving import registry_for
from matcher.storage.apikeys import SCOPES, ApiKeys
from matcher.storage.store import DATABASE_NAME, Store
from matcher.synth import generate
from tests.conftest import today_of

with warnings.catch_warnings():
    # Starlette's TestClient prefers the httpx2 package; the project's environment has httpx.
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning, message=".*httpx2")
    from fastapi.testclient import TestClient as TestClient

SMALL_MODEL: dict[str, Any] = {"num_iterations": 30, "num_threads": 1}
"""A LambdaMART small enough to train in about a second."""

WORLD_SEEKERS = 600
WORLD_VACANCIES = 150
"""The world's size. With 300 seekers and 120 vacancies a redrawn world (a lexicon row changes
what the generator writes) could teach the small model to put a 销售代表 post preferring a C1
licence above every driver and guard post for the veteran of the desk tests; at this size the
veteran's first post was a driver or guard post in each of the eight worlds of seeds 5–12, with
and without such a change."""


@dataclass(frozen=True)
class World:
    """A data directory with data, an active model and one API key per scope."""

    home: Path
    today: dt.date
    version: str
    keys: dict[str, str]
    """Scope → the key's secret text; ``"none"`` is a key with ``read`` to test 403s against."""
    key_ids: dict[str, str]

    def headers(self, scope: str) -> dict[str, str]:
        """The ``X-API-Key`` header of the key with ``scope``."""
        return {"X-API-Key": self.keys[scope]}


def build_world(home: Path) -> World:
    """Generate the data, train and promote a model, create the keys."""
    with Store.open(home) as store:
        generate(store, seekers=WORLD_SEEKERS, vacancies=WORLD_VACANCIES, seed=5)
        run = train_run(store, baselines=(), params=SMALL_MODEL)
        registry = registry_for(home)
        info = save_run(registry, run, notes="api tests: first model")
        registry.promote(info.version)
        keys: dict[str, str] = {}
        key_ids: dict[str, str] = {}
        api_keys = ApiKeys(store)
        for scope in SCOPES:
            key, secret = api_keys.create(f"{scope} platform", [scope])
            keys[scope], key_ids[scope] = secret, key.id
    return World(home, today_of(run.test_from), info.version, keys, key_ids)


def copy_world(world: World, target: Path) -> World:
    """The same world in ``target`` (the database copied with SQLite's backup API)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(world.home / "models", target / "models")
    source = world.home / DATABASE_NAME
    with (
        closing(sqlite3.connect(source)) as reading,
        closing(sqlite3.connect(target / DATABASE_NAME)) as writing,
    ):
        reading.backup(writing)
    return World(target, world.today, world.version, world.keys, world.key_ids)


@contextmanager
def serve(world: World, **settings: Any) -> Iterator[TestClient]:
    """A TestClient of a new app over ``world`` (lifespan run), with extra settings."""
    app = create_app(ApiSettings(home=world.home, today=world.today, **settings))
    with TestClient(app) as client:
        yield client


def seeker_body(**changes: Any) -> dict[str, Any]:
    """A valid inline seeker (an electrician in 船山区)."""
    body: dict[str, Any] = {
        "region": "510903",
        "birth_year": 1985,
        "education": "中专",
        "skills": ["设备维修", "电气接线"],
        "certificates": ["低压电工证"],
        "experience_years": 10,
        "resume_text": "求职意向：电工。十年工厂设备电气维护经验，持低压电工证。",
        "desired_titles": ["电工"],
        "desired_regions": ["510903"],
        "expected_salary": 5000,
    }
    return {**body, **changes}


def vacancy_body(world: World, employer_id: str, **changes: Any) -> dict[str, Any]:
    """A valid vacancy open on the world's day (an electrician post in 船山区)."""
    start = world.today - dt.timedelta(days=10)
    body: dict[str, Any] = {
        "employer_id": employer_id,
        "title": "设备电工",
        "description": "负责车间设备电气维护，持低压电工证，5年以上经验。",
        "region": "510903",
        "min_education": "中专",
        "min_experience_years": 3,
        "salary_min": 5500,
        "salary_max": 7500,
        "openings": 2,
        "skills": ["设备维修", "电气接线"],
        "required_certificates": ["低压电工证"],
        "valid_from": start.isoformat(),
        "valid_until": (start + dt.timedelta(days=120)).isoformat(),
    }
    return {**body, **changes}
