"""Disjointness: no node in two classes that PROV-O, FOAF, ORG or SKOS declare disjoint.

Each fixture in fixtures/disjoint-*.ttl makes one node clash, by a different route
(asserted types, a domain, a range, an rdfs:subPropertyOf chain); validated alone with
the project's ontology it must give exactly that one Disjointness result.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kompass_graph.consistency import disjointness_results
from kompass_graph.entailment import Schema, entailed_types, load_standard_axioms
from kompass_graph.locator import Locator
from kompass_graph.namespaces import our_namespaces, standard_prefixes
from kompass_graph.parse import parse_file
from kompass_graph.sources import find_project_files
from kompass_graph.validate import ValidationResult, validate_paths

FIXTURES = Path(__file__).parent / "fixtures"
PREFIXES = {**standard_prefixes(), **our_namespaces().prefixes(), "ex": "https://example.org/"}


@dataclass(frozen=True)
class Clash:
    fixture: str
    focus: str  # as the fixture writes it
    classes: tuple[str, str]
    path: str | None
    why: tuple[str, ...]  # phrases the English message must contain

    @property
    def shown(self) -> str:
        """The focus as messages write it (example.org has no prefix in reports)."""
        return f"<{expand(self.focus)}>" if self.focus.startswith("ex:") else self.focus


CLASHES = [
    Clash(
        "disjoint-asserted.ttl",
        "project:both",
        ("prov:Activity", "prov:Entity"),
        None,
        ("asserted type prov:Activity", "asserted type prov:Entity"),
    ),
    Clash(
        "disjoint-domain.ttl",
        "project:derived",
        ("prov:Activity", "prov:Entity"),
        "prov:wasDerivedFrom",
        (
            "kg:Project ⊑ prov:Activity (asserted type kg:Project)",
            "prov:Entity from the domain of prov:wasDerivedFrom "
            "(project:derived prov:wasDerivedFrom source:page)",
        ),
    ),
    Clash(
        "disjoint-range.ttl",
        "actor:ministry",
        ("foaf:Document", "foaf:Organization"),
        "foaf:page",
        (
            "foaf:Document from the range of foaf:page (source:page foaf:page actor:ministry)",
            "kg:Ministry ⊑ kg:PublicBody ⊑ kg:Organisation ⊑ org:Organization ⊑ "
            "foaf:Organization (asserted type kg:Ministry)",
        ),
    ),
    Clash(
        "disjoint-subproperty.ttl",
        "ex:scheme",
        ("skos:Concept", "skos:ConceptScheme"),
        "skos:exactMatch",
        (
            "skos:Concept from the domain of skos:semanticRelation (skos:exactMatch ⊑ "
            "skos:closeMatch ⊑ skos:mappingRelation ⊑ skos:semanticRelation; "
            "<https://example.org/scheme> skos:exactMatch <https://example.org/other-scheme>)",
            "asserted type skos:ConceptScheme",
        ),
    ),
]


def expand(name: str) -> str:
    prefix, local = name.split(":", 1)
    return PREFIXES[prefix] + local


@functools.cache
def disjointness_in(fixture: str) -> list[ValidationResult]:
    report = validate_paths([FIXTURES / fixture], project=find_project_files())
    return [r for r in report.results if r.constraint == "Disjointness"]


def test_every_fixture_is_listed() -> None:
    assert {c.fixture for c in CLASHES} == {p.name for p in FIXTURES.glob("disjoint-*.ttl")}


@pytest.mark.parametrize("clash", CLASHES, ids=[c.fixture for c in CLASHES])
def test_the_clash_is_reported_once_with_both_classes_and_why(clash: Clash) -> None:
    [result] = disjointness_in(clash.fixture)
    assert result.severity == "Violation"
    assert result.focus_node == expand(clash.focus)
    assert result.path == (expand(clash.path) if clash.path else None)
    first, second = clash.classes
    assert f"{clash.shown} is both {first} and {second}" in result.messages["en"]
    assert f"{clash.shown} ist zugleich {first} und {second}" in result.messages["de"]
    for phrase in clash.why:
        assert phrase in result.messages["en"], result.messages["en"]
    assert result.message == result.messages["en"]


@pytest.mark.parametrize("clash", CLASHES, ids=[c.fixture for c in CLASHES])
def test_the_clash_names_the_fixture_and_the_line_of_the_node(clash: Clash) -> None:
    [result] = disjointness_in(clash.fixture)
    path = FIXTURES / clash.fixture
    assert result.file == str(path)
    assert result.line is not None
    line = path.read_text(encoding="utf-8").splitlines()[result.line - 1]
    assert line.startswith(clash.focus), line


def test_the_bundled_axioms_hold_the_disjointness_of_each_vocabulary() -> None:
    """The pairs checked against PROV-O, FOAF 0.99, ORG and SKOS (see the file's comments)."""
    schema = Schema.of(load_standard_axioms())
    pairs = {tuple(sorted(_short(c) for c in pair)) for pair in schema.disjoint}
    expected = {
        ("prov:Activity", "prov:Entity"),
        ("prov:ActivityInfluence", "prov:EntityInfluence"),
        ("prov:Agent", "prov:InstantaneousEvent"),
        ("prov:Entity", "prov:InstantaneousEvent"),
        ("foaf:Organization", "foaf:Person"),
        ("foaf:Person", "foaf:Project"),
        ("foaf:Document", "foaf:Organization"),
        ("foaf:Document", "foaf:Project"),
        ("org:Membership", "org:Organization"),
        ("org:Organization", "org:Role"),
        ("org:Organization", "org:Site"),
        ("org:ChangeEvent", "org:Organization"),
        ("org:Membership", "org:Role"),
        ("org:Role", "org:Site"),
        ("org:ChangeEvent", "org:Role"),
        ("org:Membership", "org:Site"),
        ("org:ChangeEvent", "org:Membership"),
        ("org:ChangeEvent", "org:Site"),
        ("skos:Concept", "skos:ConceptScheme"),
        ("skos:Collection", "skos:Concept"),
        ("skos:Collection", "skos:ConceptScheme"),
    }
    assert pairs == expected


def _short(iri: URIRef) -> str:
    prefix, namespace = max(
        ((k, v) for k, v in PREFIXES.items() if str(iri).startswith(v)), key=lambda kv: len(kv[1])
    )
    return f"{prefix}:{str(iri)[len(namespace) :]}"


def test_the_project_data_has_no_disjointness_clash() -> None:
    """Our data (as it is in data/), with the ontology: not a single clash; and the check
    had plenty to look at."""
    project = find_project_files()
    ontology = Graph()
    for path in project.ontology:
        ontology.parse(path)
    parsed = [parse_file(path) for path in project.data]
    assert parsed, "no data files"
    triples = [t for p in parsed for t in p.union] + list(ontology)
    schema = Schema.of(ontology, load_standard_axioms())
    typed = entailed_types(triples, schema, only=schema.disjoint_classes)
    assert len(typed) > 50, "the data gives hardly any node a class that has a disjoint one"
    locator = Locator({p.path: p.union for p in parsed})
    clashes = disjointness_results(triples, schema, locator, PREFIXES)
    assert clashes == [], "\n".join(f"{r.file}:{r.line}: {r.message}" for r in clashes)
