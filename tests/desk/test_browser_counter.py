"""The counter's walk-in lookup in real headless Chromium, by keyboard: type what the walk-in
says, look up, open the A4 sheet, save the walk-in as a seeker and record one vacancy as applied.
Screenshots go to the test's temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from matcher.domain.records import Seeker
from matcher.storage.store import Store
from tests.desk.browser import browser_sign_in, shot
from tests.desk.support import DeskWorld
from tests.desk.test_counter import VETERAN, _day_with_a_fitting_post


def test_a_walk_in_looked_up_printed_saved_and_recorded_as_applied(
    browser: object, live_desk: str, desk_world: DeskWorld, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver = cast(WebDriver, browser)
    day, fitting = _day_with_a_fitting_post(desk_world)
    browser_sign_in(driver, live_desk, *desk_world.staff["counter"])
    driver.get(f"{live_desk}/desk/lookup")
    find = driver.find_element
    find(By.ID, "lookup-submit").send_keys(Keys.ENTER)  # nothing typed: refused, in words
    WebDriverWait(driver, 30).until(
        expected_conditions.presence_of_element_located((By.ID, "lookup-errors"))
    )
    assert "请填写「求职者怎么说」或「求职者编号」" in find(By.ID, "lookup-errors").text
    assert find(By.ID, "text").get_attribute("aria-invalid") == "true"
    shot(driver, tmp_path, "00-nothing-typed")
    text = find(By.ID, "text")
    assert driver.switch_to.active_element == text
    text.send_keys(VETERAN)
    text.send_keys(Keys.TAB)  # on to the seeker id, the county, the campaign, the day
    assert driver.switch_to.active_element == find(By.ID, "seeker_id")
    # the date field's segments, in the order the browser's locale shows them
    order = driver.execute_script(
        "return new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2022, 10, 28))"
        ".map(p => p.type).filter(t => ['year', 'month', 'day'].includes(t))"
    )
    find(By.ID, "campaign").send_keys(Keys.TAB)  # into the date field's first segment
    date = driver.switch_to.active_element
    assert date.get_attribute("id") == "day"
    for part in order:  # a month or day of two digits moves on by itself; a year does not
        if part == "year":
            date.send_keys(f"{day.year:04d}", Keys.ARROW_RIGHT)
        else:
            date.send_keys(f"{getattr(day, part):02d}")
    assert date.get_attribute("value") == day.isoformat()
    with Store.open(desk_world.world.home) as store:
        seekers = store.count(Seeker)
    find(By.ID, "k").send_keys(Keys.ENTER)  # Enter in a field sends the form
    WebDriverWait(driver, 30).until(
        expected_conditions.presence_of_element_located((By.ID, "results"))
    )

    rows = driver.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    assert rows, find(By.TAG_NAME, "main").text
    assert rows[0].get_attribute("data-vacancy") in fitting
    understood = find(By.ID, "understood").text
    assert "期望职业 司机、保安" in understood and "B2驾驶证" in understood
    assert find(By.ID, "text").get_attribute("value") == VETERAN  # the words stay in the form
    shot(driver, tmp_path, "01-lookup-results")
    with Store.open(desk_world.world.home) as store:
        assert store.count(Seeker) == seekers  # nothing kept from a lookup

    # the A4 sheet opens in its own tab: the list, nothing of the seeker
    listed = [row.get_attribute("data-vacancy") for row in rows]
    results_tab = driver.current_window_handle
    find(By.ID, "print-view").click()
    WebDriverWait(driver, 10).until(expected_conditions.number_of_windows_to_be(2))
    sheet_tab = next(h for h in driver.window_handles if h != results_tab)
    driver.switch_to.window(sheet_tab)
    WebDriverWait(driver, 10).until(
        expected_conditions.presence_of_element_located((By.ID, "sheet"))
    )
    sheet = find(By.ID, "sheet").text
    assert sheet.startswith("遂宁市公共就业服务 推荐岗位")
    assert f"日期：{day.year}年{day.month}月{day.day}日" in sheet
    assert "退伍军人" not in driver.page_source and "船山区，" not in sheet
    numbers = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".sheet-item .vacancy-id")]
    assert numbers == listed
    assert find(By.ID, "print-now").get_attribute("data-print") is not None
    shot(driver, tmp_path, "02-print-view")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not find(By.ID, "print-now").is_displayed()  # buttons and the bar stay off the paper
    assert not find(By.CSS_SELECTOR, "header.bar").is_displayed()
    shot(driver, tmp_path, "03-print-as-paper")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    driver.close()
    driver.switch_to.window(results_tab)

    # save the walk-in (staff give the birth year), then record one vacancy as applied
    year = find(By.ID, "save-birth-year")
    year.send_keys("1988")
    year.send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(
        expected_conditions.presence_of_element_located((By.ID, "lookup-notice"))
    )
    notice = find(By.ID, "lookup-notice").text
    assert notice.startswith("已保存为求职者，编号 WK-")
    seeker_id = notice.split("编号 ")[1].split("。")[0]
    shot(driver, tmp_path, "04-saved-walk-in")
    row = driver.find_elements(By.CSS_SELECTOR, "table.results tbody tr")[0]
    vacancy_id = row.get_attribute("data-vacancy")
    apply = row.find_element(By.CSS_SELECTOR, "button.record-apply")
    apply.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(expected_conditions.alert_is_present())
    alert = driver.switch_to.alert
    assert alert.text.startswith("确认记录：求职者已投递")
    alert.accept()
    WebDriverWait(driver, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "tr.recorded"))
    )
    assert find(By.ID, "lookup-notice").text == "已记录 1 条「已投递」"
    assert find(By.CSS_SELECTOR, "tr.recorded").get_attribute("data-vacancy") == vacancy_id
    shot(driver, tmp_path, "05-recorded-as-applied")
    with Store.open(desk_world.world.home) as store:
        recorded = list(store.iter_interactions(seeker_id=seeker_id))
        assert store.get(Seeker, seeker_id).birth_year == 1988
    assert [(i.vacancy_id, i.kind.value, i.source) for i in recorded] == [
        (vacancy_id, "apply", "desk")
    ]
