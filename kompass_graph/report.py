"""Render a ValidationReport for people (text), machines (json, turtle) and CI (github).

Prefixed names make the lines short enough to read; the file (and line, when known)
of the data that describes the focus node tells a maintainer where to fix it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from kompass_graph.namespaces import shorten_iri
from kompass_graph.validate import ValidationReport, ValidationResult

__all__ = [
    "REPORT_FORMATS",
    "escape_github",
    "escape_github_property",
    "render",
    "render_github",
    "render_json",
    "render_text",
    "render_turtle",
]


def _shorten(term: str | None, prefixes: dict[str, str]) -> str:
    """An IRI as a prefixed name where a prefix fits; literals keep their form."""
    if term is None:
        return "-"
    if term.startswith('"'):
        head, sep, datatype = term.rpartition("^^<")
        return f"{head}^^{_shorten(datatype[:-1], prefixes)}" if sep else term
    if term.startswith("_:"):
        return term
    inverse = term.startswith("^")
    body = term[1:] if inverse else term
    return ("^" if inverse else "") + shorten_iri(body, prefixes)


def _where(result: ValidationResult) -> str:
    if result.file is None:
        return "-"
    return f"{result.file}:{result.line}" if result.line else result.file


def _constraint(result: ValidationResult) -> str:
    """The constraint, with the quality rule's name for a QualityRule result."""
    return f"{result.constraint} {result.rule}" if result.rule else result.constraint


def render_text(report: ValidationReport, *, language: str = "en") -> str:
    """One line per result: severity, focus node, path, value, message, data file."""
    p = report.prefixes
    lines = []
    for r in report.results:
        message = r.messages.get(language) or r.message
        lines.append(
            f"{r.severity.upper():9} {_shorten(r.focus_node, p)}  {_shorten(r.path, p)}  "
            f"{_shorten(r.value, p)}  {_constraint(r)}: {message}  [{_where(r)}]"
        )
    counts = _counts(report)
    verdict = "conforms" if report.conforms else "does not conform"
    lines.append(
        f"{verdict}: {counts['Violation']} violation(s), {counts['Warning']} warning(s), "
        f"{counts['Info']} info(s) in {len(report.files)} file(s), {report.triple_count} triples"
    )
    return "\n".join(lines) + "\n"


def _counts(report: ValidationReport) -> dict[str, int]:
    counts = {"Violation": 0, "Warning": 0, "Info": 0}
    for r in report.results:
        counts[r.severity] = counts.get(r.severity, 0) + 1
    return counts


def render_json(report: ValidationReport, *, language: str = "en") -> str:
    """The report as one JSON object, stable keys, for scripts."""
    document = {
        "conforms": report.conforms,
        "counts": _counts(report),
        "triples": report.triple_count,
        "files": [str(f) for f in report.files],
        "results": [
            {
                "severity": r.severity,
                "focusNode": r.focus_node,
                "path": r.path,
                "value": r.value,
                "message": r.messages.get(language) or r.message,
                "messages": r.messages,
                "constraint": r.constraint,
                "sourceShape": r.source_shape,
                "rule": r.rule,
                "file": r.file,
                "line": r.line,
            }
            for r in report.results
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_turtle(report: ValidationReport, *, language: str = "en") -> str:
    """The SHACL validation report graph itself, as Turtle."""
    graph = report.report_graph
    for prefix, namespace in report.prefixes.items():
        graph.bind(prefix, namespace, override=True)
    return str(graph.serialize(format="turtle"))


def escape_github(text: str) -> str:
    """A GitHub workflow command's message, escaped (its `%`, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_github_property(text: str) -> str:
    """A workflow command's property value, escaped (also its `:` and `,`)."""
    return escape_github(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: ValidationReport, *, language: str = "en") -> str:
    """GitHub Actions workflow commands, so CI shows each finding at its file and line."""
    p = report.prefixes
    lines = []
    for r in report.results:
        level = {"Violation": "error", "Warning": "warning"}.get(r.severity, "notice")
        properties = []
        if r.file:
            properties.append(f"file={escape_github_property(r.file)}")
            if r.line:
                properties.append(f"line={r.line}")
        title = _shorten(r.source_shape, p) if r.source_shape else _constraint(r)
        properties.append(f"title={escape_github_property(title)}")
        message = r.messages.get(language) or r.message
        body = f"{_shorten(r.focus_node, p)} {_shorten(r.path, p)}: {message}"
        lines.append(f"::{level} {','.join(properties)}::{escape_github(body)}")
    return "\n".join(lines) + ("\n" if lines else "")


REPORT_FORMATS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "turtle": render_turtle,
    "github": render_github,
}


def render(report: ValidationReport, *, fmt: str = "text", language: str = "en") -> str:
    return REPORT_FORMATS[fmt](report, language=language)
