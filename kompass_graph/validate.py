"""Validate RDF files: syntax, our own vocabulary checks, consistency, provenance,
ontology quality rules and SHACL → a typed report.

Nothing here prints or exits; `report.py` renders a `ValidationReport` and the CLI
chooses the exit code. Checks, in order:

1. every file parses (a `ParseError` names file, line and column); data files keep
   their named graphs (`parse.parse_file`);
2. every term of our ontology namespace that the data or shapes use is declared in
   the ontology, and every concept of our code lists that the data uses exists;
3. no node falls into two classes that PROV-O, FOAF, ORG or SKOS declare disjoint,
   counting entailed types (`consistency.py`, "Disjointness");
4. every named graph of the data is described by a provenance record, and the default
   graphs hold nothing else (`traceability.py`, "Untraceable");
5. the ontology and code lists keep the quality rules `ontology/rules/*.rq`
   (`quality_rules.py`, "QualityRule");
6. SHACL conformance with pySHACL over the union of all graphs, the ontology supplying
   the class hierarchy.

A check that finds nothing to check fails: validating no data, or a project without
shapes or quality rules, is a usage error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS
from rdflib.term import Node

from kompass_graph.consistency import disjointness_results
from kompass_graph.entailment import Schema, load_standard_axioms
from kompass_graph.errors import UsageError
from kompass_graph.findings import SEVERITY_ORDER, Severity, ValidationResult
from kompass_graph.locator import Locator
from kompass_graph.namespaces import SH, OurNamespaces, our_namespaces, standard_prefixes
from kompass_graph.parse import ParsedFile, parse_file, parse_into
from kompass_graph.quality_rules import load_quality_rules, quality_rule_results
from kompass_graph.sources import ProjectFiles, rdf_files_in
from kompass_graph.traceability import traceability_results

__all__ = [
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "validate_paths",
    "validate_project",
]

_DECLARING_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.Ontology,
    OWL.NamedIndividual,
    SKOS.Concept,
    SKOS.ConceptScheme,
}


@dataclass
class ValidationReport:
    """All findings of one validation run over `files`."""

    files: list[Path]
    results: list[ValidationResult]
    triple_count: int
    report_graph: Graph
    prefixes: dict[str, str]

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings and infos do not count)."""
        return not self.violations

    def passes(self, *, strict: bool = False) -> bool:
        """With `strict`, warnings and infos fail too."""
        return not self.results if strict else self.conforms


def validate_project(project: ProjectFiles, *, extra: Iterable[Path] = ()) -> ValidationReport:
    """Validate the project's ontology and data (plus `extra` files) against its shapes."""
    return validate_paths(project.data + list(extra), project=project)


def validate_paths(
    paths: Iterable[Path],
    *,
    project: ProjectFiles,
    base_iri: str | None = None,
    check_provenance: bool = True,
) -> ValidationReport:
    """Validate data files (folders are searched for RDF files) with the project's
    ontology, quality rules and shapes. Raises ParseError for a file that does not
    parse and UsageError when there is nothing to validate or nothing to check with.
    `check_provenance` off leaves out the named-graph provenance rules, which are our
    data's layout and not every dataset's (a server of someone else's RDF)."""
    data_files = _expand(paths)
    if not data_files:
        raise UsageError(
            "no RDF data files to validate", hint="name .ttl/.trig/.nt files or folders"
        )
    if not project.shapes:
        raise UsageError(f"no SHACL shapes found in {project.root / 'shapes'}")
    rules = load_quality_rules(project.quality_rules, folder=project.rules_folder)
    ours = our_namespaces(base_iri) if base_iri else our_namespaces()

    ontology_graphs = {path: _parse_one(path) for path in project.ontology}
    ontology = Graph()
    for graph in ontology_graphs.values():
        _add_all(ontology, graph)
    shapes = _parse_all(project.shapes)
    parsed = [parse_file(path) for path in data_files]
    file_graphs = {p.path: p.union for p in parsed}
    data = Graph()
    for graph in [ontology, *file_graphs.values()]:
        _add_all(data, graph)
    data_only = sum(len(g) for g in file_graphs.values())
    if data_only == 0:
        raise UsageError(
            "the data files hold no triples: " + ", ".join(str(p) for p in data_files),
            hint="a check that finds nothing to check fails",
        )

    prefixes = {**standard_prefixes(), **ours.prefixes(), "kgsh": ours.base + "shapes#"}
    locator = Locator(file_graphs)
    results = _undeclared_terms(ontology, file_graphs, shapes, ours, locator)
    results += _consistency_results(data, ontology, file_graphs, ontology_graphs, prefixes)
    if check_provenance:
        results += _traceability_results(parsed, ours, project, locator, prefixes)
    results += quality_rule_results(rules, project.ontology, Locator(ontology_graphs))
    shacl_results, report_graph = _shacl_results(data, shapes, ontology, locator)
    results += shacl_results
    results.sort(key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), r.file or "", r.focus_node))

    return ValidationReport(
        files=list(project.ontology) + data_files,
        results=results,
        triple_count=len(data),
        report_graph=report_graph,
        prefixes=prefixes,
    )


def _consistency_results(
    data: Graph,
    ontology: Graph,
    file_graphs: dict[Path, Graph],
    ontology_graphs: dict[Path, Graph],
    prefixes: dict[str, str],
) -> list[ValidationResult]:
    """Disjointness over ontology + data; nodes are found in the data first."""
    schema = Schema.of(ontology, load_standard_axioms())
    locator = Locator(
        {**file_graphs, **{p: g for p, g in ontology_graphs.items() if p not in file_graphs}}
    )
    return disjointness_results(data.triples((None, None, None)), schema, locator, prefixes)


def _traceability_results(
    parsed: list[ParsedFile],
    ours: OurNamespaces,
    project: ProjectFiles,
    locator: Locator,
    prefixes: dict[str, str],
) -> list[ValidationResult]:
    return traceability_results(
        parsed,
        ontology=ours.ontology,
        graph_namespace=ours.base + "graph/",
        own_data=project.root / "data",
        locator=locator,
        prefixes=prefixes,
    )


def _expand(paths: Iterable[Path]) -> list[Path]:
    """The files named and the RDF files in the folders named, each once, in order."""
    files: list[Path] = []
    for path in paths:
        found = rdf_files_in(path) if path.is_dir() else [path]
        files.extend(f for f in found if f not in files)
    return files


def _add_all(target: Graph, source: Graph) -> None:
    for triple in source.triples((None, None, None)):
        target.add(triple)


def _parse_one(path: Path) -> Graph:
    graph = Graph()
    parse_into(graph, path)
    return graph


def _parse_all(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        parse_into(graph, path)
    return graph


def _declared_terms(ontology: Graph) -> set[URIRef]:
    declared: set[URIRef] = set()
    for subject, _, kind in ontology.triples((None, RDF.type, None)):
        if kind in _DECLARING_TYPES and isinstance(subject, URIRef):
            declared.add(subject)
    return declared


def _undeclared_terms(
    ontology: Graph,
    file_graphs: dict[Path, Graph],
    shapes: Graph,
    namespaces: OurNamespaces,
    locator: Locator,
) -> list[ValidationResult]:
    """Terms of our ontology and concept namespaces that nothing declares (typos, mostly)."""
    vocab_prefixes = (str(namespaces.ontology), str(namespaces.concept))
    declared = _declared_terms(ontology)
    results: list[ValidationResult] = []
    sources = list(file_graphs.items())
    sources.append((Path("shapes"), shapes))
    seen: set[tuple[str, URIRef]] = set()
    for path, graph in sources:
        for triple in graph:
            for term in triple:
                if (
                    isinstance(term, URIRef)
                    and str(term).startswith(vocab_prefixes)
                    and str(term) != str(namespaces.concept)
                    and term not in declared
                    and (str(path), term) not in seen
                ):
                    seen.add((str(path), term))
                    results.append(_undeclared(term, path, graph, locator))
    return results


def _undeclared(term: URIRef, path: Path, graph: Graph, locator: Locator) -> ValidationResult:
    subject = next(iter(graph.subjects(None, term)), None) or next(
        iter(graph.subjects(term, None)), None
    )
    focus = str(subject) if subject is not None else str(term)
    line = locator.line_of(path, str(term)) if path.is_file() else None
    if line is None and path.is_file() and subject is not None:
        line = locator.line_of(path, str(subject))
    return ValidationResult(
        severity="Violation",
        focus_node=focus,
        message=f"{term} is not declared in the ontology (a typo, or a term to add to ontology/)",
        messages={
            "en": f"{term} is not declared in the ontology (a typo, or a term to add to ontology/)",
            "de": f"{term} ist in der Ontologie nicht deklariert (ein Tippfehler oder ein "
            "Begriff, der in ontology/ fehlt)",
        },
        constraint="UndeclaredTerm",
        value=str(term),
        file=str(path),
        line=line,
    )


def _shacl_results(
    data: Graph, shapes: Graph, ontology: Graph, locator: Locator
) -> tuple[list[ValidationResult], Graph]:
    _, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
    )
    # only top-level results: nested ones (sh:detail) are explained by their parent
    results = [
        _result_from(report_graph, node, locator, shapes)
        for report in report_graph.subjects(RDF.type, SH.ValidationReport)
        for node in report_graph.objects(report, SH.result)
    ]
    return results, report_graph


def _tag_filled_messages(
    messages: dict[str, str], constraint: Node | None, shapes: Graph
) -> dict[str, str]:
    """pySHACL drops the language tag of a SPARQL constraint's message when it fills in
    its {?variables}; find each untagged text's language by matching it to the tagged
    templates of the constraint it came from."""
    untagged = messages.pop("", None)
    if untagged is None:
        return messages
    if constraint is not None:
        for template in shapes.objects(constraint, SH.message):
            if not isinstance(template, Literal) or not template.language:
                continue
            parts = re.split(r"\{[?$]\w+\}", str(template))
            pattern = ".*?".join(re.escape(part) for part in parts)
            if re.fullmatch(pattern, untagged, flags=re.DOTALL):
                messages.setdefault(template.language, untagged)
                return messages
    messages[""] = untagged
    return messages


def _result_from(report: Graph, node: Node, locator: Locator, shapes: Graph) -> ValidationResult:
    def one(predicate: URIRef) -> Node | None:
        return report.value(node, predicate)

    focus = one(SH.focusNode)
    severity = one(SH.resultSeverity)
    component = one(SH.sourceConstraintComponent)
    shape = one(SH.sourceShape)
    constraint = one(SH.sourceConstraint)
    path = one(SH.resultPath)
    value = one(SH.value)
    messages: dict[str, str] = {}
    untagged: list[str] = []
    for message in report.objects(node, SH.resultMessage):
        if isinstance(message, Literal):
            if message.language:
                messages[message.language] = str(message)
            else:
                untagged.append(str(message))
    for text in untagged:
        messages[""] = text
        messages = _tag_filled_messages(messages, constraint, shapes)
    focus_text = str(focus)
    # the file that holds the offending triple, where a node is described in several
    file: str | None = None
    line: int | None = None
    if isinstance(focus, URIRef):
        offending = (focus, path, value) if isinstance(path, URIRef) and value is not None else None
        file, line = locator.locate(focus_text, triple=offending)
    return ValidationResult(
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        focus_node=focus_text if not isinstance(focus, BNode) else f"_:{focus}",
        message=messages.get("en") or messages.get("") or next(iter(messages.values()), ""),
        messages=messages,
        constraint=str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        if component
        else "",
        source_shape=str(shape) if isinstance(shape, URIRef) else None,
        source_constraint=str(constraint) if isinstance(constraint, URIRef) else None,
        path=_path_text(report, path),
        value=_term_text(value),
        file=file,
        line=line,
    )


def _path_text(report: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{inverse}"
        return "(complex path)"
    return str(path)


def _term_text(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)
