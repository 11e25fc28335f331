"""Check a DCAT description against the official DCAT-AP 3.0 and DCAT-AP.de 3.0 shapes.

GovData's validator (`v30_de_spec`) combines the SEMIC DCAT-AP 3.0.0 shapes with the
five German files (spec shapes, German additions, controlled vocabularies, deprecated
terms, imports). We load every `*.ttl` of the shapes folder into one shapes graph, as
it does, and do not follow `owl:imports`: the imported vocabularies (EU authority
tables, licences, geocoding levels) are remote. That is why our description states the
type and scheme of every controlled-vocabulary term it uses (`dcat.py`).

The report keeps the three severities apart: a description conforms when it has no
violation; warnings and infos are listed, never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from rdflib.collection import Collection
from rdflib.term import Node

from kompass_graph.errors import SourceNotFoundError
from kompass_graph.namespaces import RDF, SH

__all__ = ["SHAPE_FILES", "DcatFinding", "DcatReport", "check_dcat", "load_dcat_shapes"]

#: the six files GovData's validator combines (DCAT-AP 3.0.0 and DCAT-AP.de 3.0)
SHAPE_FILES = (
    "dcat-ap-3.0.0-SHACL.ttl",
    "dcat-ap-SHACL-DE.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-controlledvocabularies.ttl",
    "dcat-ap-de-deprecated.ttl",
    "dcat-ap-de-imports.ttl",
)


@dataclass(frozen=True, order=True)
class DcatFinding:
    """One result of the shapes: where (focus node, path) and what (message)."""

    focus_node: str
    path: str
    message: str
    #: the shape that reported it (its IRI, or "" for an anonymous shape)
    shape: str = ""


@dataclass(frozen=True)
class DcatReport:
    """The shapes' results, by severity, each sorted."""

    violations: tuple[DcatFinding, ...]
    warnings: tuple[DcatFinding, ...]
    infos: tuple[DcatFinding, ...]

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings and infos do not fail it)."""
        return not self.violations


def load_dcat_shapes(shapes_folder: Path) -> rdflib.Graph:
    """The six official shape files as one graph; names the folder and the missing file."""
    shapes = rdflib.Graph()
    for name in SHAPE_FILES:
        path = shapes_folder / name
        if not path.is_file():
            raise SourceNotFoundError(
                f"{path}: DCAT-AP shape file not found",
                hint=f"the folder must hold all of {', '.join(SHAPE_FILES)}",
            )
        shapes.parse(path, format="turtle")
    return shapes


def check_dcat(graph: rdflib.Graph, shapes_folder: Path) -> DcatReport:
    """Run the DCAT-AP 3.0 + DCAT-AP.de 3.0 shapes of `shapes_folder` on `graph`."""
    shapes = load_dcat_shapes(shapes_folder)
    _conforms, results, _text = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        do_owl_imports=False,
        allow_warnings=True,
        allow_infos=True,
        advanced=True,
    )
    assert isinstance(results, rdflib.Graph)
    found: dict[Node, list[DcatFinding]] = {SH.Violation: [], SH.Warning: [], SH.Info: []}
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        found.setdefault(severity or SH.Violation, []).append(_finding(results, result))
    return DcatReport(
        violations=tuple(sorted(found[SH.Violation])),
        warnings=tuple(sorted(found[SH.Warning])),
        infos=tuple(sorted(found[SH.Info])),
    )


def _finding(results: rdflib.Graph, result: Node) -> DcatFinding:
    shape = results.value(result, SH.sourceShape)
    messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
    return DcatFinding(
        focus_node=str(results.value(result, SH.focusNode) or ""),
        path=_path_text(results, results.value(result, SH.resultPath)),
        message=" / ".join(messages),
        shape=str(shape) if isinstance(shape, rdflib.URIRef) else "",
    )


def _path_text(results: rdflib.Graph, path: Node | None) -> str:
    """A result path as text: an IRI, or `a | b` for an alternative path."""
    if path is None:
        return ""
    if isinstance(path, rdflib.URIRef):
        return str(path)
    alternatives = results.value(path, SH.alternativePath)
    if alternatives is not None:
        return " | ".join(str(p) for p in Collection(results, alternatives))
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{inverse}"
    return "(complex path)"
