"""/download/: the release's files, byte for byte, with validators, 304 and ranges."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from kompass_graph.publish.build import build_release
from kompass_graph.settings import Settings
from tests.web.conftest import PROTOCOL_DATA, AppClient, serve
from tests.web.release_fixture import (
    IDENTIFIER,
    LAST_MODIFIED,
    PREVIOUS,
    TURTLE,
    make_release,
    release_contents,
    sha256,
)

TTL = "/download/kompass-graph.ttl"
ETAG = f'"{sha256(TURTLE)}"'
SIZE = len(TURTLE)
OUTSIDE = b"not part of any release\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("downloads")
    (root / "secret.txt").write_bytes(OUTSIDE)
    release = make_release(root / "release", listed_extra={"kompass-graph.nt": OUTSIDE})
    # listed in release.json, but a symlink out of the folder: never served
    (release / "kompass-graph.nt").symlink_to(root / "secret.txt")
    return release


@pytest.fixture(scope="module")
def downloads(folder: Path) -> Iterator[AppClient]:
    client = serve(release_folder=folder)
    yield client
    client.close()


def test_the_index_lists_every_file_with_size_checksum_and_media_type(
    downloads: AppClient,
) -> None:
    body = downloads.get("/download.json").json()
    contents = release_contents()
    assert (body["release"], body["previous"], body["modified"]) == (
        IDENTIFIER, PREVIOUS, "2026-12-01"
    )  # fmt: skip
    assert [f["name"] for f in body["files"]] == sorted([*contents, "kompass-graph.nt"])
    by_name = {f["name"]: f for f in body["files"]}
    assert by_name["kompass-graph.ttl.gz"] == {
        "name": "kompass-graph.ttl.gz",
        "url": "/download/kompass-graph.ttl.gz",
        "media_type": "text/turtle",
        "content_type": "application/gzip",
        "size": len(contents["kompass-graph.ttl.gz"]),
        "sha256": sha256(contents["kompass-graph.ttl.gz"]),
        "compression": "gzip",
        "changes": False,
        "served": True,
    }
    assert by_name["changes.rdfp"]["changes"] is True
    assert by_name["kompass-graph.nt"]["served"] is False
    assert body["not_served"] == ["kompass-graph.nt: is a symbolic link, not a file of the release"]
    assert (body["checksums"], body["manifest"]) == (
        "/download/SHA256SUMS",
        "/download/release.json",
    )
    # the fixture release is not of the served data: said, not refused
    assert body["served_release"] != IDENTIFIER
    assert IDENTIFIER in body["warning"] and body["served_release"] in body["warning"]
    assert downloads.get("/download/", headers={"Accept": "application/json"}).json() == body


def test_the_index_page_shows_the_files_and_the_warning(downloads: AppClient) -> None:
    response = downloads.get("/download/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert f'<a href="{TTL}">kompass-graph.ttl</a>' in page
    assert f'<code class="kg-sha256">{sha256(TURTLE)}</code>' in page
    assert f'<td class="kg-count">{SIZE}</td>' in page
    assert 'class="kg-changes"' in page and page.count('class="kg-changes"') == 1
    assert 'role="alert"' in page and IDENTIFIER in page
    english = downloads.get("/download/?lang=en").text
    assert "changes from the previous release (RDF Patch)" in english


def test_a_file_is_its_bytes_with_strong_etag_last_modified_and_length(
    downloads: AppClient,
) -> None:
    response = downloads.get(TTL)
    assert response.status_code == 200
    assert response.content == TURTLE
    assert response.headers["etag"] == ETAG
    assert response.headers["last-modified"] == LAST_MODIFIED
    assert response.headers["content-length"] == str(SIZE)
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["cache-control"] == "public, max-age=300"
    assert "content-encoding" not in response.headers  # never compressed on the way
    nested = downloads.get("/download/ontology/kompass.ttl")
    assert nested.content == b"# the ontology\n"


def test_a_gzip_file_is_application_gzip_not_a_content_coding(downloads: AppClient) -> None:
    expected = release_contents()["kompass-graph.ttl.gz"]
    response = downloads.get(TTL + ".gz", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in response.headers
    assert response.content == expected and gzip.decompress(response.content) == TURTLE
    assert response.headers["etag"] == f'"{sha256(expected)}"'


def test_the_manifests_are_served_with_a_weak_etag(downloads: AppClient, folder: Path) -> None:
    sums = downloads.get("/download/SHA256SUMS")
    assert sums.content == (folder / "SHA256SUMS").read_bytes()
    assert f"{sha256(TURTLE)}  kompass-graph.ttl\n" in sums.text
    assert sums.headers["etag"].startswith('W/"')
    manifest = downloads.get("/download/release.json")
    assert manifest.json()["identifier"] == IDENTIFIER
    assert manifest.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "condition",
    [
        {"If-None-Match": ETAG},
        {"If-None-Match": f'"other", W/{ETAG}'},
        {"If-None-Match": "*"},
        {"If-Modified-Since": LAST_MODIFIED},
        {"If-Modified-Since": "Wed, 02 Dec 2026 10:00:00 GMT"},
    ],
)
def test_conditional_get_answers_304(downloads: AppClient, condition: dict[str, str]) -> None:
    response = downloads.get(TTL, headers=condition)
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == ETAG
    assert response.headers["last-modified"] == LAST_MODIFIED


@pytest.mark.parametrize(
    "condition",
    [
        {"If-None-Match": '"other"'},
        {"If-Modified-Since": "Mon, 30 Nov 2026 23:59:59 GMT"},
        {"If-Modified-Since": "not a date"},
        # If-None-Match decides when both are given (RFC 9110 13.2.2)
        {"If-None-Match": '"other"', "If-Modified-Since": LAST_MODIFIED},
    ],
)
def test_a_changed_or_unreadable_condition_answers_the_file(
    downloads: AppClient, condition: dict[str, str]
) -> None:
    response = downloads.get(TTL, headers=condition)
    assert (response.status_code, response.content) == (200, TURTLE)


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-9", 0, 9), ("bytes=10-", 10, SIZE - 1), ("bytes=-5", SIZE - 5, SIZE - 1),
     ("bytes=100-99999", 100, SIZE - 1)],
)  # fmt: skip
def test_a_range_answers_206_with_exactly_those_bytes(
    downloads: AppClient, header: str, first: int, last: int
) -> None:
    response = downloads.get(TTL, headers={"Range": header})
    assert response.status_code == 206
    assert response.content == TURTLE[first : last + 1]
    assert response.headers["content-range"] == f"bytes {first}-{last}/{SIZE}"
    assert response.headers["content-length"] == str(last - first + 1)
    assert response.headers["etag"] == ETAG


def test_several_ranges_answer_one_multipart_byteranges(downloads: AppClient) -> None:
    response = downloads.get(TTL, headers={"Range": "bytes=0-3, 20-24"})
    assert response.status_code == 206
    media_type, _, boundary = response.headers["content-type"].partition("; boundary=")
    assert media_type == "multipart/byteranges"
    parts = response.content.split(f"--{boundary}".encode())
    assert parts[0] == b"" and parts[-1] == b"--"
    assert parts[1].endswith(b"\r\n\r\n" + TURTLE[0:4] + b"\r\n")
    assert f"Content-Range: bytes 0-3/{SIZE}".encode() in parts[1]
    assert parts[2].endswith(b"\r\n\r\n" + TURTLE[20:25] + b"\r\n")
    assert f"Content-Range: bytes 20-24/{SIZE}".encode() in parts[2]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"])
def test_an_unsatisfiable_range_answers_416_with_the_size(
    downloads: AppClient, header: str
) -> None:
    response = downloads.get(TTL, headers={"Range": header})
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{SIZE}"
    problem = response.json()
    assert problem["type"] == "https://w3id.org/kompass-graph/problems/range-not-satisfiable"
    assert problem["status"] == 416
    assert problem["hint"] == f"the file has {SIZE} bytes, 0 to {SIZE - 1}"


@pytest.mark.parametrize(
    "headers",
    [{"Range": "bytes=abc"}, {"Range": "items=0-5"}, {"Range": "bytes=9-2"},
     {"Range": "bytes=0-5", "If-Range": '"another"'},
     {"Range": "bytes=0-5", "If-Range": f"W/{ETAG}"}],
)  # fmt: skip
def test_an_ignored_range_answers_the_whole_file(
    downloads: AppClient, headers: dict[str, str]
) -> None:
    response = downloads.get(TTL, headers=headers)
    assert (response.status_code, response.content) == (200, TURTLE)


@pytest.mark.parametrize("validator", [ETAG, LAST_MODIFIED])
def test_if_range_with_the_current_validator_answers_the_range(
    downloads: AppClient, validator: str
) -> None:
    response = downloads.get(TTL, headers={"Range": "bytes=0-4", "If-Range": validator})
    assert (response.status_code, response.content) == (206, TURTLE[:5])


def test_head_answers_the_headers_without_the_body(downloads: AppClient) -> None:
    response = downloads.request("HEAD", TTL)
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(SIZE)
    assert response.headers["etag"] == ETAG
    ranged = downloads.request("HEAD", TTL, headers={"Range": "bytes=0-9"})
    assert ranged.status_code == 206 and ranged.content == b""
    assert ranged.headers["content-range"] == f"bytes 0-9/{SIZE}"


@pytest.mark.parametrize(
    "path",
    [
        "/download/nothing.ttl",
        "/download/kompass-graph.nt",  # listed, but a symlink out of the folder
        "/download/..%2Fsecret.txt",
        "/download/%2e%2e/secret.txt",
        "/download/ontology/..%2F..%2Fsecret.txt",
        "/download/%2Fetc%2Fpasswd",
        "/download//etc/passwd",
        "/download/ontology",
    ],
)
def test_a_name_not_in_the_release_is_a_404_problem(downloads: AppClient, path: str) -> None:
    response = downloads.get(path)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "https://w3id.org/kompass-graph/problems/not-found"
    assert OUTSIDE not in response.content


def test_the_server_serves_the_release_of_its_data_as_the_build_writes_it(
    tmp_path: Path,
) -> None:
    """Without release_folder: built at start-up, the same bytes as `build_release`."""
    built = build_release(Settings(only_data=[PROTOCOL_DATA]), tmp_path / "built")
    client = serve()
    try:
        listing = client.get("/download.json").json()
        assert listing["release"] == listing["served_release"] == built.facts.identifier
        assert listing["warning"] is None
        names = [d.name for d in built.facts.distributions]
        assert [f["name"] for f in listing["files"]] == names
        for name in ("kompass-graph.nq", "kompass-graph.ttl.gz"):
            response = client.get("/download/" + name)
            assert response.content == (tmp_path / "built" / name).read_bytes()
        served_folder = client.app.state.published.release.folder
        assert served_folder.is_dir()
    finally:
        client.close()
    assert not served_folder.exists()  # removed on shutdown


def test_the_landing_page_links_the_dumps_and_the_release_metadata(
    downloads: AppClient,
) -> None:
    page = downloads.get("/", headers={"Accept-Language": "en"}).text
    section = page[page.index('<section id="kg-downloads">') :]
    section = section[: section.index("</section>")]
    assert (
        '<a href="/download/kompass-graph.ttl" type="text/turtle">kompass-graph.ttl</a>' in section
    )
    assert f"(text/turtle, {SIZE} Bytes)" in section
    assert '<a href="/download/kompass-graph.ttl.gz" type="application/gzip">' in section
    assert "kompass-graph.nt" not in section  # listed, but not servable (a symlink)
    for href in ("/download/", "/.well-known/void", "/linksets"):
        assert f'<a href="{href}">' in section
