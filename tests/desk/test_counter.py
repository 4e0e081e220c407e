"""The counter's walk-in lookup (窗口查询) through the app: the form, a lookup from typed words
or a seeker id, the A4 sheet, recording shown/applied, saving a walk-in, the form's errors and
the tenant's walls.

The world is the API tests' (600 seekers, 150 vacancies; see :mod:`tests.desk.support`); tests
that write (interactions, a saved walk-in) compare counts before and after, as the world is
shared by the session.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from matcher.domain.campaigns import load_campaigns, vacancy_eligible
from matcher.domain.records import Employer, Interaction, Seeker, Vacancy
from matcher.ranking.walkin import DESK_SOURCE, MAX_WALK_IN_CHARS, occupation_reason
from matcher.reference import SUINING_CITY_CODE, regions
from matcher.storage.store import Store
from tests.api.support import TestClient, serve
from tests.conftest import vacancy_data
from tests.desk.support import OTHER_TENANT, DeskWorld, sign_in

VETERAN = "退伍军人，开过五年货车，有B2驾照，想找司机或者保安的活，住船山区"
WANTED = ("4-02-02", "4-07-05")
"""The 大典 groups the veteran's words name: road transport drivers and security guards."""
HELD = {"driving_b2"}
ROW = re.compile(r'<tr data-vacancy="([^"]+)"')
SHEET_ID = re.compile(r'<dd class="wide vacancy-id">([^<]+)</dd>')


@contextmanager
def _store(world: DeskWorld, tenant: str = "") -> Iterator[Store]:
    with Store.open(world.world.home) as store:
        yield store.for_tenant(tenant)


def _counter(client: TestClient, world: DeskWorld, who: str = "counter") -> str:
    return sign_in(client, *world.staff[who])


def _rows(page: str) -> list[str]:
    return ROW.findall(page)


def _fits(vacancy: Vacancy, day: dt.date) -> bool:
    """Whether the veteran driver could take ``vacancy`` on ``day``: a driver or guard post,
    open, asking for no certificate beyond a B2 licence."""
    return (
        vacancy.status == "open"
        and vacancy.valid_from <= day <= vacancy.valid_until
        and vacancy.occupation is not None
        and vacancy.occupation.startswith(WANTED)
        and set(vacancy.required_certificates) <= HELD
    )


def _day_with_a_fitting_post(world: DeskWorld) -> tuple[dt.date, set[str]]:
    """A day on which the world has a driver or guard post the veteran could take (the day of
    most such posts, the earliest of them), and those posts."""
    with _store(world) as store:
        vacancies = store.list(Vacancy)
    days: dict[dt.date, set[str]] = {}
    for vacancy in vacancies:
        if _fits(vacancy, vacancy.valid_from):
            day = vacancy.valid_from
            while day <= vacancy.valid_until:
                days.setdefault(day, set())
                day += dt.timedelta(days=1)
    for day in days:
        days[day] = {v.id for v in vacancies if _fits(v, day)}
    assert days, "the world has no driver or guard post a B2 holder could take"
    day = min(days, key=lambda d: (-len(days[d]), d))
    return day, days[day]


def _a_stored_seeker(world: DeskWorld) -> str:
    """A seeker of the default tenant with at least a few open vacancies to list."""
    with _store(world) as store:
        return sorted(s.id for s in store.list(Seeker))[0]


def _counts(store: Store) -> tuple[int, int, int, int]:
    return (
        store.count(Seeker),
        sum(store.count_interactions().values()),
        store.count_contacts(),
        store.last_change(),
    )


# --- the form -------------------------------------------------------------------------------


def test_the_form_has_every_field_labelled_and_its_defaults(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    _counter(desk_client, desk_world)
    page = desk_client.get("/desk/lookup")
    assert page.status_code == 200
    text = page.text
    for field in ("text", "seeker_id", "area", "campaign", "day", "k"):
        assert f'<label for="{field}">' in text and f'id="{field}"' in text
    assert "求职者怎么说" in text and "求职者编号" in text
    assert f'value="{desk_world.world.today.isoformat()}"' in text
    assert 'id="k" name="k" type="number" min="1" max="50" value="10"' in text
    for area in regions().children(SUINING_CITY_CODE):
        assert f'<option value="{area.code}">{area.name}</option>' in text
    for campaign in load_campaigns().campaigns.values():
        assert f'<option value="{campaign.id}">{campaign.short_name}' in text
    assert 'method="post" action="/desk/lookup"' in text
    assert "<script>" not in text and "style=" not in text and "onclick" not in text
    assert page.headers["cache-control"] == "no-store"


# --- a lookup -------------------------------------------------------------------------------


def test_a_veteran_driver_s_words_rank_the_world_s_driver_or_guard_post_first(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    day, fitting = _day_with_a_fitting_post(desk_world)
    csrf = _counter(desk_client, desk_world)
    page = desk_client.post(
        "/desk/lookup", data={"csrf": csrf, "text": VETERAN, "day": day.isoformat(), "k": "10"}
    )
    assert page.status_code == 200, page.text
    listed = _rows(page.text)
    assert 1 <= len(listed) <= 10
    assert listed[0] in fitting, (listed, fitting)
    with _store(desk_world) as store:
        shown = store.get_many(Vacancy, listed)
    assert all(shown[v].valid_from <= day <= shown[v].valid_until for v in listed)
    # what the system read from the words, for staff to check
    understood = html.unescape(re.sub(r"<[^>]+>", "", page.text))
    assert "从描述中识别：期望职业 司机、保安" in understood
    assert "证书 B2驾驶证" in understood and "居住地 船山区" in understood
    assert "工作年限 5 年" in understood
    # the reasons of the first row, and the title, employer and place of each
    first = page.text.split('<tr data-vacancy="')[1].split("</tr>")[0]
    assert "职业：符合期望（" in first and "通勤：" in first
    assert "保存为求职者" in page.text and "记录为已投递" not in page.text


def test_the_occupation_reason_tells_a_wish_from_past_work() -> None:
    seeker = Seeker(id="S1", desired_occupations=["4-07-05-01"], past_occupations=["4-02-02-02"])
    guard, truck, cook = (
        Vacancy.model_validate(vacancy_data(id=f"V{n}", occupation=code))
        for n, code in enumerate(("4-07-05-01", "4-02-02-02", "4-03-02-01"))
    )
    assert occupation_reason(seeker, guard) == "职业：符合期望（保安员）"
    assert occupation_reason(seeker, truck) == "职业：做过（道路货运汽车驾驶员）"
    assert occupation_reason(seeker, cook) is None


def test_the_county_narrows_the_list_to_its_vacancies(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    day, _ = _day_with_a_fitting_post(desk_world)
    csrf = _counter(desk_client, desk_world)
    form = {"csrf": csrf, "text": VETERAN, "day": day.isoformat(), "k": "50"}
    everywhere = _rows(desk_client.post("/desk/lookup", data=form).text)
    with _store(desk_world) as store:
        places = {v.id: v.region for v in store.get_many(Vacancy, everywhere).values()}
    county = max(set(places.values()), key=list(places.values()).count)
    narrowed = desk_client.post("/desk/lookup", data={**form, "area": county})
    assert narrowed.status_code == 200
    listed = _rows(narrowed.text)
    assert listed and set(listed) <= {v for v, region in places.items() if region == county}
    assert len(listed) < len(everywhere)
    assert f'<option value="{county}" selected>' in narrowed.text


def test_a_campaign_lists_only_its_eligible_vacancies(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    day, _ = _day_with_a_fitting_post(desk_world)
    calendar = load_campaigns()
    running = [c for c in calendar.campaigns.values() if c.is_running(day)]
    assert running, f"no campaign runs on {day}"
    campaign = running[0]
    csrf = _counter(desk_client, desk_world)
    page = desk_client.post(
        "/desk/lookup",
        data={"csrf": csrf, "text": VETERAN, "day": day.isoformat(), "campaign": campaign.id},
    )
    assert page.status_code == 200
    listed = _rows(page.text)
    with _store(desk_world) as store:
        vacancies = store.get_many(Vacancy, listed)
        employers = store.get_many(Employer, [v.employer_id for v in vacancies.values()])
    assert all(vacancy_eligible(campaign, v, employers[v.employer_id]) for v in vacancies.values())


def test_a_stored_seeker_by_id_shows_their_record_and_the_record_forms(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    seeker_id = _a_stored_seeker(desk_world)
    csrf = _counter(desk_client, desk_world)
    page = desk_client.post("/desk/lookup", data={"csrf": csrf, "seeker_id": seeker_id})
    assert page.status_code == 200
    listed = _rows(page.text)
    assert listed
    assert f"求职者 {seeker_id} 的登记信息" in page.text
    assert page.text.count("record-apply") == page.text.count("record-impression") == len(listed)
    assert "保存为求职者" not in page.text


def test_a_typed_lookup_keeps_nothing_and_logs_none_of_the_words(
    desk_client: TestClient, desk_world: DeskWorld, caplog: pytest.LogCaptureFixture
) -> None:
    words = VETERAN + "，外号青石板桥老周"
    csrf = _counter(desk_client, desk_world)
    with _store(desk_world) as store:
        before = _counts(store)
    caplog.set_level(logging.DEBUG)
    for path in ("/desk/lookup", "/desk/lookup/print"):
        answer = desk_client.post(path, data={"csrf": csrf, "text": words})
        assert answer.status_code == 200
    with _store(desk_world) as store:
        assert _counts(store) == before
    assert any("/desk/lookup" in record.getMessage() for record in caplog.records), (
        "the access log was not captured: the check below would prove nothing"
    )
    for record in caplog.records:
        logged = record.getMessage() + repr(record.args) + repr(record.__dict__)
        assert "青石板桥" not in logged and "退伍军人" not in logged


def test_typed_words_never_go_into_a_url(desk_client: TestClient, desk_world: DeskWorld) -> None:
    _counter(desk_client, desk_world)
    page = desk_client.get("/desk/lookup", params={"text": "会开叉车，外号青石板桥"})
    assert page.status_code == 200
    assert "青石板桥" not in page.text and "推荐岗位" not in page.text
    assert 'action="/desk/lookup"' in page.text and 'method="post"' in page.text


# --- the sheet to hand over -----------------------------------------------------------------


def test_the_print_sheet_lists_the_same_vacancies_and_nothing_of_the_seeker(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    day, _ = _day_with_a_fitting_post(desk_world)
    words = VETERAN + "，我叫王大山，电话13912345678"
    csrf = _counter(desk_client, desk_world)
    form = {"csrf": csrf, "text": words, "day": day.isoformat(), "k": "8"}
    listed = _rows(desk_client.post("/desk/lookup", data=form).text)
    sheet = desk_client.post("/desk/lookup/print", data=form)
    assert sheet.status_code == 200
    assert SHEET_ID.findall(sheet.text) == listed
    assert "遂宁市公共就业服务 推荐岗位" in sheet.text
    assert f"日期：{day.year}年{day.month}月{day.day}日" in sheet.text
    assert "data-print" in sheet.text
    for fragment in ("退伍军人", "开过五年货车", "王大山", "13912345678", "1391234", "外号"):
        assert fragment not in sheet.text
    assert 'name="text"' not in sheet.text and "<textarea" not in sheet.text
    # a stored seeker's sheet names no seeker either
    seeker_id = _a_stored_seeker(desk_world)
    stored = desk_client.post("/desk/lookup/print", data={"csrf": csrf, "seeker_id": seeker_id})
    assert stored.status_code == 200 and SHEET_ID.findall(stored.text)
    assert seeker_id not in stored.text


# --- recording ------------------------------------------------------------------------------


def _desk_interactions(world: DeskWorld, seeker_id: str, tenant: str = "") -> list[Interaction]:
    with _store(world, tenant) as store:
        return [i for i in store.iter_interactions(seeker_id=seeker_id) if i.source == DESK_SOURCE]


def test_record_as_applied_writes_exactly_one_interaction(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    seeker_id = _a_stored_seeker(desk_world)
    campaign = next(
        c for c in load_campaigns().campaigns.values() if c.is_running(desk_world.world.today)
    )
    csrf = _counter(desk_client, desk_world)
    page = desk_client.post(
        "/desk/lookup", data={"csrf": csrf, "seeker_id": seeker_id, "campaign": campaign.id}
    )
    listed = _rows(page.text)
    assert len(listed) >= 2
    before = _desk_interactions(desk_world, seeker_id)
    with _store(desk_world) as store:
        total = sum(store.count_interactions().values())
    answer = desk_client.post(
        "/desk/lookup/record",
        data={
            "csrf": csrf,
            "seeker_id": seeker_id,
            "vacancy_id": listed[1],
            "position": "2",
            "kind": "apply",
            "campaign": campaign.id,
            "day": desk_world.world.today.isoformat(),
            "k": "10",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    target = urllib.parse.urlsplit(answer.headers["location"])
    assert target.fragment == "results"  # back where staff were
    assert target.path == "/desk/lookup"
    assert urllib.parse.parse_qs(target.query)["seeker_id"] == [seeker_id]
    after = _desk_interactions(desk_world, seeker_id)
    assert len(after) == len(before) + 1
    (new,) = [i for i in after if i not in before]
    assert (new.vacancy_id, new.kind.value, new.campaign_id, new.position) == (
        listed[1],
        "apply",
        campaign.id,
        2,
    )
    assert new.time.date() == desk_world.world.today
    with _store(desk_world) as store:
        assert sum(store.count_interactions().values()) == total + 1
    shown = desk_client.get(answer.headers["location"])
    assert shown.status_code == 200
    assert "已记录 1 条「已投递」" in shown.text
    assert f'<tr data-vacancy="{listed[1]}" class="recorded">' in shown.text


def test_record_all_as_shown_writes_one_impression_per_listed_vacancy_in_order(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    seeker_id = _a_stored_seeker(desk_world)
    csrf = _counter(desk_client, desk_world)
    page = desk_client.post("/desk/lookup", data={"csrf": csrf, "seeker_id": seeker_id, "k": "5"})
    listed = _rows(page.text)
    before = _desk_interactions(desk_world, seeker_id)
    form = page.text.split('id="record-all"')[1].split("</form>")[0]
    data = [("csrf", csrf)] + [
        (html.unescape(n), html.unescape(v))
        for n, v in re.findall(r'name="([^"]+)" value="([^"]*)"', form)
    ]
    answer = desk_client.post(
        "/desk/lookup/record",
        content=urllib.parse.urlencode(data),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    new = [i for i in _desk_interactions(desk_world, seeker_id) if i not in before]
    assert [(i.vacancy_id, i.position, i.kind.value) for i in new] == [
        (vacancy_id, rank, "impression") for rank, vacancy_id in enumerate(listed, start=1)
    ]


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"kind": "hire"}, 422, "「记录类型」填写有误"),
        ({"vacancy_id": "V9999999"}, 404, "「岗位」未找到"),
        ({"seeker_id": "S9999999"}, 404, "「求职者编号」未找到"),
        ({"seeker_id": ""}, 422, "请先保存为求职者"),
        ({"campaign": "no_such_campaign"}, 422, "「专项活动」填写有误"),
        ({"position": "0"}, 422, "「位置」填写有误"),
    ],
)
def test_a_bad_record_form_writes_nothing(
    desk_client: TestClient,
    desk_world: DeskWorld,
    change: dict[str, str],
    status: int,
    message: str,
) -> None:
    seeker_id = _a_stored_seeker(desk_world)
    csrf = _counter(desk_client, desk_world)
    page = desk_client.post("/desk/lookup", data={"csrf": csrf, "seeker_id": seeker_id})
    first = _rows(page.text)[0]
    form = {"csrf": csrf, "seeker_id": seeker_id, "vacancy_id": first, "kind": "apply"}
    with _store(desk_world) as store:
        before = _counts(store)
    answer = desk_client.post(
        "/desk/lookup/record", data={**form, **change}, follow_redirects=False
    )
    assert answer.status_code == status
    assert message in answer.text
    with _store(desk_world) as store:
        assert _counts(store) == before


# --- saving a walk-in -----------------------------------------------------------------------


def test_save_a_walk_in_as_a_seeker_then_record(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    day, _ = _day_with_a_fitting_post(desk_world)
    csrf = _counter(desk_client, desk_world)
    with _store(desk_world) as store:
        seekers, contacts = store.count(Seeker), store.count_contacts()
    answer = desk_client.post(
        "/desk/lookup/save",
        data={
            "csrf": csrf,
            "text": VETERAN,
            "region": "510903",
            "birth_year": "1988",
            "day": day.isoformat(),
            "k": "10",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.headers["location"]).query)
    (seeker_id,) = query["seeker_id"]
    assert re.fullmatch(r"WK-[A-Z]{8}", seeker_id)
    assert query["day"] == [day.isoformat()]
    with _store(desk_world) as store:
        assert store.count(Seeker) == seekers + 1
        saved = store.get(Seeker, seeker_id)
        assert store.count_contacts() == contacts  # no contact was given, none is kept
    assert (saved.region, saved.birth_year, saved.resume_text) == ("510903", 1988, VETERAN)
    assert "driving_b2" in saved.certificates
    assert any(code.startswith(WANTED) for code in saved.desired_occupations)
    assert saved.registered_at == desk_world.world.today
    page = desk_client.get(answer.headers["location"])
    assert page.status_code == 200
    assert f"已保存为求职者，编号 {seeker_id}" in page.text
    listed = _rows(page.text)
    recorded = desk_client.post(
        "/desk/lookup/record",
        data={"csrf": csrf, "seeker_id": seeker_id, "vacancy_id": listed[0], "kind": "impression"},
        follow_redirects=False,
    )
    assert recorded.status_code == 303
    assert [i.vacancy_id for i in _desk_interactions(desk_world, seeker_id)] == [listed[0]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"birth_year": "19八八"}, "「出生年份」填写有误：请填写四位年份"),
        ({"birth_year": "1900"}, "「出生年份」填写有误：年龄须在 16–75 岁之间"),
        ({"region": "110101"}, "「居住地」填写有误：请从列表中选择"),
        ({"text": ""}, "请填写「求职者怎么说」"),
    ],
)
def test_a_bad_save_form_stores_nothing_and_keeps_what_was_typed(
    desk_client: TestClient, desk_world: DeskWorld, change: dict[str, str], message: str
) -> None:
    csrf = _counter(desk_client, desk_world)
    form = {"csrf": csrf, "text": VETERAN, "region": "510903", "birth_year": "1988", **change}
    with _store(desk_world) as store:
        before = _counts(store)
    answer = desk_client.post("/desk/lookup/save", data=form)
    assert answer.status_code == 422
    assert message in answer.text
    if change.get("text") != "":
        assert VETERAN in answer.text  # the words are still in the form
        assert f'value="{html.escape(change.get("birth_year", "1988"))}"' in answer.text
    with _store(desk_world) as store:
        assert _counts(store) == before


# --- the form's errors ----------------------------------------------------------------------


def test_an_unknown_seeker_id_is_not_found_and_the_form_keeps_what_was_typed(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    csrf = _counter(desk_client, desk_world)
    answer = desk_client.post(
        "/desk/lookup",
        data={"csrf": csrf, "seeker_id": "S9999999", "area": "510981", "k": "7"},
    )
    assert answer.status_code == 404
    assert "「求职者编号」未找到" in answer.text
    assert 'value="S9999999"' in answer.text
    assert '<option value="510981" selected>' in answer.text
    assert 'value="7"' in answer.text
    assert "<tr data-vacancy" not in answer.text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "请填写「求职者怎么说」或「求职者编号」"),
        ({"text": "   \n  "}, "请填写「求职者怎么说」或「求职者编号」"),
        ({"text": VETERAN, "seeker_id": "S0000001"}, "只需填写一项"),
        ({"seeker_id": "13912345678"}, "「求职者编号」填写有误：编号不是手机号或身份证号"),
        ({"seeker_id": "S 1"}, "「求职者编号」填写有误"),
        ({"seeker_id": "S" * 65}, "「求职者编号」过长"),
        ({"text": VETERAN, "area": "北京"}, "「县区」填写有误：请从列表中选择"),
        ({"text": VETERAN, "campaign": "nope"}, "「专项活动」填写有误：请从列表中选择"),
        ({"text": VETERAN, "day": "2022/09/28"}, "「日期」填写有误"),
        ({"text": VETERAN, "day": "1999-01-01"}, "「日期」填写有误"),
        ({"text": VETERAN, "k": "51"}, "「条数」填写有误：请填写 1–50 之间的整数"),
        ({"text": VETERAN, "k": "0"}, "「条数」填写有误"),
        ({"text": VETERAN, "k": "ten"}, "「条数」填写有误"),
    ],
)
def test_every_field_is_checked_with_a_message_naming_it(
    desk_client: TestClient, desk_world: DeskWorld, form: dict[str, str], message: str
) -> None:
    csrf = _counter(desk_client, desk_world)
    answer = desk_client.post("/desk/lookup", data={"csrf": csrf, **form})
    assert answer.status_code == 422
    assert message in answer.text
    assert 'role="alert"' in answer.text and "<tr data-vacancy" not in answer.text
    if "text" in form and form["text"].strip():
        assert form["text"] in answer.text


def test_a_text_over_the_api_s_limit_is_refused_with_the_limit(
    desk_world: DeskWorld,
) -> None:
    with serve(desk_world.world, max_text_chars=60) as client:
        csrf = _counter(client, desk_world)
        fits = client.post("/desk/lookup", data={"csrf": csrf, "text": "保" * 60})
        assert fits.status_code == 200
        answer = client.post("/desk/lookup", data={"csrf": csrf, "text": VETERAN * 3})
        assert answer.status_code == 422
        assert f"「求职者怎么说」过长：最多 60 字，现有 {len(VETERAN * 3)} 字" in answer.text
    # the default is what a seeker's résumé text may hold
    with serve(desk_world.world) as client:
        csrf = _counter(client, desk_world)
        too_long = "保" * (MAX_WALK_IN_CHARS + 1)
        answer = client.post("/desk/lookup", data={"csrf": csrf, "text": too_long})
        assert answer.status_code == 422
        assert f"最多 {MAX_WALK_IN_CHARS:,} 字" in answer.text


# --- tenants --------------------------------------------------------------------------------


def test_another_tenant_s_counter_sees_none_of_this_tenant_s_records(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    seeker_id = _a_stored_seeker(desk_world)
    csrf = _counter(desk_client, desk_world, "other")
    by_id = desk_client.post("/desk/lookup", data={"csrf": csrf, "seeker_id": seeker_id})
    assert by_id.status_code == 404
    assert "「求职者编号」未找到" in by_id.text
    typed = desk_client.post("/desk/lookup", data={"csrf": csrf, "text": VETERAN})
    assert typed.status_code == 200
    assert "暂无匹配岗位" in typed.text and not _rows(typed.text)
    sheet = desk_client.post("/desk/lookup/print", data={"csrf": csrf, "text": VETERAN})
    assert sheet.status_code == 200 and not SHEET_ID.findall(sheet.text)
    with _store(desk_world) as store:
        a_vacancy = store.list(Vacancy)[0].id
        before = _counts(store)
    recorded = desk_client.post(
        "/desk/lookup/record",
        data={"csrf": csrf, "seeker_id": seeker_id, "vacancy_id": a_vacancy, "kind": "apply"},
    )
    assert recorded.status_code == 404
    with _store(desk_world) as store:
        assert _counts(store) == before
    with _store(desk_world, OTHER_TENANT) as other:
        assert sum(other.count_interactions().values()) == 0


def test_a_walk_in_saved_by_another_tenant_s_counter_is_its_own(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    csrf = _counter(desk_client, desk_world, "other")
    with _store(desk_world) as store:
        default_seekers = store.count(Seeker)
    answer = desk_client.post(
        "/desk/lookup/save", data={"csrf": csrf, "text": VETERAN}, follow_redirects=False
    )
    assert answer.status_code == 303
    (seeker_id,) = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.headers["location"]).query)[
        "seeker_id"
    ]
    with _store(desk_world, OTHER_TENANT) as other:
        assert other.get(Seeker, seeker_id).resume_text == VETERAN
    with _store(desk_world) as store:
        assert store.count(Seeker) == default_seekers
        assert not store.exists(Seeker, [seeker_id])
    page = desk_client.get(answer.headers["location"])
    assert page.status_code == 200 and "暂无匹配岗位" in page.text


def test_a_saved_walk_in_keeps_no_phone_number_from_the_words(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    csrf = _counter(desk_client, desk_world)
    answer = desk_client.post(
        "/desk/lookup/save",
        data={"csrf": csrf, "text": VETERAN + "，电话13912345678"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.headers["location"]).query)
    with _store(desk_world) as store:
        saved = store.get(Seeker, query["seeker_id"][0])
    assert VETERAN in saved.resume_text and "13912345678" not in saved.resume_text
    assert "1391234" not in answer.headers["location"]
