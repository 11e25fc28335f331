"""What the browser tests share: Debian's Chromium, and our server as a real process.

`kompass-graph serve` runs on a free loopback port with the project's own data;
Chromium runs headless with no route to the internet (its background networking is
off) and a fresh profile. A machine without chromium or chromedriver skips the tests
and says why; `.ci/run` installs both, so CI never passes by skipping.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import pytest

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = (
    "Debian's chromium and chromium-driver are not installed "
    "(apt-get install -y chromium chromium-driver)"
)
SERVER_COMMAND = Path(sys.executable).parent / "kompass-graph"
STARTUP_SECONDS = 90  # the server validates our data with SHACL before it listens
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_ready(url: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")
            pytest.fail(f"`kompass-graph serve` exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"`kompass-graph serve` was not ready at {url} within {STARTUP_SECONDS} s")


@contextmanager
def running_server() -> Iterator[str]:
    """`kompass-graph serve` on a free loopback port; yields its URL."""
    port = free_port()
    command = [str(SERVER_COMMAND), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_ready(url, process, log)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)


@contextmanager
def headless_chromium(prefs: Mapping[str, object] | None = None) -> Iterator[object]:
    """A selenium driver for Debian's headless Chromium with a fresh profile (skips the
    test where chromium or chromedriver is missing)."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(MISSING)
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')"
    )
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory(prefix="kompass-chromium-") as profile:
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        if prefs:
            options.add_experimental_option("prefs", dict(prefs))
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            yield driver
        finally:
            driver.quit()
