"""Personal data that reaches the API in places no pattern guards on its own.

- Record ids that are a 身份证号 or a phone number (any separator style) are refused, at PUT, in
  bulk items and in references, with an error naming the field and never the value.
- A seeker's stored contact (name, phone, 身份证号) keeps its values out of every later write of
  that seeker, also when the write carries no contact.
- A fuzzed run plants names, phones in several separator styles, 身份证号 and WeChat ids in a
  seeker's free text, written through the API, then searches every answer an employer-side
  caller gets (candidates, score, recommendations) and the GET responses for each of them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.domain.codes import id_number_check_digit
from matcher.storage.apikeys import ApiKeys
from matcher.storage.store import Store
from tests.api.support import TestClient, World, copy_world, seeker_body, serve, vacancy_body

EMPLOYER = "E000004"
VACANCY = "PD-V1"


@pytest.fixture(scope="module")
def platform(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, World, dict[str, str]]]:
    """A copy of the world with one open electrician vacancy and a key with score and read
    (the platform's staff, who see stored seeker ids in candidate lists)."""
    copied = copy_world(world, tmp_path_factory.mktemp("personal-data"))
    with Store.open(copied.home) as store:
        _, secret = ApiKeys(store).create("staff platform", ["score", "read"])
    with serve(copied) as client:
        response = client.put(
            f"/v1/vacancies/{VACANCY}",
            json=vacancy_body(copied, EMPLOYER),
            headers=copied.headers("write"),
        )
        assert response.status_code == 200, response.text
        yield client, copied, {"X-API-Key": secret}


def shown(response: Any) -> str:
    """A response's JSON as text, non-ASCII unescaped (so a search can find it), with the
    candidates' opaque references and the model's scores blanked: references are random hex
    digits (an HMAC under a random secret) and scores any fraction the model gives (0.8765),
    so either may hold any run of digits, which is no personal data."""
    text = json.dumps(response.json(), ensure_ascii=False)
    return _SCORE.sub('"score": 0', _REFERENCE.sub("ref_", text))


_REFERENCE = re.compile(r"ref_[0-9a-f]{20}")
_SCORE = re.compile(r'"score": -?[0-9.e+-]+')


# --- ids -----------------------------------------------------------------------------------

PERSONAL_IDS = [
    "510903199001011238",
    "51090319900101123X",
    "13912345678",
    "139-1234-5678",
    "139.1234.5678",
    "139_1234_5678",
    "S-13912345678",
    "0825-2345678",
]


def digits_of(value: str) -> str:
    return "".join(char for char in value if char.isdigit())


@pytest.mark.parametrize("record_id", PERSONAL_IDS)
@pytest.mark.parametrize("kind", ["seekers", "vacancies", "employers"])
def test_put_with_an_id_that_is_personal_data_is_refused(
    platform: tuple[TestClient, World, dict[str, str]], kind: str, record_id: str
) -> None:
    client, world, _ = platform
    body = {
        "seekers": seeker_body(),
        "vacancies": vacancy_body(world, EMPLOYER),
        "employers": {
            "name": "遂宁市测试有限公司",
            "credit_code": "91110000802100433B",
            "ownership": "民营",
            "size": "小型",
            "industry": "C",
            "region": "510903",
        },
    }[kind]
    response = client.put(f"/v1/{kind}/{record_id}", json=body, headers=world.headers("write"))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert [error["field"] for error in problem["errors"]] == ["id"]
    assert "personal data" in problem["errors"][0]["message"]
    assert digits_of(record_id)[-7:] not in digits_of(response.text)
    gone = client.get(f"/v1/{kind}/{record_id}", headers=world.headers("read"))
    assert gone.status_code == 404


def test_bulk_items_and_references_that_are_personal_data_are_refused(
    platform: tuple[TestClient, World, dict[str, str]],
) -> None:
    client, world, _ = platform
    response = client.post(
        "/v1/seekers:bulk",
        json={"items": [seeker_body(id="139.1234.5678"), seeker_body(id="PD-S-BULK")]},
        headers=world.headers("write"),
    )
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [item["status"] for item in items] == ["rejected", "accepted"]
    assert [error["field"] for error in items[0]["errors"]] == ["id"]
    assert "1234" not in json.dumps(items[0])
    interaction = {"vacancy_id": VACANCY, "kind": "click", "time": "2022-10-01T10:00:00"}
    response = client.post(
        "/v1/interactions",
        json={"items": [{**interaction, "seeker_id": "510903199001011238"}]},
        headers=world.headers("write"),
    )
    assert response.status_code == 200, response.text
    (item,) = response.json()["items"]
    assert item["status"] == "rejected"
    assert [error["field"] for error in item["errors"]] == ["seeker_id"]
    assert "19900101" not in response.text


# --- the stored contact --------------------------------------------------------------------


def test_a_stored_contact_keeps_the_name_out_of_later_writes(
    platform: tuple[TestClient, World, dict[str, str]],
) -> None:
    client, world, staff = platform
    contact = {"name": "欧阳秀英", "phone": "13987654321", "id_number": "510903198507150011"}
    first = client.put(
        "/v1/seekers/PD-S1", json=seeker_body(contact=contact), headers=world.headers("write")
    )
    assert first.status_code == 200, first.text
    later = seeker_body(
        skills=["设备维修", "电气接线", "欧阳秀英"],
        desired_titles=["电工", "欧阳 秀英"],
        resume_text="我是欧阳秀英，电话139.8765.4321，身份证 510903 19850715 0011。求职电工。",
    )
    second = client.put("/v1/seekers/PD-S1", json=later, headers=world.headers("write"))
    assert second.status_code == 200, second.text
    candidates = client.post(
        "/v1/candidates", json={"vacancy_id": VACANCY, "k": 200}, headers=staff
    )
    assert candidates.status_code == 200, candidates.text
    ours = [c for c in candidates.json()["results"] if c.get("seeker_id") == "PD-S1"]
    assert ours, "the seeker must be among the candidates for the search to mean anything"
    assert "[姓名]" in ours[0]["skills"]
    got = client.get("/v1/seekers/PD-S1", headers=world.headers("read"))
    for text in (shown(second), shown(candidates), shown(got)):
        for value in ("欧阳秀英", "欧阳 秀英", "8765", "19850715"):
            assert value not in text, value


# --- fuzzed: planted personal data never reaches an answer ---------------------------------

SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "欧阳", "司马", "诸葛"]
GIVEN = "秀英桂兰建国志强丽娟明华伟芳敏静军洋勇艳杰涛"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

NAMES = st.builds(
    lambda surname, given: surname + given,
    st.sampled_from(SURNAMES),
    st.text(GIVEN, min_size=1, max_size=2),
)
PHONES = st.builds(
    lambda second, rest: f"1{second}{rest:09d}",
    st.sampled_from("3456789"),
    st.integers(0, 10**9 - 1),
)
ID_NUMBERS = st.builds(
    lambda region, born, sequence: (lambda first17: first17 + id_number_check_digit(first17))(
        f"{region}{born:%Y%m%d}{sequence:03d}"
    ),
    st.sampled_from(["510903", "510904", "510921", "110105", "440305"]),
    st.dates(dt.date(1955, 1, 1), dt.date(2005, 12, 31)),
    st.integers(0, 999),
)
WECHAT_IDS = st.from_regex(r"[a-z]{2}[a-z0-9_]{4,10}[0-9]", fullmatch=True)  # never a word
PHONE_STYLES = {
    "plain": lambda p: p,
    "spaces": lambda p: f"{p[:3]} {p[3:7]} {p[7:]}",
    "dashes": lambda p: f"{p[:3]}-{p[3:7]}-{p[7:]}",
    "dots": lambda p: f"{p[:3]}.{p[3:7]}.{p[7:]}",
    "full width": lambda p: p.translate(_FULL_WIDTH),
    "country code": lambda p: f"+86 {p}",
}
ID_STYLES = {
    "plain": lambda n: n,
    "lower x": lambda n: n.lower(),
    "groups": lambda n: f"{n[:6]} {n[6:14]} {n[14:]}",
    "full width": lambda n: n.translate(_FULL_WIDTH),
}
WECHAT_LABELS = ["微信", "微信号", "微信：", "加微信", "VX:", "wx "]
FUZZ_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_SEEKER_NUMBERS = itertools.count(1)
_SEPARATORS = re.compile(r"[\s\-.·_()+]+")


def skeleton(text: str) -> str:
    """``text`` width-folded with separators taken out: a phone written in any style is then
    its digits."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


@FUZZ_SETTINGS
@given(
    name=NAMES,
    phone=PHONES,
    id_number=ID_NUMBERS,
    wechat=WECHAT_IDS,
    phone_style=st.sampled_from(sorted(PHONE_STYLES)),
    id_style=st.sampled_from(sorted(ID_STYLES)),
    label=st.sampled_from(WECHAT_LABELS),
    other_phone=PHONES,
    other_style=st.sampled_from(sorted(PHONE_STYLES)),
)
def test_planted_personal_data_reaches_no_answer(
    platform: tuple[TestClient, World, dict[str, str]],
    name: str,
    phone: str,
    id_number: str,
    wechat: str,
    phone_style: str,
    id_style: str,
    label: str,
    other_phone: str,
    other_style: str,
) -> None:
    client, world, staff = platform
    seeker_id = f"PD-F{next(_SEEKER_NUMBERS)}"
    write, read, score = world.headers("write"), world.headers("read"), world.headers("score")
    contact = {"name": name, "phone": phone, "id_number": id_number}
    first = client.put(f"/v1/seekers/{seeker_id}", json=seeker_body(contact=contact), headers=write)
    assert first.status_code == 200, first.text

    phone_text = PHONE_STYLES[phone_style](phone)
    id_text = ID_STYLES[id_style](id_number)
    other_text = PHONE_STYLES[other_style](other_phone)  # not the seeker's: found by pattern
    wechat_text = f"{label}{wechat}"
    planted = [name, phone_text, id_text, wechat_text, other_text]
    loaded = seeker_body(
        resume_text=f"我叫{name}，手机{phone_text}，{id_text}，{wechat_text}，"
        f"亲属电话{other_text}。十年设备电气维护经验，持低压电工证。",
        major=f"电气自动化 {name}",
        skills=["设备维修", "电气接线", name, phone_text, f"联系{name}", wechat_text, other_text],
        certificates=["低压电工证", id_text],
        desired_titles=["电工", f"电工{phone_text}"],
        disability={"type": "肢体残疾", "grade": 4, "needs": [f"联系人{name}", phone_text]},
    )
    answers = []
    stored = client.put(f"/v1/seekers/{seeker_id}", json=loaded, headers=write)  # no contact
    assert stored.status_code == 200, stored.text
    answers.append(stored)
    answers.append(client.get(f"/v1/seekers/{seeker_id}", headers=read))
    staff_view = client.post(
        "/v1/candidates", json={"vacancy_id": VACANCY, "k": 200}, headers=staff
    )
    assert any(c.get("seeker_id") == seeker_id for c in staff_view.json()["results"])
    answers.append(staff_view)
    answers.append(
        client.post("/v1/candidates", json={"vacancy_id": VACANCY, "k": 200}, headers=score)
    )
    answers.append(
        client.post("/v1/recommendations", json={"seeker_id": seeker_id, "k": 20}, headers=score)
    )
    answers.append(
        client.post(
            "/v1/score",
            json={"seeker": {**loaded, "contact": contact}, "vacancies": [{"id": VACANCY}]},
            headers=score,
        )
    )
    digits = [skeleton(value) for value in (phone, other_phone, id_number, id_number.lower())]
    for response in answers:
        assert response.status_code == 200, response.text
        text = shown(response)
        for value in [*planted, wechat]:
            assert value not in text, (response.request.url.path, value)
        flat = skeleton(text)
        for value in digits:
            assert value not in flat, (response.request.url.path, value)
