"""The generator: conforming to our shapes, deterministic, sized and skewed as promised."""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Namespace

from bench.generate import GenerationResult, generate, parse_size
from kompass_graph.sources import find_project_files

SH = Namespace("http://www.w3.org/ns/shacl#")
KG = Namespace("https://w3id.org/kompass-graph/ontology#")
Sample = tuple[Path, GenerationResult]


def shapes_graph() -> Graph:
    shapes = Graph()
    files = find_project_files().shapes
    assert files, "no shapes found: a check that finds nothing to check fails"
    for path in files:
        shapes.parse(path, format="turtle")
    return shapes


def violations(data: Graph) -> collections.Counter[str]:
    conforms, report, _ = validate(data, shacl_graph=shapes_graph())
    shapes = collections.Counter(str(o) for o in report.objects(None, SH.sourceShape))
    assert conforms == (not shapes)
    return shapes


def test_sample_conforms_to_our_shapes(sample: Sample) -> None:
    path, _ = sample
    data = Graph()
    data.parse(path, format="nt")
    # the shapes must have had something to check: projects, fundings, actors are there
    assert len(set(data.subjects(predicate=KG.funder))) > 50
    assert violations(data) == collections.Counter()


def test_a_broken_sample_does_not_conform(sample: Sample) -> None:
    """Proof that the conformance test can fail: drop every participation's role."""
    path, _ = sample
    data = Graph()
    data.parse(path, format="nt")
    roles = list(data.triples((None, KG.role, None)))
    for triple in roles:
        data.remove(triple)
    found = violations(data)
    assert found["https://w3id.org/kompass-graph/shapes#Participation-role"] == len(roles)


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    generate(target_triples=3_000, out=first, seed=1)
    generate(target_triples=3_000, out=second, seed=1)
    generate(target_triples=3_000, out=other, seed=2)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_the_target_size_is_reached_and_not_overshot(sample: Sample) -> None:
    path, result = sample
    with path.open(encoding="utf-8") as stream:
        lines = sum(1 for line in stream if line.strip())
    assert lines == result.triples
    # one more project record at most, past the target
    assert 10_000 <= result.triples < 10_000 + 400


def test_params_sidecar_lists_the_entities_of_the_file(sample: Sample) -> None:
    path, result = sample
    params = json.loads(result.params_path.read_text(encoding="utf-8"))
    assert params["project_count"] == len(params["entities"]["project"]) == result.projects
    text = path.read_text(encoding="utf-8")
    for kind in ("project", "municipality", "district", "funder", "programme", "network"):
        iris = params["entities"][kind]
        assert iris, kind
        assert f"<{iris[-1]}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" in text, kind


def test_funders_and_municipalities_are_skewed(sample: Sample) -> None:
    path, _ = sample
    data = Graph()
    data.parse(path, format="nt")
    per_funder = collections.Counter(data.objects(predicate=KG.funder))
    per_participant = collections.Counter(data.objects(predicate=KG.participant))
    for counts in (per_funder, per_participant):
        ranked = [n for _, n in counts.most_common()]
        median = ranked[len(ranked) // 2]
        # a Zipf-like head: the busiest is many times the typical one
        assert ranked[0] >= 8 * median, ranked[:5]


def test_every_fund_gives_a_funding(sample: Sample) -> None:
    path, _ = sample
    data = Graph()
    data.parse(path, format="nt")
    funders = set(data.objects(predicate=KG.funder))
    funds = set(data.subjects(predicate=RDF.type, object=KG.Fund))
    assert funds
    assert funds <= funders


@pytest.mark.parametrize(
    ("text", "count"), [("10k", 10_000), ("1M", 1_000_000), ("5m", 5_000_000), ("2500", 2_500)]
)
def test_sizes_parse(text: str, count: int) -> None:
    assert parse_size(text) == count


@pytest.mark.parametrize("text", ["", "ten", "12", "1x"])
def test_bad_sizes_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="size"):
        parse_size(text)
