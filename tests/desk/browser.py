"""Headless Chromium for the desk's browser tests: Debian's ``chromium`` and ``chromium-driver``
(installed by ``.ci/run``), driven with Selenium over a live uvicorn server.

The browser is started with no network beyond loopback and a fresh profile; tests skip with a
one-line reason when Chromium or its driver is absent. Screenshots go to the test's temporary
folder (:func:`shot`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH, HEIGHT = 1024, 1366
"""A tablet held upright: what a counter's screen is at its narrowest."""


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(path) is None:
            return f"{path} is absent (apt install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    return None


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (Selenium WebDriver) at tablet size, closed at the end."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="jobmatch-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},{HEIGHT}",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    # the browser's locale (dates as 2022/09/28) comes from the environment on Linux, and
    # only with Debian's chromium-l10n installed (.ci/run); --lang alone sets the pages' language
    service = Service(
        executable_path=CHROMEDRIVER, env={**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"}
    )
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def shot(driver: object, folder: Path, name: str) -> Path:
    """Save a screenshot of the whole page as ``folder/name.png``; returns its path."""
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    assert path.stat().st_size > 1000, f"empty screenshot {path}"
    return path


def require_browser() -> None:
    reason = browser_missing()
    if reason is not None:
        pytest.skip(reason)


def browser_sign_in(driver: object, base: str, name: str, password: str) -> None:
    """Sign the browser in through the form, as staff do."""
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()  # type: ignore[attr-defined]
    driver.get(f"{base}/desk/login")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "name").send_keys(name)  # type: ignore[attr-defined]
    field = driver.find_element(By.ID, "password")  # type: ignore[attr-defined]
    field.send_keys(password)
    field.submit()
    wait_for_next_page(driver, field)


@contextmanager
def page_change(driver: object, timeout: float = 30.0) -> Iterator[None]:
    """Around a click or key press that leaves the page: wait until the next page has replaced
    this one (a find right after a submission could read the old page)."""
    from selenium.webdriver.common.by import By

    page = driver.find_element(By.TAG_NAME, "html")  # type: ignore[attr-defined]
    yield
    wait_for_next_page(driver, page, timeout)


def wait_for_next_page(driver: object, element: object, timeout: float = 30.0) -> None:
    """Wait until ``element`` (of the page being left) is gone and the next page has loaded."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def gone(_driver: object) -> bool:
        try:
            element.is_enabled()  # type: ignore[attr-defined]
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            # While the old document is being torn down, Chromium may answer for its nodes with
            # an inspector error rather than "stale element" (seen in CI): it is gone all the same.
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    def loaded(d: object) -> bool:
        return bool(d.execute_script("return document.readyState") == "complete")  # type: ignore[attr-defined]

    wait = WebDriverWait(driver, timeout)
    wait.until(gone)
    wait.until(loaded)
