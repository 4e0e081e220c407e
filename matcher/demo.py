"""``jobmatch demo``: a small generated data set, its summary and a few seekers' best vacancies.

Until the learned ranker lands, "best" is character n-gram TF-IDF similarity among the vacancies
open on the demo day whose required certificates the seeker holds (accessible ones only for
seekers with a disability).
"""

from __future__ import annotations

import argparse
import datetime as dt

from features import char_ngram_topk
from matcher.campaigns import CampaignCalendar
from matcher.columns import seeker_text, vacancy_text
from matcher.domain import Employer, Seeker, Vacancy
from matcher.reference import EducationLevel, certificates, priority_groups, regions
from matcher.store import Store

DEMO_DAY = dt.date(2022, 4, 15)
"""A day in 民营企业招聘月 and the 高校毕业生专场 of the 2022 calendar."""
SHOWCASE_GROUPS = ("returning_migrant", "unemployed_graduate", "veteran", "disabled", "")


def eligible(seeker: Seeker, vacancy: Vacancy, day: dt.date) -> bool:
    """Hard filters of the demo: open that day, certificates held, accessibility when needed."""
    if not vacancy.is_active(day):
        return False
    if not set(vacancy.required_certificates) <= set(seeker.certificates):
        return False
    return seeker.disability is None or vacancy.accessible


def _pick_seekers(seekers: list[Seeker], count: int) -> list[Seeker]:
    chosen: list[Seeker] = []
    for group in SHOWCASE_GROUPS:
        for seeker in seekers:
            in_group = group in seeker.priority_groups if group else not seeker.priority_groups
            if in_group and seeker not in chosen:
                chosen.append(seeker)
                break
    for seeker in seekers:
        if len(chosen) >= count:
            break
        if seeker not in chosen:
            chosen.append(seeker)
    return chosen[:count]


def _salary(vacancy: Vacancy) -> str:
    if vacancy.salary_min and vacancy.salary_max:
        return f"{vacancy.salary_min}-{vacancy.salary_max}元/月"
    return "面议"


def run_demo(store: Store, calendar: CampaignCalendar, args: argparse.Namespace) -> int:
    from matcher.synth import generate

    store.clear()
    summary = generate(
        store,
        seekers=args.seekers,
        vacancies=args.vacancies,
        seed=args.seed,
        campaigns=calendar,
        progress=False,
    )
    interactions = summary.interactions
    print(f"jobmatch demo — synthetic 遂宁市 data, seed {args.seed}, store {store.path}")
    print(
        f"  {summary.employers} employers, {summary.vacancies} vacancies, "
        f"{summary.seekers} seekers, {sum(interactions.values())} interactions "
        f"({', '.join(f'{kind} {count}' for kind, count in sorted(interactions.items()))}) "
        f"in {summary.seconds:.1f} s"
    )
    running = "、".join(c.short_name for c in calendar.running_on(DEMO_DAY))
    print(f"  day {DEMO_DAY}: campaigns running — {running}")

    seekers = store.list(Seeker)
    vacancies = [v for v in store.list(Vacancy) if v.is_active(DEMO_DAY)]
    employers = {e.id: e for e in store.list(Employer)}
    if not vacancies:
        print("  no vacancy is open on the demo day")
        return 0
    region_table, groups, certificate_table = regions(), priority_groups(), certificates()
    documents = [vacancy_text(v) for v in vacancies]
    for seeker in _pick_seekers(seekers, args.show):
        allowed = [i for i, v in enumerate(vacancies) if eligible(seeker, v, DEMO_DAY)]
        group_names = "、".join(groups[g].name for g in seeker.priority_groups) or "一般求职者"
        wants = "、".join(seeker.desired_titles) or "未填写"
        held = "、".join(
            certificate_table[c].name if c in certificate_table else c for c in seeker.certificates
        )
        print()
        print(
            f"求职者 {seeker.id}（{group_names}；{seeker.age_on(DEMO_DAY)}岁；"
            f"{EducationLevel(seeker.education).label}；{region_table.full_name(seeker.region)}）"
        )
        salary = seeker.expected_salary or "面议"
        print(f"  求职意向：{wants}；证书：{held or '无'}；期望月薪：{salary}")
        if not allowed:
            print("  （当日无符合条件的岗位）")
            continue
        indices, scores = char_ngram_topk(
            [seeker_text(seeker)], [documents[i] for i in allowed], args.k
        )
        for rank, (index, score) in enumerate(zip(indices[0], scores[0], strict=True), start=1):
            vacancy = vacancies[allowed[int(index)]]
            employer = employers.get(vacancy.employer_id)
            county = region_table.by_code[vacancy.region].name
            print(
                f"  {rank}. {vacancy.title} — {employer.name if employer else vacancy.employer_id}"
                f"（{county}，{_salary(vacancy)}，招{vacancy.openings}人）相似度 {score:.2f}"
            )
    return 0
