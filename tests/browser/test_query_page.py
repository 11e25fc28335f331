"""The query page in a real headless Chromium, served by the real server process.

`kompass-graph serve` runs on 127.0.0.1 with the project's own data; the expected
answers come from an in-process pyoxigraph store loaded with the same files, so the
test checks the page, not a copy of today's data. The browser has no route to the
internet, and the page must not need one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pyoxigraph
import pytest

from kompass_graph.queries import StoredQuery, project_queries
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files
from tests.browser.chromium import WAIT_SECONDS, headless_chromium

pytestmark = pytest.mark.browser

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')"
)
from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SCREENSHOT = Path(tempfile.gettempdir()) / "kompass-graph-query-page.png"
EXAMPLE_SCREENSHOT = Path(tempfile.gettempdir()) / "kompass-graph-query-page-example.png"
PAGE_SIZE = 50  # rows YASGUI's table shows per page


# --- the answers the server should give ------------------------------------------------


@pytest.fixture(scope="module")
def reference_store() -> pyoxigraph.Store:
    """The files the server loads by default, in an in-process store of our own."""
    store = pyoxigraph.Store()
    files = find_project_files(Settings().project_root).graph_files
    assert files, "no project files found; the comparison would prove nothing"
    for path in files:
        rdf_format = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip("."))
        assert rdf_format is not None, f"cannot load {path} into the reference store"
        store.load(path=str(path), format=rdf_format)
    return store


def _expected_solutions(
    store: pyoxigraph.Store, query: str
) -> tuple[list[str], list[pyoxigraph.QuerySolution]]:
    """The variables and solutions of a SELECT query, from the reference store."""
    # as the server answers: the default graph is the union of our per-source graphs
    results = store.query(query, use_default_graph_as_union=True)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    return [v.value for v in results.variables], list(results)


def _iris(solution: pyoxigraph.QuerySolution, variables: list[str]) -> set[str]:
    values = (solution[name] for name in variables)
    return {v.value for v in values if isinstance(v, pyoxigraph.NamedNode)}


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    with headless_chromium() as driver:
        assert isinstance(driver, WebDriver)
        yield driver


def _open_page(browser: WebDriver, server_url: str) -> None:
    browser.get(f"{server_url}/sparql")
    _wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".yasqe .CodeMirror"))


def _wait(browser: WebDriver) -> WebDriverWait[WebDriver]:
    return WebDriverWait(browser, WAIT_SECONDS)


def _active_panel(browser: WebDriver) -> WebElement:
    return browser.find_element(By.CSS_SELECTOR, ".yasgui .tabPanel.active")


def _focus_editor(browser: WebDriver) -> None:
    """Click into the active editor and wait until its input has the keyboard focus."""
    _active_panel(browser).find_element(By.CSS_SELECTOR, ".CodeMirror").click()
    _wait(browser).until(
        lambda b: b.execute_script(
            "const a = document.activeElement;"
            "return a !== null && a.closest('.tabPanel.active .CodeMirror') !== null"
        )
    )


def _type(browser: WebDriver, *keys: str) -> None:
    """Type as a person does: keystrokes go to whatever has the focus.

    CodeMirror takes input through a hidden, zero-sized textarea. Sending keys to that
    element makes chromedriver check that it is interactable, which some Chromium
    releases (150) refuse for it; keystrokes through the actions API have no target
    element, so they reach the focused editor on every release.
    """
    ActionChains(browser).send_keys(*keys).perform()


def _press(browser: WebDriver, modifier: str, key: str) -> None:
    """A chord such as Ctrl+A: the modifier stays down while the key is typed."""
    ActionChains(browser).key_down(modifier).send_keys(key).key_up(modifier).perform()


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


def _links(row: WebElement) -> set[str]:
    return {a.get_attribute("href") or "" for a in row.find_elements(By.CSS_SELECTOR, "a")}


def _severe_console_messages(browser: WebDriver) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")  # type: ignore[no-untyped-call]
        if entry["level"] == "SEVERE"
    ]


# --- the tests -------------------------------------------------------------------------------


def test_typed_query_runs_and_shows_rows_with_links(
    browser: WebDriver, server_url: str, reference_store: pyoxigraph.Store
) -> None:
    _open_page(browser, server_url)
    _focus_editor(browser)
    _press(browser, Keys.CONTROL, "a")
    _type(browser, Keys.DELETE)
    assert _editor_text(browser) == ""
    # No PREFIX line: the page knows our prefixes and declares kg: and skos: when typed.
    _type(browser, "SELECT ?project ?label WHERE { ?project a kg:Project ; skos:prefLabel ?label ")
    # Escape closes any completion list; the editor then gives up the focus (YASQE binds
    # Esc to leaving the editor), so click back in and go to the end, as a person would.
    _type(browser, Keys.ESCAPE)
    _focus_editor(browser)
    _press(browser, Keys.CONTROL, Keys.END)
    _type(browser, "} ORDER BY ?label ?project")
    typed = _editor_text(browser)
    assert "PREFIX kg: <https://w3id.org/kompass-graph/ontology#>" in typed
    assert "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in typed

    _press(browser, Keys.CONTROL, Keys.ENTER)
    rows = _result_rows(browser)

    _, expected = _expected_solutions(reference_store, typed)
    assert expected, "the reference store has no projects; the check would prove nothing"
    assert len(rows) == min(len(expected), PAGE_SIZE)
    for row, solution in zip(rows, expected, strict=False):
        assert solution["project"].value in _links(row)
        assert solution["label"].value in row.text
    assert "project:" in rows[0].text, "IRIs should be shown with our prefixes"
    browser.save_screenshot(str(SCREENSHOT))
    assert _severe_console_messages(browser) == []


def test_every_stored_query_is_offered(browser: WebDriver, server_url: str) -> None:
    _open_page(browser, server_url)
    examples = list(project_queries(Settings()).values())
    buttons = browser.find_elements(By.CSS_SELECTOR, ".kg-example")
    assert [b.get_attribute("data-example") for b in buttons] == [e.name for e in examples]


def test_example_query_opens_in_its_own_tab_and_runs(
    browser: WebDriver, server_url: str, reference_store: pyoxigraph.Store
) -> None:
    example: StoredQuery = next(iter(project_queries(Settings()).values()))
    _open_page(browser, server_url)
    browser.find_element(By.CSS_SELECTOR, f'.kg-example[data-example="{example.name}"]').click()

    def tab_named_after_example(b: WebDriver) -> bool:
        active = b.find_element(By.CSS_SELECTOR, ".yasgui .tabsList .tab.active")
        # the tab's text is its name followed by a close mark
        return active.text.startswith(example.title)

    _wait(browser).until(tab_named_after_example)
    assert _editor_text(browser) == example.text

    _active_panel(browser).find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    rows = _result_rows(browser)

    variables, expected = _expected_solutions(reference_store, example.text)
    assert expected, f"{example.name} answers nothing here; the check would prove nothing"
    assert len(rows) == min(len(expected), PAGE_SIZE)
    for row, solution in zip(rows, expected, strict=False):
        assert _iris(solution, variables) <= _links(row)
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
