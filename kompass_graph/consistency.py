"""Consistency with the disjointness axioms: no node in two classes declared disjoint.

PROV-O, FOAF, ORG and SKOS declare some of their classes disjoint (prov:Activity and
prov:Entity, foaf:Person and foaf:Organization, skos:Concept and skos:ConceptScheme …;
the bundled `axioms/standard-axioms.ttl` lists them with their sources). A node's types
count whether asserted or entailed (`entailment.py`): a kg:Project is a prov:Activity
through rdfs:subClassOf, and becomes a prov:Entity the moment it has a
prov:wasDerivedFrom, whose domain is prov:Entity. Each such node is a Violation
"Disjointness" that names the two classes and why the node has each.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode
from rdflib.term import Node

from kompass_graph.entailment import Reason, Schema, compact, entailed_types
from kompass_graph.findings import ValidationResult
from kompass_graph.locator import Locator

__all__ = ["CONSTRAINT", "disjointness_results"]

CONSTRAINT = "Disjointness"

Triple = tuple[Node, Node, Node]


def disjointness_results(
    triples: Iterable[Triple], schema: Schema, locator: Locator, prefixes: dict[str, str]
) -> list[ValidationResult]:
    """One Violation per node and pair of disjoint classes it falls into."""
    if not schema.disjoint:
        return []
    types = entailed_types(triples, schema, only=schema.disjoint_classes)
    results = []
    for node, classes in types.items():
        present = sorted(classes)
        for i, first in enumerate(present):
            for second in present[i + 1 :]:
                if frozenset((first, second)) in schema.disjoint:
                    results.append(_clash(node, classes[first], classes[second], locator, prefixes))
    return results


def _clash(
    node: Node, first: Reason, second: Reason, locator: Locator, prefixes: dict[str, str]
) -> ValidationResult:
    name = compact(node, prefixes)
    a, b = compact(first.target, prefixes), compact(second.target, prefixes)
    why = {
        language: f"{first.text(prefixes, language=language)}; "
        f"{second.text(prefixes, language=language)}"
        for language in ("en", "de")
    }
    messages = {
        "en": f"{name} is both {a} and {b}, classes declared disjoint (owl:disjointWith): "
        f"{why['en']}",
        "de": f"{name} ist zugleich {a} und {b}, als disjunkt erklärte Klassen "
        f"(owl:disjointWith): {why['de']}",
    }
    # the statement to fix is the one that brings in a type through a domain or range
    culprit = next((r for r in (second, first) if r.kind != "asserted"), second)
    focus = f"_:{node}" if isinstance(node, BNode) else str(node)
    file, line = _where(node, culprit, locator)
    return ValidationResult(
        severity="Violation",
        focus_node=focus,
        message=messages["en"],
        messages=messages,
        constraint=CONSTRAINT,
        path=str(culprit.triple[1]) if culprit.kind != "asserted" else None,
        file=file,
        line=line,
    )


def _where(node: Node, reason: Reason, locator: Locator) -> tuple[str | None, int | None]:
    path = locator.file_of_triple(reason.triple) or locator.file_of(str(node))
    if path is None:
        return None, None
    line = locator.line_of(path, str(node))
    subject = reason.triple[0]
    if line is None and subject != node:
        line = locator.line_of(path, str(subject))
    return str(path), line
