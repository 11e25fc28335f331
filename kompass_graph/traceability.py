"""Every statement traceable to a source: the named-graph provenance check.

Our data files are TriG. A file's default graph holds only provenance records; every
other statement sits in a named graph under `<base>graph/`, and each named graph is
described in the default graph of some data file validated with it:

    <graph> a kg:SourceGraph ; prov:wasDerivedFrom <source> .   # what a source states
    <graph> a kg:SourceGraph ; prov:wasAttributedTo <agent> .   # our own editorial work

Reported, all with the constraint name "Untraceable":

* Violation: a named graph that holds statements but is not described so (no
  kg:SourceGraph type, neither prov:wasDerivedFrom nor prov:wasAttributedTo, or an IRI
  outside the graph namespace);
* Violation: each statement in the default graph of a TriG or N-Quads file whose
  subject is neither the name of a named graph nor a node typed, in some default graph,
  kg:SourceGraph, kg:SourceDocument, kg:ReferenceSource, kg:Portal or kg:Editor (asserted
  rdf:type only; the rule is deliberately this simple);
* Warning: a file of the project's own data folder without any named graph (Turtle,
  N-Triples …): the provenance of its statements cannot be checked. Files given from
  elsewhere without named graphs (test fixtures, a contributor's Turtle file) are not
  checked, so their other results stay exactly what they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import BNode, Namespace, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from kompass_graph.entailment import compact
from kompass_graph.findings import ValidationResult
from kompass_graph.locator import Locator
from kompass_graph.parse import ParsedFile

__all__ = ["CONSTRAINT", "DEFAULT_GRAPH_TYPES", "traceability_results"]

CONSTRAINT = "Untraceable"

#: local names (in our ontology namespace) of the types whose nodes may be subjects in
#: a default graph, besides the named graphs themselves
DEFAULT_GRAPH_TYPES = ("SourceGraph", "SourceDocument", "ReferenceSource", "Portal", "Editor")


class _Provenance:
    """What the default graphs of all files say about graphs and sources."""

    def __init__(self, files: Sequence[ParsedFile], ontology: Namespace) -> None:
        self.types: dict[Node, set[Node]] = {}
        self.derived: set[Node] = set()
        self.attributed: set[Node] = set()
        self.graph_names: set[Node] = {name for f in files for name in f.named}
        for parsed in files:
            for s, p, o in parsed.default:
                if p == RDF.type:
                    self.types.setdefault(s, set()).add(o)
                elif p == PROV.wasDerivedFrom:
                    self.derived.add(s)
                elif p == PROV.wasAttributedTo:
                    self.attributed.add(s)
        self.source_graph = ontology.SourceGraph
        allowed = {ontology[name] for name in DEFAULT_GRAPH_TYPES}
        self.allowed_subjects = self.graph_names | {
            node for node, types in self.types.items() if types & allowed
        }

    def gaps(self, graph: Node, namespace: str) -> list[tuple[str, str]]:
        """What is missing for `graph` to be described, in English and German."""
        gaps = []
        if not (isinstance(graph, URIRef) and str(graph).startswith(namespace)):
            gaps.append(
                (
                    f"its name is not an IRI under {namespace}",
                    f"sein Name ist keine IRI unter {namespace}",
                )
            )
        if self.source_graph not in self.types.get(graph, set()):
            gaps.append(
                ("it is not typed kg:SourceGraph", "er ist nicht als kg:SourceGraph typisiert")
            )
        if graph not in self.derived and graph not in self.attributed:
            gaps.append(
                (
                    "it has neither prov:wasDerivedFrom (its source) nor prov:wasAttributedTo "
                    "(the agent of an editorial graph)",
                    "er hat weder prov:wasDerivedFrom (seine Quelle) noch prov:wasAttributedTo "
                    "(den Urheber eines redaktionellen Graphen)",
                )
            )
        return gaps


def traceability_results(
    files: Sequence[ParsedFile],
    *,
    ontology: Namespace,
    graph_namespace: str,
    own_data: Path | None,
    locator: Locator,
    prefixes: dict[str, str],
) -> list[ValidationResult]:
    """The findings above for the data files `files` (not the ontology, not the shapes)."""
    provenance = _Provenance(files, ontology)
    results: list[ValidationResult] = []
    for parsed in files:
        if parsed.named or parsed.can_name_graphs:
            for graph, statements in parsed.named.items():
                gaps = provenance.gaps(graph, graph_namespace)
                if gaps and len(statements):
                    results.append(
                        _undescribed(parsed, graph, len(statements), gaps, locator, prefixes)
                    )
            results += [
                _in_default_graph(parsed, triple, locator, prefixes)
                for triple in sorted(parsed.default, key=lambda t: tuple(x.n3() for x in t))
                if triple[0] not in provenance.allowed_subjects
            ]
        elif own_data is not None and parsed.path.resolve().is_relative_to(own_data.resolve()):
            results.append(_without_named_graphs(parsed))
    return results


def _text(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _undescribed(
    parsed: ParsedFile,
    graph: Node,
    count: int,
    gaps: list[tuple[str, str]],
    locator: Locator,
    prefixes: dict[str, str],
) -> ValidationResult:
    name = compact(graph, prefixes)
    gaps_en, gaps_de = "; ".join(en for en, _ in gaps), "; ".join(de for _, de in gaps)
    messages = {
        "en": f"the named graph {name} in {parsed.path} holds {count} statement(s) that cannot "
        f"be traced to a source: {gaps_en}. Describe it in a default graph: {name} a "
        "kg:SourceGraph ; prov:wasDerivedFrom <its source> (or prov:wasAttributedTo "
        "<the editor> for our own translations, interpretations and classifications)",
        "de": f"der benannte Graph {name} in {parsed.path} enthält {count} Aussage(n), die sich "
        f"auf keine Quelle zurückführen lassen: {gaps_de}. Beschreiben Sie ihn in einem "
        f"Default-Graphen: {name} a kg:SourceGraph ; prov:wasDerivedFrom <seine Quelle> (oder "
        "prov:wasAttributedTo <Redaktion> für eigene Übersetzungen, Deutungen und Einordnungen)",
    }
    return ValidationResult(
        severity="Violation",
        focus_node=_text(graph),
        message=messages["en"],
        messages=messages,
        constraint=CONSTRAINT,
        file=str(parsed.path),
        line=locator.graph_line_of(parsed.path, str(graph)),
    )


def _in_default_graph(
    parsed: ParsedFile,
    triple: tuple[Node, Node, Node],
    locator: Locator,
    prefixes: dict[str, str],
) -> ValidationResult:
    s, p, o = triple
    line = locator.line_of(parsed.path, str(s)) if isinstance(s, URIRef) else None
    where = f"{parsed.path}:{line}" if line else str(parsed.path)
    statement = " ".join(compact(t, prefixes) for t in triple)
    messages = {
        "en": f"{where}: the statement {statement} is in the default graph, which holds only "
        "the provenance records of named graphs and sources: put this statement into the "
        "named graph of the source that states it",
        "de": f"{where}: die Aussage {statement} steht im Default-Graphen, der nur "
        "Herkunftsangaben zu benannten Graphen und Quellen enthält: verschieben Sie die "
        "Aussage in den benannten Graphen der Quelle, die sie trifft",
    }
    return ValidationResult(
        severity="Violation",
        focus_node=_text(s),
        message=messages["en"],
        messages=messages,
        constraint=CONSTRAINT,
        path=str(p),
        value=o.n3() if not isinstance(o, (URIRef, BNode)) else _text(o),
        file=str(parsed.path),
        line=line,
    )


def _without_named_graphs(parsed: ParsedFile) -> ValidationResult:
    messages = {
        "en": f"{parsed.path} has no named graphs: the provenance of its statements cannot be "
        "checked (write it as TriG, each statement in the named graph of its source)",
        "de": f"{parsed.path} hat keine benannten Graphen: die Herkunft seiner Aussagen lässt "
        "sich nicht prüfen (als TriG schreiben, jede Aussage im benannten Graphen ihrer Quelle)",
    }
    return ValidationResult(
        severity="Warning",
        focus_node=parsed.path.resolve().as_uri(),
        message=messages["en"],
        messages=messages,
        constraint=CONSTRAINT,
        file=str(parsed.path),
    )
