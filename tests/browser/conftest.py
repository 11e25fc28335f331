"""One server process for every browser test (see chromium.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.chromium import CHROMEDRIVER, CHROMIUM, MISSING, running_server


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(MISSING)
    with running_server() as url:
        yield url
