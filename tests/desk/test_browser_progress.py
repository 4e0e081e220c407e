"""The campaign progress page in real headless Chromium: an analyst picks a campaign and days
with the keyboard, sees the figures and the plots (every image loaded; the plots are saved
beside the screenshots to be looked at), downloads the reports; a bad range is named in
Chinese; a counter is refused."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from tests.desk.browser import browser_sign_in, page_change, shot
from tests.desk.support import DeskWorld

FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: "same-origin"})
  .then(async (r) => done([r.status, r.headers.get("content-type") || "",
                           r.headers.get("content-disposition") || "",
                           (await r.arrayBuffer()).byteLength]))
  .catch((e) => done([0, String(e), "", 0]));
"""


PART_ORDER = """
return new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2022, 9, 1))
  .map((part) => part.type).filter((type) => ["year", "month", "day"].includes(type));
"""


def _type_day(driver: Any, element_id: str, day: str) -> None:
    """Type ``day`` (YYYY-MM-DD) into a date field as a person does: digits in the order the
    browser's locale shows the field (year first in zh-CN, month first in en-US). Two digits
    fill a month or a day and move on; a year takes more, so the arrow key moves past it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    year, month, date = day.split("-")
    parts = {"year": year + Keys.ARROW_RIGHT, "month": month, "day": date}
    order = driver.execute_script(PART_ORDER)
    field = driver.find_element(By.ID, element_id)
    field.send_keys("".join(parts[name] for name in order))
    assert field.get_attribute("value") == day


def test_an_analyst_reads_a_campaigns_progress(
    browser: object, live_desk: str, desk_world: DeskWorld, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    driver: Any = browser
    browser_sign_in(driver, live_desk, *desk_world.staff["analyst"])
    with page_change(driver):
        driver.find_element(By.LINK_TEXT, "活动进展").click()
    assert driver.current_url.endswith("/desk/progress")
    assert driver.find_elements(By.ID, "headline")  # the running campaign, at once
    shot(driver, tmp_path, "01-progress-default")

    Select(driver.find_element(By.ID, "campaign")).select_by_value("golden_autumn")
    _type_day(driver, "from", "2022-10-01")
    _type_day(driver, "to", "2022-12-15")
    with page_change(driver):
        driver.find_element(By.ID, "to").send_keys(Keys.ENTER)  # the keyboard submits the form
    heading = driver.find_element(By.ID, "summary-heading").text
    assert heading == "金秋招聘月：2022-10-01 至 2022-12-15"
    served = driver.find_element(By.CSS_SELECTOR, '[data-figure="served"] .value').text
    assert int(served.replace(",", "")) > 0
    shot(driver, tmp_path, "02-progress-summary")

    images = driver.find_elements(By.CSS_SELECTOR, "img.plot")
    assert len(images) == 5
    for image in images:
        width = driver.execute_script("return arguments[0].naturalWidth", image)
        assert width >= 600, image.get_attribute("id")
        source = image.get_attribute("src")
        assert source.startswith("data:image/png;base64,")
        name = image.get_attribute("id").removeprefix("plot-")
        (tmp_path / f"plot-{name}.png").write_bytes(base64.b64decode(source.split(",", 1)[1]))
    for section in ("by-group", "by-county", "by-employer-kind", "daily"):
        element = driver.find_element(By.ID, section)
        driver.execute_script("arguments[0].scrollIntoView()", element)
        shot(driver, tmp_path, f"03-progress-{section}")
    group_row = driver.find_element(By.CSS_SELECTOR, '#by-group-table tr[data-key="veteran"] th')
    assert group_row.text.startswith("退役军人")

    for link_id, kind in (("download-xlsx", "spreadsheetml"), ("download-md", "zip")):
        href = driver.find_element(By.ID, link_id).get_attribute("href")
        status, content_type, disposition, size = driver.execute_async_script(FETCH, href)
        assert status == 200 and kind in content_type and "attachment" in disposition
        assert size > 1000

    # a range that ends before it starts: the form comes back naming the field
    _clear_and_type(driver, "from", "2022-11-20")
    _clear_and_type(driver, "to", "2022-11-10")
    with page_change(driver):
        driver.find_element(By.ID, "show").click()
    error = driver.find_element(By.ID, "form-errors").text
    assert error == "「开始日期」填写有误：2022-11-20 晚于结束日期 2022-11-10"
    assert driver.find_element(By.ID, "from").get_attribute("value") == "2022-11-20"
    assert driver.find_element(By.ID, "from").get_attribute("aria-invalid") == "true"
    assert not driver.find_elements(By.ID, "headline")
    driver.execute_script("window.scrollTo(0, 0)")
    shot(driver, tmp_path, "04-progress-error")


def _clear_and_type(driver: Any, element_id: str, day: str) -> None:
    from selenium.webdriver.common.by import By

    field = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].value = ''", field)
    _type_day(driver, element_id, day)


def test_a_counter_is_refused_the_progress_page(
    browser: object, live_desk: str, desk_world: DeskWorld, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver: Any = browser
    browser_sign_in(driver, live_desk, *desk_world.staff["counter"])
    assert not driver.find_elements(By.LINK_TEXT, "活动进展")
    driver.get(f"{live_desk}/desk/progress?campaign=golden_autumn")
    assert driver.find_element(By.CSS_SELECTOR, "h1").text == "没有权限"
    assert "此页面需要「分析」及以上权限" in driver.find_element(By.CSS_SELECTOR, ".error").text
    assert not driver.find_elements(By.CSS_SELECTOR, "img.plot")
    shot(driver, tmp_path, "05-progress-refused")
