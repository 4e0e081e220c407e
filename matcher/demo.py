"""``jobmatch demo``: generate a small Suining data set, train the default model, print its
evaluation beside the baselines and a few seekers' best vacancies with their reasons.

The demo always ends with an active model (it has to show matches). Where ``jobmatch train``
would refuse to promote it — its NDCG@10 not above the best lexical baseline's on the test
split — the demo promotes it anyway, prints the comparison and says so, and the model's notes
in the registry record it."""

from __future__ import annotations

import argparse
import datetime as dt

from matcher.domain.campaigns import CampaignCalendar
from matcher.domain.records import Seeker
from matcher.intake.completion import complete_seeker
from matcher.learning.training import run_promotion_check, save_run, train_run
from matcher.ranking.engine import MatchEngine
from matcher.ranking.serving import load_engine_model
from matcher.reference import EducationLevel, certificates, priority_groups, regions
from matcher.storage.store import Store
from models.registry import ModelRegistry

SHOWCASE_GROUPS = ("returning_migrant", "unemployed_graduate", "veteran", "disabled", "")


WALK_INS = (
    "退伍军人，开过五年货车，有B2驾照，想找司机或者保安的活，住船山区",
    "我今年52岁，烧了二十多年电焊，有焊工证，想找个焊工的活",
)
"""Seekers given as text alone, the way they talk at a county service counter."""


def _pick_seekers(seekers: list[Seeker], count: int) -> list[Seeker]:
    chosen: list[Seeker] = []
    for group in SHOWCASE_GROUPS:
        for seeker in seekers:
            in_group = group in seeker.priority_groups if group else not seeker.priority_groups
            if in_group and seeker not in chosen:
                chosen.append(seeker)
                break
    chosen += [s for s in seekers if s not in chosen][: max(0, count - len(chosen))]
    return chosen[:count]


def run_demo(store: Store, calendar: CampaignCalendar, args: argparse.Namespace) -> int:
    from matcher.synth import generate

    store.clear()
    summary = generate(
        store, seekers=args.seekers, vacancies=args.vacancies, seed=args.seed, campaigns=calendar
    )
    interactions = summary.interactions
    print(f"jobmatch demo — synthetic 遂宁市 data, seed {args.seed}, store {store.path}")
    print(
        f"  {summary.employers} employers, {summary.vacancies} vacancies, "
        f"{summary.seekers} seekers, {sum(interactions.values())} interactions "
        f"({', '.join(f'{kind} {count}' for kind, count in sorted(interactions.items()))})"
    )
    print("\ntraining LightGBM LambdaMART on the earlier campaigns, testing on the later ones …")
    run = train_run(store)
    print(run.evaluation.table(run.kind))
    registry = ModelRegistry(store.path.parent / "models")
    check = run_promotion_check(run)
    notes = "jobmatch demo" + ("" if check.better else f"; promoted although {check.reason}")
    info = save_run(registry, run, notes=notes)
    # the demo needs an active model to show matches: it promotes its model whatever the
    # comparison says, and says so when `jobmatch train` would not have promoted it
    registry.promote(info.version)
    if check.better:
        print(f"\npromoted: {check.reason}")
    else:
        print(
            f"\nnote: {check.reason}; `jobmatch train` would not promote this model — the demo "
            "promotes it anyway because it needs an active model to show matches"
        )
    active = registry.active()
    assert active is not None
    # the synthetic calendar is 2022's: serve on the first day of the test period
    day = dt.date.fromisoformat(run.test_from) if run.test_from else dt.date.today()
    engine = MatchEngine(store, load_engine_model(active), calendar, today=day)
    running = "、".join(c.short_name for c in calendar.running_on(day)) or "无"
    print(f"\nmodel {info.version} active; {engine.size} vacancies indexed; day {day}")
    print(f"campaigns running: {running}")

    region_table, groups, certificate_table = regions(), priority_groups(), certificates()
    for number, text in enumerate(WALK_INS, start=1):
        seeker, inferred = complete_seeker(
            Seeker(id=f"WALKIN{number}", resume_text=text), today=day
        )
        names = {
            "region": "住地",
            "birth_year": "年龄",
            "education": "学历",
            "experience_years": "工作年限",
            "certificates": "证书",
            "skills": "技能",
            "desired_titles": "意向岗位",
            "desired_occupations": "意向职业",
            "past_occupations": "做过的职业",
            "desired_regions": "意向地区",
            "expected_salary": "期望薪资",
        }
        read = "、".join(names.get(name, name) for name in inferred)
        print(f"\n窗口来访（只凭口述）：「{text}」")
        print(f"  从口述读出：{read or '无'}")
        for result in engine.recommend_vacancies(seeker, k=args.k):
            county = region_table.by_code[result.region].name
            print(
                f"  {result.rank}. {result.title} — {result.employer}（{county}）"
                f" 匹配度 {result.score:.2f}"
            )
    for seeker in _pick_seekers(store.list(Seeker), args.show):
        group_names = "、".join(groups[g].name for g in seeker.priority_groups) or "一般求职者"
        wants = "、".join(seeker.desired_titles) or "未填写"
        held = "、".join(
            certificate_table[c].name if c in certificate_table else c for c in seeker.certificates
        )
        print()
        print(
            f"求职者 {seeker.id}（{group_names}；{seeker.age_on(day) or '?'}岁；"
            f"{EducationLevel(seeker.education or 0).label}；"
            f"{region_table.full_name(seeker.region) if seeker.region else '地区未知'}）"
        )
        salary = seeker.expected_salary or "面议"
        print(f"  求职意向：{wants}；证书：{held or '无'}；期望月薪：{salary}")
        results = engine.recommend_vacancies(seeker, k=args.k)
        if not results:
            print("  （当日无符合条件的岗位）")
        for result in results:
            county = region_table.by_code[result.region].name
            print(
                f"  {result.rank}. {result.title} — {result.employer}（{county}）"
                f" 匹配度 {result.score:.2f}\n     {result.reason}"
            )
    return 0
