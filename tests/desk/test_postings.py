"""The posting check page: parsed fields, compliance flags marked in the text with the law they
cite, escaping, redaction, limits and access."""

from __future__ import annotations

import dataclasses
import html
import logging
import re

import pytest

from matcher.intake.analysis import analyze_vacancy
from matcher.intake.posting_check import laws_cited, pieces_of, read_posting
from tests.api.support import TestClient, serve
from tests.desk.support import DeskWorld, csrf_of, sign_in

MARK = re.compile(r'<mark class="flag" data-findings="([^"]*)" title="([^"]*)">([^<]*)</mark>')
LAW = re.compile(r'<span class="law">〔(\d+)〕([^<]*)</span>')


def _posting_text(page: str) -> str:
    found = re.search(r'<div class="posting-text" id="posting-text" lang="zh-CN">(.*?)</div>', page)
    assert found is not None, "the page shows no posting text"
    return found.group(1)


def _check(client: TestClient, csrf: str, text: str, title: str = "") -> object:
    return client.post("/desk/postings", data={"csrf": csrf, "title": title, "text": text})


@pytest.fixture
def counter(desk_client: TestClient, desk_world: DeskWorld) -> tuple[TestClient, str]:
    return desk_client, sign_in(desk_client, *desk_world.staff["counter"])


@pytest.mark.parametrize(
    ("text", "marked", "law"),
    [
        ("叉车司机（男性，年龄18-50周岁）", ["男性"], "《就业促进法》第二十七条"),
        ("27-35岁女性，本科及以上", ["女性"], "《就业促进法》第二十七条"),
        (
            "招聘普工5名，限男性，乙肝勿扰，月薪4000-6000元",
            ["限男性", "乙肝勿扰"],
            "《就业服务与就业管理规定》第十九条",
        ),
        ("招聘文员，已婚已育优先，五险一金", ["已婚已育优先"], "《妇女权益保障法》第四十三条"),
    ],
    ids=["bracketed-gender", "gender-after-age", "gender-and-hepatitis", "marital"],
)
def test_flags_are_marked_in_the_text_with_the_law_they_cite(
    counter: tuple[TestClient, str], text: str, marked: list[str], law: str
) -> None:
    client, csrf = counter
    answer = _check(client, csrf, text)
    assert answer.status_code == 200  # type: ignore[attr-defined]
    page = answer.text  # type: ignore[attr-defined]
    shown = _posting_text(page)
    marks = MARK.findall(shown)
    assert [html.unescape(span) for _, _, span in marks] == marked
    laws = {number: cited for number, cited in LAW.findall(shown)}
    assert law in " ".join(laws.values())
    # each mark is followed by the law its flag cites, as the analysis says it
    flags = analyze_vacancy(text).flags
    assert len(laws) == len(flags)
    for number, flag in enumerate(sorted(flags, key=lambda f: f.start), start=1):
        assert laws[str(number)] == "、".join(laws_cited(flag.message))
        assert flag.message in html.unescape(marks[number - 1][1])
    # without the markup the text is the posting's, piece for piece
    assert html.unescape(re.sub(r'<span class="law">[^<]*</span>|<[^>]+>', "", shown)) == text
    assert f"发现 {len(flags)} 处" in page


def test_no_flag_when_both_genders_are_welcome(counter: tuple[TestClient, str]) -> None:
    client, csrf = counter
    page = _check(client, csrf, "男女不限，18-45岁").text  # type: ignore[attr-defined]
    assert "<mark" not in page
    assert "未发现歧视性招聘条件" in page
    fields = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td></tr>', page))
    assert fields["年龄要求"] == "18–45 岁"


def test_the_parsed_fields_are_shown_with_chinese_labels(
    counter: tuple[TestClient, str],
) -> None:
    client, csrf = counter
    text = "招聘电工3名，中专及以上学历，3年以上经验，持低压电工证，月薪5000-7000元，包吃住"
    page = _check(client, csrf, text, title="设备电工").text  # type: ignore[attr-defined]
    fields = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td></tr>', page))
    analysis = analyze_vacancy(text, "设备电工")
    assert fields["岗位名称"] == "设备电工"
    assert analysis.occupation.name is not None
    occupation = f"{analysis.occupation.name}（{analysis.occupation.code}）"
    assert fields["职业（大典）"].startswith(occupation)
    assert fields["薪酬"] == "每月 5,000–7,000 元"
    assert fields["学历要求"] == "高中/中专/技校及以上"  # level 2 as the code table names it
    assert fields["工作经验"] == "3 年以上"
    assert fields["招聘人数"] == "3 人"
    assert "低压电工" in fields["证书"]
    assert fields["福利待遇"] == "包吃住"
    assert fields["年龄要求"] == "未写明"
    assert 'value="设备电工"' in page and text in page  # the form keeps what was typed


def test_markup_in_a_posting_comes_out_escaped(counter: tuple[TestClient, str]) -> None:
    client, csrf = counter
    text = '<script>alert("x")</script><b onmouseover="x()">限男性</b>&amp;'
    title = '<img src=x onerror="alert(1)">'
    page = _check(client, csrf, text, title=title).text  # type: ignore[attr-defined]
    assert "<script>alert" not in page and "<b onmouseover" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    shown = _posting_text(page)
    assert [html.unescape(span) for _, _, span in MARK.findall(shown)] == ["限男性"]
    assert "&amp;amp;" in shown  # the text's own "&amp;" is shown as typed
    assert html.unescape(re.sub(r'<span class="law">[^<]*</span>|<[^>]+>', "", shown)) == text


def test_contact_data_is_redacted_and_never_logged(
    counter: tuple[TestClient, str], caplog: pytest.LogCaptureFixture
) -> None:
    client, csrf = counter
    text = "招聘保安2名，限男性，联系电话13812345678，身份证号不需要提供"
    with caplog.at_level(logging.DEBUG):
        page = _check(client, csrf, text).text  # type: ignore[attr-defined]
    shown = _posting_text(page)
    assert "13812345678" not in shown and "[手机]" in shown
    assert "已隐去个人信息：手机号 1 处" in page
    assert "13812345678" not in caplog.text and "限男性" not in caplog.text


def test_form_errors_name_the_field_and_keep_what_was_typed(
    counter: tuple[TestClient, str],
) -> None:
    client, csrf = counter
    empty = _check(client, csrf, "   ", title="仓库管理员")
    assert empty.status_code == 422  # type: ignore[attr-defined]
    assert "「招聘信息」未填写" in empty.text  # type: ignore[attr-defined]
    assert 'value="仓库管理员"' in empty.text  # type: ignore[attr-defined]
    long_title = _check(client, csrf, "招聘仓管", title="长" * 61)
    assert long_title.status_code == 422  # type: ignore[attr-defined]
    assert "「岗位名称」填写有误：最多 60 个字，现有 61 个字" in long_title.text  # type: ignore[attr-defined]
    assert "招聘仓管</textarea>" in long_title.text  # type: ignore[attr-defined]


def test_a_text_over_the_limit_is_refused_with_the_limit(desk_world: DeskWorld) -> None:
    with serve(desk_world.world, max_text_chars=100) as client:
        csrf = sign_in(client, *desk_world.staff["counter"])
        form = client.get("/desk/postings").text
        assert 'maxlength="100"' in form
        refused = _check(client, csrf, "招聘叉车司机限男性。" * 11)
        assert refused.status_code == 422  # type: ignore[attr-defined]
        assert "「招聘信息」过长：最多 100 个字，现有 110 个字" in refused.text  # type: ignore[attr-defined]
        assert "<mark" not in refused.text  # type: ignore[attr-defined]
        fits = _check(client, csrf, "招聘叉车司机限男性。" * 10)
        assert fits.status_code == 200  # type: ignore[attr-defined]


def test_the_page_needs_a_session_and_the_form_its_token(
    desk_client: TestClient, desk_world: DeskWorld
) -> None:
    away = desk_client.get("/desk/postings", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"].startswith("/desk/login")
    refused = desk_client.post("/desk/postings", data={"csrf": "x", "text": "限男性"})
    assert refused.status_code == 401
    sign_in(desk_client, *desk_world.staff["other"])  # any counter, of any tenant
    form = desk_client.get("/desk/postings")
    assert form.status_code == 200
    assert '<label for="title">' in form.text and '<label for="text">' in form.text
    forged = desk_client.post("/desk/postings", data={"csrf": "forged", "text": "限男性"})
    assert forged.status_code == 403
    done = _check(desk_client, csrf_of(form.text), "限男性")
    assert done.status_code == 200  # type: ignore[attr-defined]


def test_overlapping_flags_share_the_marked_run() -> None:
    analysis = analyze_vacancy("限男性")
    (flag,) = analysis.flags
    check = read_posting("限男性", analysis)
    assert [(p.text, p.findings, p.ends) for p in check.pieces] == [("限男性", (1,), (1,))]
    wider = check.findings[0]
    inner = dataclasses.replace(
        wider, number=2, flag=dataclasses.replace(flag, start=1, end=2, span="男")
    )
    pieces = pieces_of("限男性", [wider, inner])
    assert [(p.text, p.findings, p.ends) for p in pieces] == [
        ("限", (1,), ()),
        ("男", (1, 2), (2,)),
        ("性", (1,), (1,)),
    ]
