"""The project's own data in a store, and release facts with realistic fake dumps, for
the metadata tests (DCAT, VoID, linksets). Loaded once per test session."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kompass_graph import __version__
from kompass_graph.publish.facts import Distribution, ReleaseFacts, SelectRunner, release_identifier
from kompass_graph.publish.runner import store_runner
from kompass_graph.settings import Settings
from kompass_graph.store.embedded import EmbeddedStore
from kompass_graph.store.factory import build_store, load_served_files

#: the official DCAT-AP 3.0 / DCAT-AP.de 3.0 shapes, next to the project checkout
DCAT_SHAPES = Path(__file__).resolve().parents[3] / "shared" / "reference" / "dcat-ap-de"

#: the six dump formats of the release contract, by file extension
DUMP_MEDIA_TYPES = {
    "nq": "application/n-quads",
    "trig": "application/trig",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


def fake_distributions() -> tuple[Distribution, ...]:
    """Every file a release holds, with made-up sizes and checksums of the right shape."""
    files: list[Distribution] = []
    for extension, media_type in DUMP_MEDIA_TYPES.items():
        for compression in (None, "gzip"):
            name = f"kompass-graph.{extension}" + (".gz" if compression else "")
            digest = hashlib.sha256(name.encode()).hexdigest()
            files.append(Distribution(name, media_type, 40_000 + len(name), digest, compression))
    for name, media_type in (
        ("ontology/kompass.ttl", "text/turtle"),
        ("shapes/kompass-shapes.ttl", "text/turtle"),
        ("dcat.ttl", "text/turtle"),
        ("void.ttl", "text/turtle"),
        ("linksets.json", "application/json"),
    ):
        files.append(
            Distribution(name, media_type, 1234, hashlib.sha256(name.encode()).hexdigest())
        )
    return tuple(files)


@pytest.fixture(scope="session")
def project_store() -> EmbeddedStore:
    settings = Settings()
    store = build_store(settings)
    load_served_files(store, settings)
    return store


@pytest.fixture(scope="session")
def run(project_store: EmbeddedStore) -> SelectRunner:
    return store_runner(project_store)


@pytest.fixture(scope="session")
def facts(project_store: EmbeddedStore) -> ReleaseFacts:
    report = project_store.load_report
    assert report is not None
    return ReleaseFacts(
        identifier=release_identifier(report.content_hash),
        version=__version__,
        base_iri=Settings().base_iri,
        modified="2026-12-01",
        triples=report.triples,
        distributions=fake_distributions(),
    )
