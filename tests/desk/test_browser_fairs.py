"""The fairs pages and the booth view in real headless Chromium: the calendar, a fair, a batch
run watched to the end, the XLSX download, the report's figures and a booth's lists."""

from __future__ import annotations

import io
import time
from pathlib import Path

import openpyxl

from matcher.domain.records import Contact, Fair, Seeker
from matcher.storage.store import Store
from tests.desk.browser import browser_sign_in, page_change, shot
from tests.desk.support import DeskWorld, stored_contacts

FAIR = "F-hr_market_graduate_week"
FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: "same-origin"}).then(async (answer) => {
  const bytes = new Uint8Array(await answer.arrayBuffer());
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  done({status: answer.status, type: answer.headers.get("content-type"),
        disposition: answer.headers.get("content-disposition"), body: btoa(binary)});
}).catch((error) => done({status: 0, error: String(error)}));
"""


def _show(driver: object, css: str) -> object:
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.CSS_SELECTOR, css)  # type: ignore[attr-defined]
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", element)  # type: ignore[attr-defined]
    return element


def test_staff_run_a_fairs_batch_watch_it_and_download_the_lists(
    browser: object, live_desk: str, desk_world: DeskWorld, tmp_path: Path
) -> None:
    import base64

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    browser_sign_in(driver, live_desk, *desk_world.staff["counter"])
    with Store.open(desk_world.world.home) as store:
        fair = store.get(Fair, FAIR)
        contacts: list[Contact] = stored_contacts(store)
        seekers = store.count(Seeker)

    # the calendar
    with page_change(driver):
        driver.find_element(By.LINK_TEXT, "招聘会").click()  # type: ignore[attr-defined]
    assert driver.current_url.endswith("/desk/fairs")  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "h1").text == "活动与招聘会日历"  # type: ignore[attr-defined]
    campaigns = driver.find_elements(By.CSS_SELECTOR, "#campaigns tbody tr")  # type: ignore[attr-defined]
    assert len(campaigns) >= 10
    shot(driver, tmp_path, "01-calendar")
    _show(driver, "#campaigns")
    shot(driver, tmp_path, "01b-campaigns")
    driver.execute_script("window.scrollTo(0, 0);")  # type: ignore[attr-defined]

    # a fair
    with page_change(driver):
        driver.find_element(By.LINK_TEXT, fair.name).click()  # type: ignore[attr-defined]
    assert driver.current_url.endswith(f"/desk/fairs/{FAIR}")  # type: ignore[attr-defined]
    booths = driver.find_elements(By.CSS_SELECTOR, "#booths tbody tr")  # type: ignore[attr-defined]
    assert len(booths) == len(fair.booths)
    shot(driver, tmp_path, "02-fair")

    # start a run with the keyboard-usable form
    field = driver.find_element(By.ID, "per_vacancy")  # type: ignore[attr-defined]
    field.clear()
    field.send_keys("abc")
    with page_change(driver):
        driver.find_element(By.ID, "start-run").click()  # type: ignore[attr-defined]
    error = driver.find_element(By.ID, "per_vacancy-error")  # type: ignore[attr-defined]
    assert "「每个岗位邀约人数」填写有误" in error.text
    shot(driver, tmp_path, "03-form-error")
    field = driver.find_element(By.ID, "per_vacancy")  # type: ignore[attr-defined]
    field.clear()
    field.send_keys("20")
    driver.find_element(By.ID, "start-run").click()  # type: ignore[attr-defined]
    WebDriverWait(driver, 30).until(lambda d: "/runs/" in d.current_url)
    run_url = driver.current_url  # type: ignore[attr-defined]
    progress = driver.find_element(By.ID, "run-progress")  # type: ignore[attr-defined]
    assert progress.tag_name == "progress"
    shot(driver, tmp_path, "04-run-started")

    # the page reloads itself every 2 s until the run is done
    seen: list[str] = []

    def finished(_: object) -> bool:
        try:
            state = driver.find_element(By.ID, "run-state").text  # type: ignore[attr-defined]
        except Exception:  # the page is reloading
            return False
        seen.append(state)
        return state != "运行中"

    started = time.monotonic()
    WebDriverWait(driver, 180, poll_frequency=0.5).until(finished)
    assert driver.find_element(By.ID, "run-state").text == "已完成", seen  # type: ignore[attr-defined]
    assert time.monotonic() - started < 180
    progress = driver.find_element(By.ID, "run-progress")  # type: ignore[attr-defined]
    assert progress.get_attribute("value") == progress.get_attribute("max")
    shot(driver, tmp_path, "05-run-done")

    # the figures and plots of the report
    tiles = driver.find_elements(By.CSS_SELECTOR, ".figures strong")  # type: ignore[attr-defined]
    assert len(tiles) == 3 and int(tiles[0].text) == seekers
    tables = driver.find_elements(By.CSS_SELECTOR, "#report table")  # type: ignore[attr-defined]
    assert len(tables) >= 2
    plots = driver.find_elements(By.CSS_SELECTOR, "#report img.plot")  # type: ignore[attr-defined]
    assert len(plots) == 2
    for plot in plots:
        width = driver.execute_script("return arguments[0].naturalWidth;", plot)  # type: ignore[attr-defined]
        assert width > 100, plot.get_attribute("src")
    _show(driver, "#downloads")
    shot(driver, tmp_path, "06-downloads-and-figures")
    _show(driver, "#report img.plot")
    shot(driver, tmp_path, "07-report-plot")

    # the workbook through its link, as the browser fetches it with the session
    link = driver.find_element(By.CSS_SELECTOR, 'a[href$="/files/matches.xlsx"]')  # type: ignore[attr-defined]
    assert link.get_attribute("download") is not None
    answer = driver.execute_async_script(FETCH, link.get_attribute("href"))  # type: ignore[attr-defined]
    assert answer["status"] == 200, answer
    assert answer["disposition"].startswith("attachment")
    content = base64.b64decode(answer["body"])
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        sheets = book.sheetnames
        rows = sum(1 for sheet in book for _ in sheet.iter_rows(values_only=True))
        text = "".join(
            str(cell)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    finally:
        book.close()
    assert len(sheets) >= 2 and rows > len(sheets)
    phones = [c.phone for c in contacts if c.phone]
    assert phones and not any(phone in text for phone in phones)

    # a booth of the fair: its candidates and the invitation list of this run
    driver.get(f"{live_desk}/desk/fairs/{FAIR}")  # type: ignore[attr-defined]
    first = driver.find_element(By.CSS_SELECTOR, "#booths tbody a")  # type: ignore[attr-defined]
    with page_change(driver):
        first.click()
    assert "/desk/booths/" in driver.current_url  # type: ignore[attr-defined]
    refs = driver.find_elements(By.CSS_SELECTOR, "#candidates code")  # type: ignore[attr-defined]
    assert refs and all(r.text.startswith("ref_") for r in refs)
    shot(driver, tmp_path, "08-booth")
    invitations = _show(driver, "#invitations")
    assert run_url.rsplit("/", 1)[-1] in invitations.text  # type: ignore[attr-defined]
    shot(driver, tmp_path, "09-booth-invitations")
    page = driver.page_source  # type: ignore[attr-defined]
    for contact in contacts:
        for value in (contact.phone, contact.id_number, contact.address):
            assert not value or value not in page


def test_staff_find_a_booth_by_search_or_by_fair(
    browser: object, live_desk: str, desk_world: DeskWorld, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    driver = browser
    browser_sign_in(driver, live_desk, *desk_world.staff["counter"])
    with Store.open(desk_world.world.home) as store:
        fair = store.get(Fair, FAIR)
    with page_change(driver):
        driver.find_element(By.LINK_TEXT, "展位名单").click()  # type: ignore[attr-defined]
    assert driver.current_url.endswith("/desk/booths")  # type: ignore[attr-defined]
    field = driver.find_element(By.ID, "q")  # type: ignore[attr-defined]
    with page_change(driver):
        field.send_keys("操作工", Keys.ENTER)
    rows = driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")  # type: ignore[attr-defined]
    assert rows and all("操作工" in row.text for row in rows)
    shot(driver, tmp_path, "01-booths-search")

    Select(driver.find_element(By.ID, "fair")).select_by_value(FAIR)  # type: ignore[attr-defined]
    with page_change(driver):
        driver.find_element(By.ID, "fair").submit()  # type: ignore[attr-defined]
    booths = driver.find_elements(By.CSS_SELECTOR, "#booths tbody tr")  # type: ignore[attr-defined]
    assert len(booths) == len(fair.booths)
    _show(driver, "#booths")
    shot(driver, tmp_path, "02-booths-of-fair")
    with page_change(driver):
        booths[0].find_element(By.TAG_NAME, "a").click()
    assert f"fair={FAIR}" in driver.current_url  # type: ignore[attr-defined]
    assert driver.find_elements(By.CSS_SELECTOR, "#candidates code.ref")  # type: ignore[attr-defined]
    shot(driver, tmp_path, "03-booth")
