"""`kompass-graph serve` as a real process: SIGHUP reloads the served files without
stopping, refuses invalid ones, and `--workers 2` runs two server processes."""

from __future__ import annotations

import json
import os
import re
import signal
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.serving import running_server

pytestmark = pytest.mark.server

GRAPH = "http://example.org/release"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"


def write_release(path: Path, statements: int) -> None:
    lines = [
        f'<http://example.org/item/{i}> <http://example.org/rank> "{i}" .'
        for i in range(statements)
    ]
    path.write_text(f"<{GRAPH}> {{\n" + "\n".join(lines) + "\n}\n", encoding="utf-8")


def count(base: str) -> tuple[int, str]:
    request = urllib.request.Request(
        f"{base}/sparql",
        data=urllib.parse.urlencode({"query": COUNT}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = json.loads(answer.read())
        return int(body["results"]["bindings"][0]["n"]["value"]), answer.headers["Kompass-Release"]


def wait_for(predicate: object, what: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen:\n" + log.read_text())


def test_sighup_reloads_the_files_and_refuses_invalid_ones(tmp_path: Path) -> None:
    data, log = tmp_path / "release.trig", tmp_path / "server.log"
    write_release(data, 3)
    with running_server(["--only-data", str(data)], log) as (base, process):
        before, old_release = count(base)
        assert before == 3
        write_release(data, 4)
        process.send_signal(signal.SIGHUP)
        wait_for(lambda: count(base)[0] == 4, "the reload", log)
        # the log line comes once the old release is freed and the downloads rebuilt
        wait_for(lambda: "reloaded: now serving" in log.read_text(), "the reload's end", log)
        new_release = count(base)[1]
        assert new_release != old_release
        assert f"now serving release {new_release} (was {old_release})" in log.read_text()

        data.write_text(f"<{GRAPH}> {{ <http://example.org/x> ", encoding="utf-8")
        process.send_signal(signal.SIGHUP)
        wait_for(lambda: "reload failed" in log.read_text(), "the refusal", log)
        assert "still serving the previous release" in log.read_text()
        assert count(base) == (4, new_release)
        assert process.poll() is None


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(p) for p in found]


def test_two_workers_answer_and_sigterm_stops_them_all(tmp_path: Path) -> None:
    data, log = tmp_path / "release.trig", tmp_path / "server.log"
    write_release(data, 3)
    args = ["--only-data", str(data), "--workers", "2", "--store", str(tmp_path / "store")]
    with running_server(args, log) as (base, process):
        wait_for(lambda: log.read_text().count("Application startup complete") >= 2, "2 up", log)
        servers = [
            p
            for p in children(process.pid)
            if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()
        ]
        assert len(servers) == 2, log.read_text()
        # every answer is the data the parent loaded once, whichever process answers
        answers = {count(base) for _ in range(20)}
        assert len(answers) == 1
        assert next(iter(answers))[0] == 3
        # checked, loaded and published once, by the parent: the processes open its store
        text = log.read_text()
        assert text.count("conform to the shapes") == 1
        assert len(re.findall(r"loaded \d+ triples from", text)) == 2  # the store, the release
        assert text.count("wrote release") == 1
        everyone = [process.pid, *servers]
        for server in servers:
            everyone += children(server)  # their query workers
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    for pid in everyone:
        wait_for(lambda pid=pid: not _alive(pid), f"process {pid} ending", log, seconds=10)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat").read_text().split()[2]
    return status != "Z"
