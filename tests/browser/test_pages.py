"""The resource pages in a real headless Chromium, served by the real server process.

From the landing page to a project, its diagram, the English page and the query UI
with the project's query ready in the editor: by clicking links, as a person does.
The server and the browser start as in every browser test (chromium.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser.chromium import WAIT_SECONDS, headless_chromium

pytestmark = pytest.mark.browser

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SCREENSHOT = Path(tempfile.gettempdir()) / "kompass-graph-project-page.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    # a German browser: the pages' default language, so the switch to English shows
    with headless_chromium(prefs={"intl.accept_languages": "de-DE,de"}) as driver:
        assert isinstance(driver, WebDriver)
        yield driver


def _wait(browser: WebDriver) -> WebDriverWait[WebDriver]:
    return WebDriverWait(browser, WAIT_SECONDS)


def _editor_text(browser: WebDriver) -> str:
    text: str = browser.execute_script(
        "const editor = document.querySelector('.tabPanel.active .CodeMirror');"
        "return editor === null ? null : editor.CodeMirror.getValue()"
    )
    return text


def test_from_the_landing_page_to_a_project_its_diagram_and_its_query(
    browser: WebDriver, server_url: str
) -> None:
    browser.get(f"{server_url}/")
    project_links = _wait(browser).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, 'a[href^="/id/project/"]')
    )
    project_path = urlsplit(project_links[0].get_attribute("href") or "").path
    project_links[0].click()
    _wait(browser).until(lambda b: urlsplit(b.current_url).path == project_path)

    # the diagram is drawn and visible, with the project and at least one actor in it
    diagram = _wait(browser).until(lambda b: b.find_element(By.ID, "project-diagram"))
    assert diagram.is_displayed()
    assert diagram.size["width"] > 300 and diagram.size["height"] > 100
    nodes = diagram.find_elements(By.CSS_SELECTOR, "a.kg-diagram-node")
    assert len(nodes) >= 2
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"

    # to English by the language link
    browser.find_element(By.CSS_SELECTOR, '.kg-languages a[data-lang="en"]').click()
    _wait(browser).until(
        lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    )
    assert urlsplit(browser.current_url).path == project_path
    assert browser.find_element(By.ID, "project-diagram").is_displayed()
    browser.save_screenshot(str(SCREENSHOT))

    # the query UI, with the resource's query in the editor
    query_link = browser.find_element(By.CSS_SELECTOR, "a.kg-query-link")
    href = query_link.get_attribute("href") or ""
    expected = unquote(href.partition("#query=")[2])
    assert project_path in expected
    query_link.click()
    _wait(browser).until(lambda b: urlsplit(b.current_url).path == "/sparql")
    _wait(browser).until(lambda b: _editor_text(b) == expected)
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[no-untyped-call]
    assert severe == []
