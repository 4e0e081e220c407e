"""Desk page: the posting check (岗位检查, counter and above).

``GET /desk/postings`` gives the form (岗位名称 optional, 招聘信息); ``POST /desk/postings``
analyses the pasted text as ``POST /v1/vacancies:analyze`` does (:meth:`MatchService.analyze`:
personal data redacted first) and shows the parsed fields and the redacted text with each
compliance flag marked and the law it cites (:func:`matcher.intake.posting_check.read_posting`).
Nothing is stored and the text is never logged.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.desk.web import CounterDesk, render
from matcher.domain.records import MAX_TITLE
from matcher.intake.posting_check import PostingCheck, read_posting

router = APIRouter(prefix="/desk", include_in_schema=False)


def _page(
    request: Request,
    desk: CounterDesk,
    *,
    title: str = "",
    text: str = "",
    errors: dict[str, str] | None = None,
    status: int = 200,
    check: PostingCheck | None = None,
) -> Response:
    return render(
        request,
        "postings.html",
        desk=desk,
        status=status,
        title_value=title,
        text_value=text,
        errors=errors or {},
        max_title=MAX_TITLE,
        max_text=desk.settings.max_text_chars,
        check=check,
    )


@router.get("/postings", response_class=HTMLResponse)
def posting_form(request: Request, desk: CounterDesk) -> Response:
    return _page(request, desk)


@router.post("/postings", response_class=HTMLResponse)
def posting_check(request: Request, desk: CounterDesk) -> Response:
    title = desk.form.get("title").strip()
    text = desk.form.get("text")
    limit = desk.settings.max_text_chars
    errors: dict[str, str] = {}
    if len(title) > MAX_TITLE:
        errors["title"] = f"「岗位名称」填写有误：最多 {MAX_TITLE} 个字，现有 {len(title)} 个字"
    if len(text) > limit:
        errors["text"] = f"「招聘信息」过长：最多 {limit:,} 个字，现有 {len(text):,} 个字"
    elif not text.strip():
        errors["text"] = "「招聘信息」未填写：请粘贴招聘信息正文"
    if errors:
        # what was typed comes back (cut to the limit: nothing past it is echoed)
        return _page(
            request, desk, title=title[:MAX_TITLE], text=text[:limit], errors=errors, status=422
        )
    analysis = desk.service.analyze(text, title or None)
    return _page(request, desk, title=title, text=text, check=read_posting(text, analysis))
