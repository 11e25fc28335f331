"""`build_release`: deterministic files that hold what the server serves, written atomically.

Two builds of the project's own data (module fixture) are compared byte for byte, and
every dump is parsed back and compared with the store a server loads from the same
settings. The failure tests check the promise of the swap: an existing release stays
exactly as it was, and no temporary folder is left beside it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from kompass_graph.errors import DataNotConformingError, SourceNotFoundError, UsageError
from kompass_graph.publish import build as build_module
from kompass_graph.publish.build import Release, build_release, open_release
from kompass_graph.publish.facts import release_identifier
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files
from kompass_graph.store.factory import build_store, load_served_files
from tests.shapes.manifest_cases import FIXTURES as SHAPE_FIXTURES

VIOLATING = SHAPE_FIXTURES / "funding-share.min-exclusive.ttl"
DUMPS = {
    "kompass-graph.nq": ox.RdfFormat.N_QUADS,
    "kompass-graph.trig": ox.RdfFormat.TRIG,
    "kompass-graph.nt": ox.RdfFormat.N_TRIPLES,
    "kompass-graph.ttl": ox.RdfFormat.TURTLE,
    "kompass-graph.jsonld": ox.RdfFormat.JSON_LD,
    "kompass-graph.rdf": ox.RdfFormat.RDF_XML,
}
QUAD_DUMPS = {"kompass-graph.nq", "kompass-graph.trig"}
MANIFESTS = {"release.json", "SHA256SUMS"}


@dataclass(frozen=True)
class Built:
    first: Release
    second: Release
    #: the N-Quads lines of the store a server loads from the same settings
    served: frozenset[str]
    content_hash: str


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` by its `/`-separated path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def quad_lines(quads: object) -> frozenset[str]:
    serialised = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""  # type: ignore[call-overload]
    return frozenset(serialised.decode("utf-8").splitlines())


def triple_lines(lines: frozenset[str]) -> frozenset[str]:
    """The union of the graphs of N-Quads lines, as N-Triples lines."""
    quads = ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
    serialised = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b""
    return frozenset(serialised.decode("utf-8").splitlines())


def leftovers(parent: Path, name: str) -> list[str]:
    """Temporary folders a build left beside its target."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("releases")
    settings = Settings()
    first = build_release(settings, root / "first")
    second = build_release(settings, root / "second")
    store = build_store(Settings(validate_data=False))
    report = load_served_files(store, Settings(validate_data=False))
    served = quad_lines(ox.parse(store.dump("nquads"), format=ox.RdfFormat.N_QUADS))
    return Built(first, second, served, report.content_hash)


@pytest.fixture
def old_release(built: Built, tmp_path: Path) -> Iterator[Path]:
    """A copy of a built release, to be overwritten (or not) by a test."""
    folder = tmp_path / "release"
    shutil.copytree(built.first.folder, folder)
    yield folder


def test_two_builds_are_byte_identical(built: Built) -> None:
    first, second = files_of(built.first.folder), files_of(built.second.folder)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_the_release_has_the_contracts_files(built: Built) -> None:
    names = set(files_of(built.first.folder))
    expected = (
        set(DUMPS)
        | {f"{name}.gz" for name in DUMPS}
        | {"ontology/kompass.ttl", "ontology/codelists.ttl", "shapes/kompass-shapes.ttl"}
        | MANIFESTS
    )
    assert expected <= names
    # the metadata, once its writers exist (publish/dcat.py, void.py, linksets.py)
    assert names - expected <= {"dcat.ttl", "void.ttl", "linksets.json"}
    assert "changes.rdfp" not in names  # only with a previous release


def test_the_dumps_hold_exactly_what_the_server_loads(built: Built) -> None:
    folder = built.first.folder
    assert len(built.served) > 1000
    for name, fmt in DUMPS.items():
        parsed = quad_lines(ox.parse((folder / name).read_bytes(), format=fmt))
        expected = built.served if name in QUAD_DUMPS else triple_lines(built.served)
        assert parsed == expected, name


def test_the_entailed_graph_is_in_the_dump(built: Built) -> None:
    entailed = "<https://w3id.org/kompass-graph/graph/entailed> ."
    text = (built.first.folder / "kompass-graph.nq").read_text(encoding="utf-8")
    assert any(line.endswith(entailed) for line in text.splitlines())


def test_the_nquads_dump_is_sorted_lines_each_once(built: Built) -> None:
    lines = (built.first.folder / "kompass-graph.nq").read_bytes().splitlines()
    assert lines == sorted(set(lines))
    assert len(lines) == built.first.facts.triples


def test_the_triple_dumps_hold_each_triple_once(built: Built) -> None:
    lines = (built.first.folder / "kompass-graph.nt").read_bytes().splitlines()
    assert lines == sorted(set(lines))
    assert len(lines) == len(triple_lines(built.served))


def test_each_gz_file_decompresses_to_its_plain_file_with_no_time_or_name(built: Built) -> None:
    folder = built.first.folder
    for name in DUMPS:
        packed = (folder / f"{name}.gz").read_bytes()
        assert gzip.decompress(packed) == (folder / name).read_bytes(), name
        flags, mtime = packed[3], packed[4:8]
        assert (flags, mtime) == (0, b"\0\0\0\0"), name  # FNAME unset, MTIME 0


def test_sha256sums_names_every_file_but_itself_with_its_hash(built: Built) -> None:
    folder = built.first.folder
    files = files_of(folder)
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    expected = [
        f"{hashlib.sha256(data).hexdigest()}  {name}"
        for name, data in sorted(files.items())
        if name != "SHA256SUMS"
    ]
    assert lines == expected


def test_release_json_lists_every_other_file_with_size_and_hash(built: Built) -> None:
    folder = built.first.folder
    document = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    files = files_of(folder)
    assert [entry["name"] for entry in document["files"]] == sorted(set(files) - MANIFESTS)
    for entry in document["files"]:
        data = files[entry["name"]]
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["compression"] == ("gzip" if entry["name"].endswith(".gz") else None)
    by_name = {e["name"]: e["media_type"] for e in document["files"]}
    assert by_name["kompass-graph.ttl"] == by_name["kompass-graph.ttl.gz"] == "text/turtle"
    assert by_name["kompass-graph.nq"] == "application/n-quads"
    assert list(document) == [
        "identifier",
        "version",
        "base_iri",
        "modified",
        "triples",
        "previous",
        "files",
    ]


def test_release_json_states_the_servers_identifier_and_the_ontologys_date(built: Built) -> None:
    facts = built.first.facts
    assert facts.identifier == release_identifier(built.content_hash)
    ontology = Graph().parse(find_project_files().root / "ontology" / "kompass.ttl")
    (modified,) = ontology.objects(URIRef(facts.base_iri + "ontology"), DCTERMS.modified)
    assert facts.modified == str(modified)
    assert facts.triples == len(built.served)
    assert built.first.previous is None


def test_the_ontology_and_shapes_are_copied_byte_for_byte(built: Built) -> None:
    root = find_project_files().root
    for name in ("ontology/kompass.ttl", "ontology/codelists.ttl", "shapes/kompass-shapes.ttl"):
        assert (built.first.folder / name).read_bytes() == (root / name).read_bytes(), name


def test_open_release_reads_back_what_the_build_returned(built: Built) -> None:
    assert open_release(built.first.folder) == built.first


def test_open_release_names_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="no release folder"):
        open_release(tmp_path / "absent")
    with pytest.raises(
        UsageError, match=r"is not a Kompass Graph release: it has no release\.json"
    ):
        open_release(tmp_path)
    (tmp_path / "release.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot be read"):
        open_release(tmp_path)


def test_violating_data_writes_nothing_and_keeps_the_old_release(
    old_release: Path, tmp_path: Path
) -> None:
    before = files_of(old_release)
    settings = Settings(data=[VIOLATING])
    with pytest.raises(
        DataNotConformingError, match=r"funding:test-funding  kg:share .*MinExclusive"
    ):
        build_release(settings, old_release)
    assert files_of(old_release) == before
    with pytest.raises(DataNotConformingError):
        build_release(settings, tmp_path / "new")
    assert not (tmp_path / "new").exists()
    assert leftovers(tmp_path, "release") == leftovers(tmp_path, "new") == []


def test_a_failure_half_way_keeps_the_old_release_and_no_temporary_folder(
    old_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files_of(old_release)
    written: list[int] = []

    def fail_on_the_third(data: bytes) -> bytes:
        written.append(len(data))
        if len(written) == 3:
            raise RuntimeError("disk full")
        return data

    monkeypatch.setattr(build_module, "gzip_bytes", fail_on_the_third)
    with pytest.raises(RuntimeError, match="disk full"):
        build_release(Settings(validate_data=False), old_release)
    assert len(written) == 3  # it did fail half-way, with files written
    assert files_of(old_release) == before
    assert leftovers(tmp_path, "release") == []


def test_a_build_replaces_an_old_release_and_leaves_nothing_beside_it(
    old_release: Path, tmp_path: Path
) -> None:
    stale = old_release / "stale.txt"
    stale.write_text("from an older layout", encoding="utf-8")
    release = build_release(Settings(validate_data=False), old_release)
    assert not stale.exists()
    assert release.folder == old_release.resolve()
    assert leftovers(tmp_path, "release") == []
    assert old_release.stat().st_mode & 0o777 == 0o755


def test_a_folder_that_is_no_release_is_never_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError, match="holds no release"):
        build_release(Settings(validate_data=False), folder)
    assert files_of(folder) == {"notes.txt": b"keep me"}
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file"):
        build_release(Settings(validate_data=False), target)


def test_an_empty_folder_becomes_the_release(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    build_release(Settings(validate_data=False), folder)
    assert (folder / "release.json").is_file()


def test_the_identifier_is_the_one_the_server_names(built: Built) -> None:
    from tests.web.conftest import serve

    client = serve(only_data=[])  # the project's own ontology and data, as the build
    try:
        response = client.get("/sparql", params={"query": "ASK {}"})
    finally:
        client.close()
    assert response.status_code == 200
    assert response.headers["Kompass-Release"] == built.first.facts.identifier


def test_a_build_never_touches_an_on_disk_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    build_release(Settings(validate_data=False, store=store), tmp_path / "release")
    assert not store.exists()
