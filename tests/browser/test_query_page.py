"""The query page in a real headless Chromium, served by a real server process.

The server is tests/browser/query_page_app.py under uvicorn on 127.0.0.1: the page and
assets come from kompass_graph.web.ui, queries are answered by pyoxigraph over the
fixture graph. The browser has no route to the internet; the page must not need one.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import httpx
import pytest

pytestmark = pytest.mark.browser

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')"
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip(
        "Debian's chromium and chromium-driver are not installed "
        "(apt-get install -y chromium chromium-driver)",
        allow_module_level=True,
    )

HERE = Path(__file__).resolve().parent
SCREENSHOT = Path(tempfile.gettempdir()) / "kompass-graph-query-page.png"
EXAMPLE_SCREENSHOT = Path(tempfile.gettempdir()) / "kompass-graph-query-page-example.png"
STARTUP_SECONDS = 20
WAIT_SECONDS = 15

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(HERE),
        "--factory",
        "query_page_app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(url, process, log)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: object) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)  # type: ignore[attr-defined]
            output = log.read().decode(errors="replace")  # type: ignore[attr-defined]
            pytest.fail(f"the test server exited with {process.returncode}:\n{output}")
        try:
            httpx.get(f"{url}/static/query.js", timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail(f"the test server did not answer at {url} within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory(prefix="kompass-chromium-") as profile:
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            yield driver
        finally:
            driver.quit()


def _open_page(browser: WebDriver, server_url: str) -> None:
    browser.get(f"{server_url}/sparql")
    _wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".yasqe .CodeMirror"))


def _wait(browser: WebDriver) -> WebDriverWait[WebDriver]:
    return WebDriverWait(browser, WAIT_SECONDS)


def _active_panel(browser: WebDriver) -> WebElement:
    return browser.find_element(By.CSS_SELECTOR, ".yasgui .tabPanel.active")


def _editor_text(browser: WebDriver) -> str:
    # CodeMirror keeps the text in its instance; the DOM shows only visible lines.
    text: str = browser.execute_script(
        "return document.querySelector('.tabPanel.active .CodeMirror').CodeMirror.getValue()"
    )
    return text


def _result_rows(browser: WebDriver) -> list[WebElement]:
    def rows_present(b: WebDriver) -> list[WebElement] | Literal[False]:
        rows = _active_panel(b).find_elements(By.CSS_SELECTOR, ".yasr table.dataTable tbody tr")
        return rows or False

    rows: list[WebElement] = _wait(browser).until(rows_present)
    return rows


def _severe_console_messages(browser: WebDriver) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")  # type: ignore[no-untyped-call]
        if entry["level"] == "SEVERE"
    ]


def test_typed_query_runs_and_shows_rows_with_links(browser: WebDriver, server_url: str) -> None:
    _open_page(browser, server_url)
    editor = _active_panel(browser).find_element(By.CSS_SELECTOR, ".CodeMirror textarea")
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .CodeMirror").click()
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    # No PREFIX line: the page knows our prefixes and declares kg: and rdfs: when typed.
    editor.send_keys("SELECT ?project ?label WHERE { ?project a kg:Project ; rdfs:label ?label ")
    editor.send_keys(Keys.ESCAPE)  # close any completion list before typing on
    editor.send_keys("} ORDER BY ?label")
    typed = _editor_text(browser)
    assert "PREFIX kg: <https://w3id.org/kompass-graph/ontology#>" in typed
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in typed

    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    rows = _result_rows(browser)

    texts = [row.text for row in rows]
    assert len(rows) == 3, texts
    assert "Ankommen in Gießen" in texts[0]
    assert "Sprachbrücke Kassel" in texts[1]
    assert "Werkstatt Offenbach" in texts[2]
    links = [a.get_attribute("href") for a in rows[1].find_elements(By.CSS_SELECTOR, "a")]
    assert "https://w3id.org/kompass-graph/id/project/sprachbruecke" in links
    # The IRI is shown with our prefix, not spelled out.
    assert "project:sprachbruecke" in texts[1]
    browser.save_screenshot(str(SCREENSHOT))
    assert _severe_console_messages(browser) == []


def test_example_query_opens_in_its_own_tab_and_runs(browser: WebDriver, server_url: str) -> None:
    _open_page(browser, server_url)
    browser.find_element(By.CSS_SELECTOR, '.kg-example[data-example="funders-count"]').click()

    def tab_named_after_example(b: WebDriver) -> bool:
        active = b.find_element(By.CSS_SELECTOR, ".yasgui .tabsList .tab.active")
        return active.text.startswith("Number of projects per funder <&>")

    _wait(browser).until(tab_named_after_example)
    assert "SELECT ?funder (COUNT(?project) AS ?projects)" in _editor_text(browser)

    _active_panel(browser).find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    rows = _result_rows(browser)

    texts = [row.text for row in rows]
    assert len(rows) == 2, texts
    # row number, funder shortened with our prefix, count as a typed literal
    assert texts[0].split() == ["1", "actor:land-hessen", '"2"^^xsd:integer']
    assert texts[1].split() == ["2", "actor:stiftung-beispiel", '"1"^^xsd:integer']
    browser.save_screenshot(str(EXAMPLE_SCREENSHOT))
    assert _severe_console_messages(browser) == []


def test_endpoint_field_shows_this_server_and_cannot_be_edited(
    browser: WebDriver, server_url: str
) -> None:
    _open_page(browser, server_url)
    field = _active_panel(browser).find_element(By.CSS_SELECTOR, ".controlbar input.autocomplete")
    _wait(browser).until(lambda _: field.get_attribute("readonly") is not None)
    assert field.get_attribute("value") == f"{server_url}/sparql"
    field.send_keys("x")
    assert field.get_attribute("value") == f"{server_url}/sparql"


def test_page_requests_nothing_outside_this_server(browser: WebDriver, server_url: str) -> None:
    _open_page(browser, server_url)
    resources: list[str] = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources, "the page loaded no resources at all; the check would prove nothing"
    outside = [url for url in resources if not url.startswith(server_url + "/")]
    assert outside == []
