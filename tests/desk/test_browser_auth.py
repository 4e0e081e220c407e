"""Sign-in and sign-out in real headless Chromium."""

from __future__ import annotations

from pathlib import Path

from tests.desk.browser import browser_sign_in, shot, wait_for_next_page
from tests.desk.support import DeskWorld


def test_staff_sign_in_see_their_sections_and_sign_out(
    browser: object, live_desk: str, desk_world: DeskWorld, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.delete_all_cookies()  # type: ignore[attr-defined]
    driver.get(f"{live_desk}/desk/")  # type: ignore[attr-defined]
    assert "/desk/login" in driver.current_url  # type: ignore[attr-defined]
    shot(driver, tmp_path, "01-login")
    name, _ = desk_world.staff["counter"]
    browser_sign_in(driver, live_desk, name, "wrong password!")
    error = driver.find_element(By.ID, "login-error")  # type: ignore[attr-defined]
    assert error.text == "用户名或密码错误"
    shot(driver, tmp_path, "02-login-refused")

    browser_sign_in(driver, live_desk, *desk_world.staff["counter"])
    assert driver.current_url.endswith("/desk/")  # type: ignore[attr-defined]
    tiles = [t.text.split("\n")[0] for t in driver.find_elements(By.CSS_SELECTOR, ".tiles strong")]  # type: ignore[attr-defined]
    assert tiles == ["窗口查询", "展位名单", "招聘会", "岗位检查"]
    cookie = driver.get_cookie("jm_desk")  # type: ignore[attr-defined]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/desk"
    shot(driver, tmp_path, "03-home-counter")

    button = driver.find_element(By.CSS_SELECTOR, ".signout button")  # type: ignore[attr-defined]
    button.click()
    wait_for_next_page(driver, button)
    assert "signed_out=1" in driver.current_url  # type: ignore[attr-defined]
    driver.get(f"{live_desk}/desk/")  # type: ignore[attr-defined]
    assert "/desk/login" in driver.current_url  # type: ignore[attr-defined]

    browser_sign_in(driver, live_desk, *desk_world.staff["admin"])
    tiles = [t.text.split("\n")[0] for t in driver.find_elements(By.CSS_SELECTOR, ".tiles strong")]  # type: ignore[attr-defined]
    assert tiles[-2:] == ["活动进展", "模型管理"]
