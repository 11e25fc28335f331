"""Every constraint of the shapes has a failing example in tests/shapes/manifest.toml.

The constraints are enumerated from the shapes files with rdflib: one pair per
(shape, constraint parameter) of each shape validation starts from (targeted node
shapes and the property shapes they name), and one per SPARQL constraint. Shapes
nested inside a parameter (sh:node, sh:or, sh:xone, sh:qualifiedValueShape) are
part of that parameter: the parent's fixture fails through them. A new constraint
without a fixture fails here, and so does an unknown parameter the enumeration
would otherwise skip.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from kompass_graph.namespaces import SH
from kompass_graph.sources import find_project_files
from tests.shapes.manifest_cases import ConstraintKey, load_cases, local_name

#: constraint parameters, each the one parameter of its SHACL core component
#: (sh:qualifiedValueShape and sh:flags travel with sh:qualifiedMinCount / sh:pattern)
CONSTRAINT_PARAMETERS = frozenset(
    {
        "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive",
        "minInclusive", "maxExclusive", "maxInclusive", "minLength", "maxLength",
        "pattern", "languageIn", "uniqueLang", "equals", "disjoint", "lessThan",
        "lessThanOrEquals", "not", "and", "or", "xone", "node", "qualifiedMinCount",
        "qualifiedMaxCount", "closed", "hasValue", "in",
    }
)  # fmt: skip

#: sh: predicates on a shape that are not constraints of their own
NON_CONSTRAINT_PARAMETERS = frozenset(
    {
        "path", "message", "severity", "name", "description", "order", "group",
        "defaultValue", "deactivated", "targetClass", "targetNode", "targetSubjectsOf",
        "targetObjectsOf", "property", "ignoredProperties", "flags", "qualifiedValueShape",
        "qualifiedValueShapesDisjoint", "sparql",
    }
)  # fmt: skip

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
NESTING = (SH.node, SH["not"], SH.qualifiedValueShape)
NESTING_LISTS = (SH["or"], SH.xone, SH["and"])


def sh_local(predicate: Node) -> str | None:
    text = str(predicate)
    return text[len(str(SH)) :] if text.startswith(str(SH)) else None


def component_name(parameter: str) -> str:
    """sh:minCount → "MinCount", as validate reports sh:MinCountConstraintComponent."""
    return parameter[0].upper() + parameter[1:]


def root_shapes(shapes: Graph) -> set[Node]:
    """Shapes validation starts from: targeted ones and the property shapes they name."""
    roots: set[Node] = {s for target in TARGETS for s in shapes.subjects(target, None)}
    frontier = list(roots)
    while frontier:
        for child in shapes.objects(frontier.pop(), SH.property):
            if child not in roots:
                roots.add(child)
                frontier.append(child)
    return roots


def nested_shapes(shapes: Graph, parents: Iterable[Node]) -> set[Node]:
    """Shapes reached only through a constraint parameter of `parents` (transitively)."""
    found: set[Node] = set()
    frontier = list(parents)
    while frontier:
        shape = frontier.pop()
        children: list[Node] = [c for p in NESTING for c in shapes.objects(shape, p)]
        for listed in NESTING_LISTS:
            for head in shapes.objects(shape, listed):
                children.extend(Collection(shapes, head))
        children.extend(shapes.objects(shape, SH.property))
        for child in children:
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def constraint_keys(shapes: Graph) -> set[ConstraintKey]:
    """One (shape, component) pair per constraint parameter of each root shape."""
    keys: set[ConstraintKey] = set()
    for shape in root_shapes(shapes):
        for predicate, value in shapes.predicate_objects(shape):
            parameter = sh_local(predicate)
            if parameter == "sparql":
                keys.add((local_name(str(value)), "SPARQL"))
            elif parameter in CONSTRAINT_PARAMETERS:
                keys.add((local_name(str(shape)), component_name(parameter)))
    return keys


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    files = find_project_files().shapes
    assert files, "no shapes files found"
    for path in files:
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def covered() -> set[ConstraintKey]:
    return {expected.key for case in load_cases() for expected in case.expected}


def test_the_enumeration_finds_a_plausible_number_of_constraints(shapes: Graph) -> None:
    keys = constraint_keys(shapes)
    assert len(keys) > 50, keys
    assert sum(1 for _, component in keys if component == "SPARQL") >= 5


def test_every_constraint_has_a_failing_fixture(shapes: Graph, covered: set[ConstraintKey]) -> None:
    missing = sorted(constraint_keys(shapes) - covered)
    assert not missing, (
        f"{len(missing)} constraint(s) without a negative fixture in tests/shapes/manifest.toml: "
        f"{missing}"
    )


def test_every_fixture_expectation_names_a_constraint_that_exists(
    shapes: Graph, covered: set[ConstraintKey]
) -> None:
    ours = {key for key in covered if key[1] != "UndeclaredTerm"}
    stale = sorted(ours - constraint_keys(shapes))
    assert not stale, f"manifest names constraints the shapes no longer have: {stale}"


def test_every_root_shape_has_an_iri_so_reports_can_name_it(shapes: Graph) -> None:
    anonymous = [s for s in root_shapes(shapes) if not isinstance(s, URIRef)]
    assert not anonymous


def test_no_shape_uses_a_parameter_the_enumeration_does_not_know(shapes: Graph) -> None:
    everything = root_shapes(shapes) | nested_shapes(shapes, root_shapes(shapes))
    unknown = {
        (str(shape), parameter)
        for shape in everything
        for predicate in shapes.predicates(shape)
        if (parameter := sh_local(predicate)) is not None
        and parameter not in CONSTRAINT_PARAMETERS | NON_CONSTRAINT_PARAMETERS
    }
    assert not unknown, f"teach test_coverage.py these parameters: {sorted(unknown)}"


def test_every_declared_shape_is_used(shapes: Graph) -> None:
    """A shape nothing targets or references validates nothing: a dead constraint."""
    declared = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    roots = root_shapes(shapes)
    used = roots | nested_shapes(shapes, roots)
    assert not sorted(str(s) for s in declared - used)


SMALL_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/shapes#> .
ex:Thing a sh:NodeShape ;
    sh:targetClass ex:T ;
    sh:closed true ;
    sh:property ex:Thing-name ;
    sh:sparql ex:Thing-rule .
ex:Thing-name a sh:PropertyShape ;
    sh:path ex:name ;
    sh:minCount 1 ;
    sh:message "x" ;
    sh:node ex:Nested .
ex:Nested a sh:NodeShape ;
    sh:property [ sh:path ex:p ; sh:hasValue ex:v ] .
ex:Unused a sh:PropertyShape ; sh:path ex:q ; sh:maxCount 1 .
"""


def test_the_enumeration_on_a_small_shapes_graph() -> None:
    graph = Graph().parse(data=SMALL_SHAPES, format="turtle")
    assert constraint_keys(graph) == {
        ("Thing", "Closed"),
        ("Thing-rule", "SPARQL"),
        ("Thing-name", "MinCount"),
        ("Thing-name", "Node"),
    }
    ex = "https://example.org/shapes#"
    nested = nested_shapes(graph, root_shapes(graph))
    inner = next(iter(graph.objects(URIRef(ex + "Nested"), SH.property)))
    assert {URIRef(ex + "Nested"), inner} <= nested
    assert isinstance(inner, BNode)
    assert URIRef(ex + "Unused") not in root_shapes(graph) | nested
