"""The booth view: pick a vacancy, see its candidates (summaries only) and its invitation list."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest

from matcher.domain.records import Employer, Fair, Seeker, Vacancy
from matcher.reference import priority_groups
from matcher.storage.store import Store
from tests.api.support import TestClient, serve
from tests.desk.fair_runs import RUN_PATH, start_run, wait_for_run
from tests.desk.support import DeskWorld, sign_in, stored_contacts

FAIR = "F-golden_autumn"


@pytest.fixture(scope="module")
def fair_run(desk_world: DeskWorld) -> Iterator[str]:
    """A finished run of FAIR through the page; its run page path."""
    with serve(desk_world.world) as client:
        csrf = sign_in(client, *desk_world.staff["counter"])
        path = start_run(client, csrf, FAIR, per_vacancy=12)
        html = wait_for_run(client, path)
        assert 'id="run-state">已完成<' in html
        yield path


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def _booth_vacancy(desk_world: DeskWorld) -> Vacancy:
    """The fair's booth vacancy with the most openings (so its invitation list is long)."""
    with Store.open(desk_world.world.home) as store:
        fair = store.get(Fair, FAIR)
        posts = store.get_many(Vacancy, [v for b in fair.booths for v in b.vacancy_ids])
    return max(posts.values(), key=lambda v: (v.openings, v.id))


def test_search_finds_open_vacancies_by_title_or_employer(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    sign_in(desk_client, *desk_world.staff["counter"])
    today = desk_world.world.today
    with Store.open(desk_world.world.home) as store:
        vacancies = store.list(Vacancy)
        employers = {e.id: e for e in store.list(Employer)}
    open_posts = [v for v in vacancies if v.is_active(today)]
    closed = [v for v in vacancies if not v.is_active(today)]
    assert open_posts and closed
    post = open_posts[0]
    page = desk_client.get("/desk/booths", params={"q": post.title})
    assert page.status_code == 200
    results = _section(page.text, "results")
    assert f'href="/desk/booths/{post.id}"' in results
    listed = set(re.findall(r'href="/desk/booths/([^"?]+)"', results))
    assert listed == {
        v.id for v in open_posts if post.title in v.title + employers[v.employer_id].name
    }
    # by employer name: that employer's open vacancies, none closed
    employer = employers[post.employer_id]
    page = desk_client.get("/desk/booths", params={"q": employer.name})
    listed = set(re.findall(r'href="/desk/booths/([^"?]+)"', _section(page.text, "results")))
    assert {v.id for v in open_posts if v.employer_id == employer.id} <= listed
    assert not listed & {v.id for v in closed}
    # nothing found
    page = desk_client.get("/desk/booths", params={"q": "没有这样的岗位名称"})
    assert "没有找到在招岗位" in page.text


def test_search_refuses_a_long_query_naming_the_field(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    sign_in(desk_client, *desk_world.staff["counter"])
    page = desk_client.get("/desk/booths", params={"q": "电" * 41})
    assert page.status_code == 422
    assert "「岗位或单位」填写有误：最多 40 个字" in page.text
    assert 'id="results"' not in page.text
    page = desk_client.get("/desk/booths", params={"fair": "F-nothing"})
    assert page.status_code == 422 and "「招聘会」填写有误" in page.text


def test_a_fair_leads_to_its_booths_and_vacancies(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    sign_in(desk_client, *desk_world.staff["counter"])
    page = desk_client.get("/desk/booths", params={"fair": FAIR})
    assert page.status_code == 200
    booths = _section(page.text, "booths")
    with Store.open(desk_world.world.home) as store:
        fair = store.get(Fair, FAIR)
        employers = store.get_many(Employer, [b.employer_id for b in fair.booths])
    for booth in fair.booths:
        assert f"<td>{booth.booth}</td>" in booths
        assert employers[booth.employer_id].name in booths
        for vacancy_id in booth.vacancy_ids:
            assert f'href="/desk/booths/{vacancy_id}?fair={FAIR}"' in booths


def test_the_booth_shows_summaries_and_never_contacts_resumes_or_groups(
    fair_run: str, desk_world: DeskWorld
) -> None:
    vacancy = _booth_vacancy(desk_world)
    with serve(desk_world.world) as client:
        sign_in(client, *desk_world.staff["counter"])
        page = client.get(f"/desk/booths/{vacancy.id}", params={"k": "50", "fair": FAIR})
    assert page.status_code == 200
    html = page.text
    candidates = _section(html, "candidates")
    invitations = _section(html, "invitations")
    shown = re.findall(r'<code class="ref">(ref_[0-9a-f]{20})</code>', candidates)
    assert shown
    invited = re.findall(r'<code class="ref">(ref_[0-9a-f]{20})</code>', invitations)
    assert invited
    with Store.open(desk_world.world.home) as store:
        seekers = store.list(Seeker)
        contacts = stored_contacts(store)
        references = {store.seeker_reference(s.id): s for s in seekers}
    assert contacts
    assert set(shown) <= set(references) and set(invited) <= set(references)
    assert not re.search(r"\bS\d{7}\b", candidates + invitations), "a stored seeker id"
    for contact in contacts:
        for value in (contact.phone, contact.id_number, contact.address):
            if value:
                assert value not in html
        if contact.name:
            assert contact.name not in candidates and contact.name not in invitations
    for seeker in seekers:
        if seeker.resume_text and len(seeker.resume_text) >= 8:
            assert seeker.resume_text not in html
            assert seeker.resume_text[:20] not in html
    group_names = {group.name for group in priority_groups().values()}
    for name in group_names:
        assert name not in candidates and name not in invitations, name
    # the shown candidates are those the service gives an employer, in order
    with serve(desk_world.world) as client:
        service = client.app.state.service  # type: ignore[attr-defined]
        expected = service.candidates(vacancy.id, 50, employer_side=True)
    assert shown == [item.reference for item in expected]


def test_the_invitation_list_is_the_last_runs_for_the_vacancy(
    fair_run: str, desk_world: DeskWorld
) -> None:
    vacancy = _booth_vacancy(desk_world)
    fair_id, run_id = RUN_PATH.match(fair_run).groups()  # type: ignore[union-attr]
    with serve(desk_world.world) as client:
        sign_in(client, *desk_world.staff["counter"])
        html = client.get(f"/desk/booths/{vacancy.id}").text
        table = client.get(f"{fair_run}/files/candidates.csv").content.decode("utf-8-sig")
    invitations = _section(html, "invitations")
    assert f'href="/desk/fairs/{fair_id}/runs/{run_id}"' in invitations
    rows = list(csv.reader(io.StringIO(table)))[1:]
    ids = [row[6] for row in rows if row[0] == vacancy.id]
    ranks = [int(row[5]) for row in rows if row[0] == vacancy.id]
    assert ids and ranks == sorted(ranks) and len(ids) <= 12
    with Store.open(desk_world.world.home) as store:
        expected = [store.seeker_reference(seeker_id) for seeker_id in ids]
    assert re.findall(r'<code class="ref">(ref_[0-9a-f]{20})</code>', invitations) == expected


def test_a_vacancy_without_a_fair_run_says_so(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    sign_in(desk_client, *desk_world.staff["counter"])
    with Store.open(desk_world.world.home) as store:
        fairs = store.list(Fair)
        on_booths = {v for f in fairs for b in f.booths for v in b.vacancy_ids}
        elsewhere = next(v for v in store.list(Vacancy) if v.id not in on_booths)
    page = desk_client.get(f"/desk/booths/{elsewhere.id}")
    assert page.status_code == 200
    assert "这个岗位没有在任何招聘会的展位上" in page.text


def test_the_booth_view_checks_k_and_knows_no_strangers(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    sign_in(desk_client, *desk_world.staff["counter"])
    vacancy = _booth_vacancy(desk_world)
    page = desk_client.get(f"/desk/booths/{vacancy.id}", params={"k": "5000"})
    assert page.status_code == 422 and "「显示人数」填写有误" in page.text
    assert desk_client.get("/desk/booths/V9999999").status_code == 404
    assert desk_client.get("/desk/booths/" + "V" * 100).status_code == 404


def test_another_tenant_sees_neither_the_vacancies_nor_the_booths(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    vacancy = _booth_vacancy(desk_world)
    sign_in(desk_client, *desk_world.staff["other"])
    assert desk_client.get(f"/desk/booths/{vacancy.id}").status_code == 404
    page = desk_client.get("/desk/booths", params={"q": vacancy.title})
    assert page.status_code == 200
    assert vacancy.id not in page.text and "没有找到在招岗位" in page.text
    page = desk_client.get("/desk/booths", params={"fair": FAIR})
    assert page.status_code == 422


def test_booth_pages_need_a_session(desk_client: TestClient, desk_world: DeskWorld) -> None:
    vacancy = _booth_vacancy(desk_world)
    for url in ("/desk/booths", f"/desk/booths/{vacancy.id}"):
        answer = desk_client.get(url, follow_redirects=False)
        assert answer.status_code == 303 and "/desk/login" in answer.headers["location"]
