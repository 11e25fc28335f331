"""The real server process on 127.0.0.1: protocol, isolation, timeouts, SERVICE.

Started as `python -m kompass_graph serve` with KOMPASS_* settings, serving only
the fixture data; every request goes over a real TCP connection.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import FIXTURES, PROTOCOL_DATA
from tests.web.exposition import read_samples

PROJECT = FIXTURES / "project"

pytestmark = pytest.mark.server

HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
)
SMALL = "SELECT ?name WHERE { <http://example.org/alice> <http://xmlns.com/foaf/0.1/name> ?name }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def children(self) -> list[int]:
        pids: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            text = (task / "children").read_text().split()
            pids.extend(int(p) for p in text)
        return pids


def start_server(tmp_path: Path, port: int | None = None, **settings: str) -> Iterator[Server]:
    port = port or free_port()
    env = {
        **os.environ,
        "KOMPASS_ONLY_DATA": json.dumps([str(PROTOCOL_DATA)]),
        "KOMPASS_HOST": "127.0.0.1",
        "KOMPASS_PORT": str(port),
        **{f"KOMPASS_{k.upper()}": v for k, v in settings.items()},
    }
    log = tmp_path / f"server-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "kompass_graph", "serve"], env=env, stderr=sink, stdout=sink
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            pytest.fail(f"server exited: {log.read_text()}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"server did not become ready: {log.read_text()}")
        time.sleep(0.05)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(
        tmp_path_factory.mktemp("server"),
        query_timeout="2",
        query_workers="2",
        max_concurrent_queries="6",
    )


def test_startup_logs_triples_and_time(server: Server) -> None:
    log = server.log.read_text()
    assert "loaded 17 triples from 1 files in" in log
    assert f"serving the landing page at {server.url}/, SPARQL at {server.url}/sparql" in log


def test_three_ways_to_send_a_query(server: Server) -> None:
    url = f"{server.url}/sparql"
    answers = [
        httpx.get(url, params={"query": SMALL}),
        httpx.post(url, data={"query": SMALL}),
        httpx.post(url, content=SMALL, headers={"content-type": "application/sparql-query"}),
    ]
    for response in answers:
        assert response.status_code == 200
        assert response.headers["kompass-release"].startswith("0.1.0+")
        values = sorted(b["name"]["value"] for b in response.json()["results"]["bindings"])
        assert values == ["Alice", "Alicia"]


def test_protocol_errors_over_http(server: Server) -> None:
    url = f"{server.url}/sparql"
    assert httpx.get(f"{url}?query=ASK%7B%7D&query=ASK%7B%7D").status_code == 400
    syntax = httpx.get(url, params={"query": "ASK {"})
    assert syntax.status_code == 400
    assert syntax.json()["line"] == 1
    assert "Traceback" not in syntax.text
    assert (
        httpx.post(
            url, content="CLEAR ALL", headers={"content-type": "application/sparql-update"}
        ).status_code
        == 403
    )
    assert httpx.put(url, params={"query": "ASK {}"}).status_code == 405
    assert (
        httpx.post(url, content="ASK {}", headers={"content-type": "text/plain"}).status_code == 415
    )
    csv_for_graph = httpx.get(
        url, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"accept": "text/csv"}
    )
    assert csv_for_graph.status_code == 406
    description = httpx.get(url, headers={"accept": "text/turtle"})
    assert "sd:Service" in description.text


def test_service_is_refused_without_any_connection(server: Server) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        for query in (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
            f"ASK FROM NAMED <http://127.0.0.1:{port}/g> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        ):
            response = httpx.get(f"{server.url}/sparql", params={"query": query})
            assert response.status_code in (200, 400), response.text
            if "SERVICE" in query:
                assert response.status_code == 400
                assert "no outbound request was made" in response.json()["detail"]
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def test_heavy_queries_do_not_stall_small_ones_and_are_stopped(server: Server) -> None:
    url = f"{server.url}/sparql"
    heavy_answers: list[httpx.Response] = []

    def heavy() -> None:
        heavy_answers.append(httpx.get(url, params={"query": HEAVY}, timeout=30))

    threads = [threading.Thread(target=heavy) for _ in range(2)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # both heavy queries are running now
    small_latencies = []
    with httpx.Client() as client:
        while any(t.is_alive() for t in threads):
            before = time.perf_counter()
            response = client.get(url, params={"query": SMALL})
            small_latencies.append(time.perf_counter() - before)
            assert response.status_code == 200
            time.sleep(0.05)
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert len(small_latencies) >= 10
    assert max(small_latencies) < 0.3, small_latencies
    assert 2.0 <= elapsed < 4.0
    for response in heavy_answers:
        assert response.status_code == 503
        problem = response.json()
        assert problem["type"].endswith("/problems/query-timeout")
        assert "longer than 2 s and was stopped" in problem["detail"]
    # the work really stopped: the server's workers burn no CPU any more
    time.sleep(0.3)
    children = server.children()
    before_ticks = cpu_ticks(children)
    time.sleep(1.0)
    assert cpu_ticks(children) - before_ticks < 10  # < 0.1 s of CPU in 1 s
    metrics = read_samples(httpx.get(f"{server.url}/metrics").text)
    assert metrics.value("kompass_query_timeouts_total") == 2


def test_too_long_query_is_413(server: Server) -> None:
    query = "ASK {} #" + "x" * 100_001
    response = httpx.post(
        f"{server.url}/sparql", content=query, headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 413


def _append_answer(answers: list[httpx.Response], url: str, query: str, timeout: float) -> None:
    answers.append(httpx.get(url, params={"query": query}, timeout=timeout))


def _start_busy_server(
    tmp_path: Path, *, slots: int, queued: int, threads: int
) -> Iterator[Server]:
    """One worker with `slots` query slots, `queued` places in the queue, `threads`
    threads for light queries and a 3 s time limit; no short-query lane and no
    per-client share, so only the bounds under test decide."""
    return start_server(
        tmp_path,
        query_timeout="3",
        query_workers="1",
        max_concurrent_queries=str(slots),
        max_queued_queries=str(queued),
        short_query_seconds="0",
        max_queries_per_client="10",
        query_threads=str(threads),
    )


def _send_heavy_queries(url: str, count: int) -> list[threading.Thread]:
    """`count` heavy queries sent at once; returns once they hold their slots."""
    threads = [
        threading.Thread(
            target=httpx.get, args=(url,), kwargs={"params": {"query": HEAVY}, "timeout": 30}
        )
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    return threads


def test_overload_is_503_with_retry_after(tmp_path: Path) -> None:
    """Two slots busy, the one place in the queue taken: the next query gets 503 at
    once; the queued one runs once a slot comes free."""
    # no threads for light queries: SMALL would answer there (the next test has them)
    for busy_server in _start_busy_server(tmp_path, slots=2, queued=1, threads=0):
        url = f"{busy_server.url}/sparql"
        heavy = _send_heavy_queries(url, 2)
        queued: list[httpx.Response] = []
        waiting = threading.Thread(
            target=_append_answer, args=(queued, url, SMALL), kwargs={"timeout": 30}
        )
        waiting.start()
        time.sleep(0.3)
        started = time.perf_counter()
        response = httpx.get(url, params={"query": SMALL})
        assert time.perf_counter() - started < 0.5
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert response.json()["type"].endswith("/problems/overloaded")
        for thread in [*heavy, waiting]:
            thread.join()
        assert queued[0].status_code == 200
        assert httpx.get(url, params={"query": SMALL}).status_code == 200
        metrics = read_samples(httpx.get(f"{busy_server.url}/metrics").text)
        assert metrics.value("kompass_queries_rejected_total", reason="overloaded") == 1


def test_light_queries_answer_on_threads_while_every_worker_is_busy(tmp_path: Path) -> None:
    """Threads answer an anchored lookup while heavy queries hold every worker slot
    and the queue; an unanchored query still gets 503 at once."""
    unanchored = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    for busy_server in _start_busy_server(tmp_path, slots=1, queued=0, threads=2):
        url = f"{busy_server.url}/sparql"
        heavy = _send_heavy_queries(url, 1)
        started = time.perf_counter()
        light = httpx.get(url, params={"query": SMALL}, headers={"accept": "application/json"})
        assert time.perf_counter() - started < 0.5
        assert light.status_code == 200
        names = {row["name"]["value"] for row in light.json()["results"]["bindings"]}
        assert names == {"Alice", "Alicia"}
        refused = httpx.get(url, params={"query": unanchored})
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        heavy[0].join()
        metrics = read_samples(httpx.get(f"{busy_server.url}/metrics").text)
        assert metrics.value("kompass_queries_rejected_total", reason="overloaded") == 1
        assert metrics.value("kompass_thread_queries_total") >= 1


def test_refuses_to_start_when_our_data_violates_the_shapes(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "data" / "projects.ttl").write_text(
        "@prefix kg: <https://w3id.org/kompass-graph/ontology#> .\n"
        "<https://w3id.org/kompass-graph/id/project/p1> a kg:Project .\n"
    )
    env = {**os.environ, "KOMPASS_PROJECT_ROOT": str(project), "KOMPASS_PORT": str(free_port())}
    finished = subprocess.run(
        [sys.executable, "-m", "kompass_graph", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 1
    assert "A project needs a title" in finished.stderr
    assert "Uvicorn running" not in finished.stderr


def test_allow_listed_service_endpoint_is_called(tmp_path: Path) -> None:
    """The allow-list admits exactly the named endpoint: here the server itself."""
    port = free_port()
    own = f"http://127.0.0.1:{port}/sparql"
    for federating in start_server(
        tmp_path, port=port, service_allow_list=json.dumps([own]), query_workers="3"
    ):
        query = (
            f"SELECT ?name WHERE {{ SERVICE <{own}> {{ "
            "<http://example.org/bob> <http://xmlns.com/foaf/0.1/name> ?name } }"
        )
        response = httpx.get(f"{federating.url}/sparql", params={"query": query}, timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["results"]["bindings"] == [
            {"name": {"type": "literal", "value": "Bob"}}
        ]
        other = query.replace(own, "http://127.0.0.1:9/sparql")
        refused = httpx.get(f"{federating.url}/sparql", params={"query": other})
        assert refused.status_code == 400
        assert own in refused.json()["hint"]


def test_an_idle_keep_alive_connection_is_closed(tmp_path: Path) -> None:
    for running in start_server(tmp_path, idle_timeout="1"):
        host, port = running.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while b'"status"' not in answer:  # the whole answer, head and body
                answer += connection.recv(4096)
            assert answer.startswith(b"HTTP/1.1 200")
            started = time.monotonic()
            assert connection.recv(4096) == b""  # the server closed the idle connection
            assert time.monotonic() - started < 4


def test_sigterm_ends_the_server_within_its_grace_while_a_client_trickles(tmp_path: Path) -> None:
    for running in start_server(tmp_path, shutdown_grace="2"):
        host, port = running.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            connection.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100000\r\n\r\nSELECT"
            )
            time.sleep(0.2)
            started = time.monotonic()
            running.process.terminate()
            running.process.wait(timeout=15)
            assert time.monotonic() - started < 8, "shutdown outlived its grace period"


def _exchange(server: Server, payload: bytes, *, pause: float = 0.0, rest: bytes = b"") -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(payload)
        if pause:
            time.sleep(pause)
            with contextlib.suppress(OSError):
                connection.sendall(rest)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(
        tmp_path_factory.mktemp("bounded"),
        header_timeout="1",
        body_timeout="1",
        max_header_bytes="4096",
    )


def test_a_head_that_trickles_gets_408(bounded: Server) -> None:
    started = time.monotonic()
    answer = _exchange(bounded, b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and no more
    assert answer.startswith(b"HTTP/1.1 408")
    assert b"application/problem+json" in answer
    assert time.monotonic() - started < 3


def test_headers_over_the_cap_get_431_at_once(bounded: Server) -> None:
    answer = _exchange(
        bounded, b"GET /healthz HTTP/1.1\r\nHost: x\r\nAccept: " + b"a/b," * 5000 + b"\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 431")
    assert b"max_header_bytes" in answer


def test_a_target_too_long_to_parse_gets_414_with_advice(bounded: Server) -> None:
    answer = _exchange(
        bounded, b"GET /sparql?query=" + b"x" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 414")
    assert b"POST" in answer


def test_a_body_that_trickles_is_cut_off(bounded: Server) -> None:
    started = time.monotonic()
    answer = _exchange(
        bounded,
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 50\r\n\r\nASK",
        pause=4,
        rest=b" {}",
    )
    assert time.monotonic() - started < 4.5
    assert not answer.startswith(b"HTTP/1.1 200")
    assert bounded.process.poll() is None  # the server itself carries on


def test_connections_past_the_cap_get_503_and_the_server_recovers(tmp_path: Path) -> None:
    for running in start_server(tmp_path, max_connections="3"):
        host, port = running.url.removeprefix("http://").split(":")
        held = [socket.create_connection((host, int(port)), timeout=5) for _ in range(3)]
        try:
            time.sleep(0.2)
            refused = httpx.get(f"{running.url}/healthz", timeout=5)
            assert refused.status_code == 503
        finally:
            for connection in held:
                connection.close()
        time.sleep(0.3)
        assert httpx.get(f"{running.url}/healthz", timeout=5).status_code == 200
