"""One feature path: the same pair on the same day gets the same feature row in training (sets
built from the stored interactions), in serving (the engine) and from a pairs file."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from features.pairwise import MODEL_FEATURE_NAMES
from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Employer, Interaction, Seeker, Vacancy, validate_record
from matcher.learning.pairs import pairs_from_file
from matcher.learning.sets import build_training_data
from matcher.ranking.engine import EngineModel, MatchEngine
from matcher.storage.store import Store
from models.rankers import RandomRanker
from tests.conftest import employer_data, seeker_data, vacancy_data

DAY = dt.date(2022, 4, 12)
TITLES = (("V001", "电工", "6-31-01-03"), ("V002", "焊工", "6-18-02-04"), ("V003", "保安", None))


def _records() -> tuple[list[Seeker], list[Vacancy]]:
    vacancies = [
        validate_record(
            Vacancy,
            vacancy_data(
                id=vacancy_id,
                title=title,
                occupation=code,
                age_min=None if vacancy_id == "V003" else 20,
                salary_min=None if vacancy_id == "V002" else 5000,
                required_certificates=[] if vacancy_id == "V003" else ["电工证"],
            ),
        )
        for vacancy_id, title, code in TITLES
    ]
    seekers = [
        # past work beside the wish: the plumbing the résumé names, marked on every path
        validate_record(Seeker, seeker_data(past_occupations=["6-29-03-04"])),
        validate_record(  # unknown place, age, education and experience: a walk-in's record
            Seeker,
            {
                "id": "S002",
                "resume_text": "开过五年货车，有B2驾照，想找司机或者保安的活",
                "desired_titles": ["保安"],
                "experience_years": None,
            },
        ),
    ]
    return seekers, vacancies


@pytest.fixture
def world(tmp_path: Path) -> Store:
    seekers, vacancies = _records()
    store = Store.open(tmp_path / "home")
    store.put(validate_record(Employer, employer_data()))
    store.put_many([*seekers, *vacancies])
    time = dt.datetime.combine(DAY, dt.time(9, 0))
    store.append_interactions(
        [
            Interaction(
                seeker_id=seeker.id,
                vacancy_id=vacancy.id,
                kind="click" if (seeker.id, vacancy.id) == ("S001", "V001") else "impression",
                time=time,
                position=position,
                session_id=f"{seeker.id}-1",
            )
            for seeker in seekers
            for position, vacancy in enumerate(vacancies, start=1)
        ]
    )
    return store


def test_training_and_serving_rows_are_equal(world: Store) -> None:
    data = build_training_data(world)
    ranker = RandomRanker().fit(data.ranking)
    model = EngineModel(ranker, data.vectorizer, data.bm25, data.vocabularies)
    engine = MatchEngine(world, model, load_campaigns(), today=DAY)
    assert data.feature_names == MODEL_FEATURE_NAMES
    compared = 0
    for seeker_id in ("S001", "S002"):
        seeker = world.get(Seeker, seeker_id)
        (served,) = engine.rank_block([seeker], 10, on=DAY, features=True)
        assert served.features is not None
        for vacancy_id, row in zip(served.vacancy_ids.tolist(), served.features, strict=True):
            trained = (data.seeker_ids == seeker_id) & (data.vacancy_ids == vacancy_id)
            (index,) = np.flatnonzero(trained)
            np.testing.assert_array_equal(data.ranking.features[index], row, err_msg=vacancy_id)
            compared += 1
    assert compared == 4  # the walk-in without an 电工证 is served the 保安 post only
    walk_in = data.ranking.features[data.seeker_ids == "S002"]
    unknown = [MODEL_FEATURE_NAMES.index(n) for n in ("same_county", "education_gap", "age_fit")]
    assert np.isnan(walk_in[:, unknown]).all()  # unknown stays unknown on both paths


def test_a_pairs_file_with_the_same_fields_gives_the_same_rows(
    world: Store, tmp_path: Path
) -> None:
    data = build_training_data(world)
    seeker = world.get(Seeker, "S001")
    path = tmp_path / "pairs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "query_id", "query_date", "resume_text", "vacancy_text", "label", "region",
                "desired_regions", "education", "experience_years", "expected_salary",
                "birth_year", "certificates", "skills", "priority_groups", "desired_titles",
                "past_occupations", "vacancy_id", "vacancy_title", "vacancy_occupation",
                "vacancy_region",
                "vacancy_min_education", "vacancy_min_experience_years", "vacancy_age_min",
                "vacancy_age_max", "vacancy_salary_min", "vacancy_salary_max",
                "vacancy_openings", "vacancy_applicants", "vacancy_required_certificates",
                "vacancy_valid_from", "vacancy_employer_verified",
            ]
        )  # fmt: skip
        for vacancy in world.get_many(Vacancy, ["V001", "V002"]).values():
            writer.writerow(
                [
                    "q", DAY.isoformat(), seeker.resume_text, vacancy.description, 1,
                    seeker.region, ";".join(seeker.desired_regions), int(seeker.education or 0),
                    seeker.experience_years, seeker.expected_salary, seeker.birth_year,
                    ";".join(seeker.certificates), ";".join(seeker.skills), "返乡农民工",
                    ";".join(seeker.desired_titles), ";".join(seeker.past_occupations),
                    vacancy.id, vacancy.title,
                    vacancy.occupation, vacancy.region, int(vacancy.min_education),
                    vacancy.min_experience_years, vacancy.age_min or "", vacancy.age_max,
                    vacancy.salary_min or "", vacancy.salary_max, vacancy.openings, 0,
                    ";".join(vacancy.required_certificates), vacancy.valid_from.isoformat(),
                    "true",
                ]
            )  # fmt: skip
    from_file = pairs_from_file(
        path, vectorizer=data.vectorizer, bm25=data.bm25, vocabularies=data.vocabularies
    )
    for row, vacancy_id in enumerate(from_file.vacancy_ids.tolist()):
        (index,) = np.flatnonzero((data.seeker_ids == "S001") & (data.vacancy_ids == vacancy_id))
        np.testing.assert_allclose(
            from_file.ranking.features[row], data.ranking.features[index], rtol=1e-6
        )
