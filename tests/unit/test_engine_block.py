"""A block of seekers (the batch) ranks each seeker exactly as a block of one (a request)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Seeker
from matcher.ranking import engine as engine_module
from matcher.ranking.engine import (
    Filters,
    MatchEngine,
    _dense_product,
    _filtered_rows,
    _posting_sums,
)
from matcher.storage.store import Store
from matcher.synth import generate
from tests.unit.test_engine import similarity_model

DAY = dt.date(2022, 4, 15)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, MatchEngine]]:
    home = tmp_path_factory.mktemp("block")
    with Store.open(home) as store:
        generate(store, seekers=200, vacancies=160, seed=7)
        model = similarity_model(store)
        # few re-ranked, so the first stage chooses among many eligible vacancies
        yield store, MatchEngine(store, model, load_campaigns(), today=DAY, retrieval_size=12)


def _variants(seekers: list[Seeker]) -> list[Seeker]:
    """Seekers missing what some part of the first stage reads (each part skipped alike)."""
    base = seekers[0]
    return [
        base.model_copy(update={"id": None, "region": None}),
        base.model_copy(update={"id": None, "region": None, "desired_regions": []}),
        base.model_copy(update={"id": None, "skills": [], "certificates": []}),
        base.model_copy(update={"id": None, "expected_salary": None, "education": None}),
        base.model_copy(update={"id": None, "desired_occupations": [], "resume_text": ""}),
        base.model_copy(update={"id": None, "skills": [*base.skills, *base.skills]}),
    ]


@pytest.mark.parametrize(
    ("campaign", "filters", "on", "staged"),
    [
        (None, Filters(), DAY, 100),
        ("disability_employment", Filters(), dt.date(2022, 5, 15), 0),
        (None, Filters(regions=("510900",), min_salary=3000), DAY, 30),
        (None, Filters(regions=("510903", "510922"), min_salary=3500), DAY, 0),
        (None, Filters(accessible_only=True, occupations=("4", "6-31")), DAY, 0),
    ],
)
def test_a_block_ranks_each_seeker_as_a_block_of_one(
    world: tuple[Store, MatchEngine],
    monkeypatch: pytest.MonkeyPatch,
    campaign: str | None,
    filters: Filters,
    on: dt.date,
    staged: int,
) -> None:
    """``staged``: at least this many seekers have more eligible vacancies than are
    re-ranked (the first stage chooses); with fewer, the eligible ones are re-ranked."""
    store, engine = world
    first_stages = []
    stage = engine_module._block_first_stage

    def counted(*args: Any) -> Any:
        score = stage(*args)
        first_stages.append(len(score))
        return score

    monkeypatch.setattr(engine_module, "_block_first_stage", counted)
    seekers = store.list(Seeker)
    block = [*seekers[:120], *_variants(seekers)]
    ranked = engine.rank_block(block, 8, campaign, filters, on=on, features=True)
    # the block took its own path, choosing among more vacancies than it re-ranks
    assert len(first_stages) >= staged and all(n > 12 for n in first_stages)
    compared = 0
    for seeker, got in zip(block, ranked, strict=True):
        (want,) = engine.rank_block([seeker], 8, campaign, filters, on=on, features=True)
        np.testing.assert_array_equal(got.rows, want.rows)
        np.testing.assert_array_equal(got.vacancy_ids, want.vacancy_ids)
        np.testing.assert_array_equal(got.scores, want.scores)
        assert got.features is not None and want.features is not None
        np.testing.assert_array_equal(got.features, want.features)
        compared += len(got.rows)
    assert compared > 100


def test_block_sums_equal_one_seekers_posting_sums() -> None:
    """The block's products add the same float64 products in the same order as the one-seeker
    sums: equal bit for bit, also for rows with unsorted and repeated terms."""
    rng = np.random.default_rng(3)
    postings = sp.random(
        300, 500, density=0.2, format="csr", dtype=np.float32, random_state=4
    ).astype(np.float32)
    width = 250  # the "word" columns; the rest are dropped as the hashed buckets are
    rows = []
    for _ in range(40):
        terms = rng.integers(0, 300, size=int(rng.integers(0, 30)))
        rows.append((terms, rng.random(len(terms)).astype(np.float32)))
    indptr = np.r_[0, np.cumsum([len(t) for t, _ in rows])]
    queries = sp.csr_matrix(
        (
            np.concatenate([v for _, v in rows]),
            np.concatenate([t for t, _ in rows]),
            indptr,
        ),
        shape=(len(rows), 300),
    )
    assert not queries.has_sorted_indices
    words = _filtered_rows(queries, queries.indices < width, width)
    got = _dense_product(words, sp.csr_matrix(postings[:width], dtype=np.float64))
    for number, (terms, values) in enumerate(rows):
        kept = terms < width
        want = _posting_sums(postings[:width], terms[kept], values[kept], 500)
        np.testing.assert_array_equal(got[number], want)
    assert np.count_nonzero(got) > 1_000


def test_skill_postings_are_the_binary_skills_transposed_and_none_otherwise() -> None:
    """The index's skill postings: skills × vacancies in float64 when every stored skill is 1
    (so the shared counts are exact sums in any order); None for any other value."""
    skills = sp.csr_matrix(np.array([[1, 0, 1], [0, 0, 0], [0, 1, 1]], dtype=np.float32))
    postings = engine_module._skill_postings(skills)
    assert postings.format == "csr" and postings.dtype == np.float64
    assert np.array_equal(postings.toarray(), skills.toarray().T)
    weighted = skills.copy()
    weighted.data[0] = 0.5
    assert engine_module._skill_postings(weighted) is None


def test_the_index_keeps_its_distinct_occupations_and_each_rows_place(
    world: tuple[Store, MatchEngine],
) -> None:
    """A request's occupation parts are computed per distinct occupation of the index: the
    codes and places rebuild the column, and are computed once per index."""
    _, engine = world
    index = engine._index_for(None)
    assert index is not None
    codes, slots = index.occupation_slots()
    assert np.array_equal(codes[slots], index.columns.occupation)
    assert len(codes) == len(np.unique(index.columns.occupation)) > 1
    assert index.occupation_slots() is index.occupation_slots()
