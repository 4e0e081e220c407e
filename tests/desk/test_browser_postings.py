"""The posting check in real headless Chromium: paste a posting, see its flags marked."""

from __future__ import annotations

from pathlib import Path

from tests.desk.browser import browser_sign_in, page_change, shot
from tests.desk.support import DeskWorld

POSTING = (
    "招聘叉车司机3名（男性，年龄18-50周岁），持叉车证，月薪5000-7000元，包吃住。\n"
    "乙肝勿扰，已婚已育优先。联系电话13812345678（王经理）\n"
    '<script>document.title="x"</script><b>加粗</b>'
)


def test_a_counter_checks_a_posting(
    browser: object, live_desk: str, desk_world: DeskWorld, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser
    browser_sign_in(driver, live_desk, *desk_world.staff["counter"])
    driver.get(f"{live_desk}/desk/postings")  # type: ignore[attr-defined]
    shot(driver, tmp_path, "01-posting-form")

    # keyboard only: the title, Tab to the text, Tab to the button, Enter
    driver.find_element(By.ID, "title").send_keys("叉车司机", Keys.TAB)  # type: ignore[attr-defined]
    text = driver.switch_to.active_element  # type: ignore[attr-defined]
    assert text.get_attribute("id") == "text"
    text.send_keys(POSTING, Keys.TAB)
    button = driver.switch_to.active_element  # type: ignore[attr-defined]
    assert button.text == "检查"
    with page_change(driver):
        button.send_keys(Keys.ENTER)
    marks = driver.find_elements(By.CSS_SELECTOR, "#posting-text mark.flag")  # type: ignore[attr-defined]
    assert [mark.text for mark in marks] == ["男性", "乙肝勿扰", "已婚已育优先"]
    assert "《就业促进法》第二十七条" in (marks[0].get_attribute("title") or "")
    laws = driver.find_elements(By.CSS_SELECTOR, "#posting-text .law")  # type: ignore[attr-defined]
    assert laws[0].text.startswith("〔1〕《就业促进法》第二十七条")
    assert "《就业服务与就业管理规定》第十九条" in laws[1].text
    shown = driver.find_element(By.ID, "posting-text").text  # type: ignore[attr-defined]
    assert "13812345678" not in shown and "[手机]" in shown
    assert '<script>document.title="x"</script><b>加粗</b>' in shown  # shown as text, not run
    assert driver.title.startswith("岗位检查")  # type: ignore[attr-defined]
    assert not driver.find_elements(By.CSS_SELECTOR, "#posting-text b, #posting-text script")  # type: ignore[attr-defined]
    fields = {
        row.find_element(By.TAG_NAME, "th").text: row.find_element(By.TAG_NAME, "td").text
        for row in driver.find_elements(By.CSS_SELECTOR, "#fields tr")  # type: ignore[attr-defined]
    }
    assert fields["岗位名称"] == "叉车司机"
    assert fields["年龄要求"] == "18–50 岁" and fields["招聘人数"] == "3 人"
    # what was typed stays in the form to correct and check again
    assert driver.find_element(By.ID, "text").get_attribute("value").startswith("招聘叉车司机")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "result").location_once_scrolled_into_view  # type: ignore[attr-defined]  # noqa: B018
    shot(driver, tmp_path, "02-posting-flags")

    text = driver.find_element(By.ID, "text")  # type: ignore[attr-defined]
    text.clear()
    text.send_keys("招聘普工，男女不限，18-45岁，月薪4000元")
    submit = driver.find_element(By.CSS_SELECTOR, "#posting-form button[type=submit]")  # type: ignore[attr-defined]
    with page_change(driver):
        submit.click()
    assert not driver.find_elements(By.CSS_SELECTOR, "mark.flag")  # type: ignore[attr-defined]
    summary = driver.find_element(By.ID, "flag-summary").text  # type: ignore[attr-defined]
    assert summary.startswith("未发现歧视性招聘条件")
    shot(driver, tmp_path, "03-posting-clean")

    driver.find_element(By.ID, "text").clear()  # type: ignore[attr-defined]
    driver.find_element(By.ID, "title").send_keys("长" * 10)  # type: ignore[attr-defined]
    driver.execute_script("document.getElementById('text').removeAttribute('required')")  # type: ignore[attr-defined]
    submit = driver.find_element(By.CSS_SELECTOR, "#posting-form button[type=submit]")  # type: ignore[attr-defined]
    with page_change(driver):
        submit.click()
    error = driver.find_element(By.ID, "text-error").text  # type: ignore[attr-defined]
    assert error == "「招聘信息」未填写：请粘贴招聘信息正文"
    shot(driver, tmp_path, "04-posting-error")
