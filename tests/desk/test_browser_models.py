"""The models page in real headless Chromium: an analyst reviews, an admin promotes through the
confirmation dialog and rolls back, a counter account's promotion is refused.

The server runs over a copy of the desk world with a second model, so the shared world's active
model never changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api import ApiSettings, create_app
from matcher.learning.training import save_run, train_run
from matcher.ranking.serving import registry_for
from matcher.storage.store import Store
from tests.api.live import live_server
from tests.api.support import SMALL_MODEL, World, copy_world
from tests.desk.browser import browser_sign_in, page_change, shot
from tests.desk.support import DeskWorld


@pytest.fixture(scope="module")
def models_desk(
    browser: object, desk_world: DeskWorld, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, World, str]]:
    """A live server over a copy of the desk world with a second model (not promoted): base
    URL, the copy, the second version."""
    copy = copy_world(desk_world.world, tmp_path_factory.mktemp("browser-models"))
    with Store.open(copy.home) as store:
        run = train_run(
            store, baselines=("tfidf_cosine", "bm25"), params={**SMALL_MODEL, "num_leaves": 7}
        )
        second = save_run(registry_for(copy.home), run, notes="第二个模型").version
    app = create_app(ApiSettings(home=copy.home, today=copy.today))
    with live_server(app) as live:
        yield f"http://127.0.0.1:{live.port}", copy, second


def _confirmed(driver: object, button: str) -> str:
    """Click ``button`` (a CSS selector), accept the confirmation it asks, wait for the next
    page; returns what the confirmation said."""
    from selenium.webdriver.common.by import By

    with page_change(driver, 60):
        driver.find_element(By.CSS_SELECTOR, button).click()  # type: ignore[attr-defined]
        alert = driver.switch_to.alert  # type: ignore[attr-defined]
        text = str(alert.text)
        alert.accept()
    return text


def _active(world: World) -> str | None:
    return registry_for(world.home).active_version()


def test_an_analyst_reviews_a_version_beside_the_active_one(
    browser: object,
    models_desk: tuple[str, World, str],
    desk_world: DeskWorld,
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = browser
    base, world, second = models_desk
    browser_sign_in(driver, base, *desk_world.staff["analyst"])
    driver.get(f"{base}/desk/models")  # type: ignore[attr-defined]
    versions = [
        row.get_attribute("data-version")
        for row in driver.find_elements(By.CSS_SELECTOR, "#registry tbody tr")  # type: ignore[attr-defined]
    ]
    assert set(versions) == {world.version, second}
    assert not driver.find_elements(By.CSS_SELECTOR, "form[data-confirm]")  # type: ignore[attr-defined]
    with page_change(driver, 60):
        driver.find_element(By.LINK_TEXT, second).click()  # type: ignore[attr-defined]
    assert driver.current_url.endswith(f"/desk/models/{second}")  # type: ignore[attr-defined]
    roles = [
        row.get_attribute("data-role")
        for row in driver.find_elements(By.CSS_SELECTOR, "#overall tbody tr")  # type: ignore[attr-defined]
    ]
    assert roles == ["model", "active", "baseline", "baseline"]
    groups = driver.find_elements(By.CSS_SELECTOR, "#groups tbody tr th")  # type: ignore[attr-defined]
    assert len(groups) > 3 and all(group.text for group in groups)
    assert "退役军人" in {group.text for group in groups}
    driver.find_element(By.ID, "evaluation").location_once_scrolled_into_view  # type: ignore[attr-defined]  # noqa: B018
    shot(driver, tmp_path, "01-analyst-evaluation")
    Select(driver.find_element(By.ID, "metric")).select_by_value("mrr")  # type: ignore[attr-defined]
    with page_change(driver, 60):
        driver.find_element(By.CSS_SELECTOR, ".metric-form button").click()  # type: ignore[attr-defined]
    assert driver.current_url.endswith("?metric=mrr")  # type: ignore[attr-defined]
    caption = driver.find_element(By.CSS_SELECTOR, "#groups caption").text  # type: ignore[attr-defined]
    assert caption.startswith("MRR")


def test_an_admin_promotes_after_confirming_and_rolls_back(
    browser: object,
    models_desk: tuple[str, World, str],
    desk_world: DeskWorld,
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    base, world, second = models_desk
    first = _active(world)
    assert first == world.version
    browser_sign_in(driver, base, *desk_world.staff["admin"])
    driver.get(f"{base}/desk/models")  # type: ignore[attr-defined]
    shot(driver, tmp_path, "01-admin-registry")
    button = f'form[action="/desk/models/{second}/promote"] button'

    driver.find_element(By.CSS_SELECTOR, button).click()  # type: ignore[attr-defined]
    alert = driver.switch_to.alert  # type: ignore[attr-defined]
    assert alert.text.startswith(f"确定启用模型 {second}？")
    alert.dismiss()  # changed their mind: nothing is sent
    assert _active(world) == first
    assert not driver.find_elements(By.ID, "notice")  # type: ignore[attr-defined]

    assert _confirmed(driver, button).startswith(f"确定启用模型 {second}？")
    notice = driver.find_element(By.ID, "notice").text  # type: ignore[attr-defined]
    assert notice.startswith(f"已启用模型 {second}")
    assert driver.find_element(By.ID, "active-version").text == second  # type: ignore[attr-defined]
    assert _active(world) == second
    shot(driver, tmp_path, "02-admin-promoted")

    confirmation = _confirmed(driver, "#rollback-form button")
    assert confirmation.startswith("确定回退到上一个启用过的模型版本？")
    notice = driver.find_element(By.ID, "notice").text  # type: ignore[attr-defined]
    assert notice.startswith(f"已回退到模型 {first}")
    assert _active(world) == first
    history = driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")  # type: ignore[attr-defined]
    assert history[0].text.split()[-3:] == ["回退", second, first]
    shot(driver, tmp_path, "03-admin-rolled-back")


def test_a_counter_account_cannot_promote(
    browser: object,
    models_desk: tuple[str, World, str],
    desk_world: DeskWorld,
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    base, world, second = models_desk
    before = _active(world)
    browser_sign_in(driver, base, *desk_world.staff["counter"])
    assert not driver.find_elements(By.LINK_TEXT, "模型管理")  # type: ignore[attr-defined]
    driver.get(f"{base}/desk/models")  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "h1").text == "没有权限"  # type: ignore[attr-defined]
    shot(driver, tmp_path, "01-counter-models-refused")

    # a promotion form posted anyway, with the counter's own valid session and token
    driver.get(f"{base}/desk/postings")  # type: ignore[attr-defined]
    script = """
        const form = document.createElement("form");
        form.method = "post";
        form.action = arguments[0];
        const token = document.createElement("input");
        token.type = "hidden";
        token.name = "csrf";
        token.value = document.querySelector("input[name=csrf]").value;
        form.appendChild(token);
        document.body.appendChild(form);
        form.submit();
        """
    target = f"/desk/models/{second}/promote"
    with page_change(driver, 60):
        driver.execute_script(script, target)  # type: ignore[attr-defined]
    message = driver.find_element(By.CSS_SELECTOR, "p.error").text  # type: ignore[attr-defined]
    assert message == "此页面需要「管理」及以上权限"
    assert driver.find_element(By.TAG_NAME, "h1").text == "没有权限"  # type: ignore[attr-defined]
    assert _active(world) == before
    shot(driver, tmp_path, "02-counter-promotion-refused")
