"""One finding of `kompass-graph validate`, whichever check made it.

Every check (SHACL, our vocabulary, disjointness, traceability, quality rules) reports
`ValidationResult`s, so `report.py` renders them all the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SEVERITY_ORDER", "Severity", "ValidationResult"]

Severity = str  # "Violation" | "Warning" | "Info"

#: how results are sorted: violations first
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """One finding, with where it was found: enough to fix it without other tools."""

    severity: Severity
    focus_node: str
    message: str
    constraint: str
    source_shape: str | None = None
    #: the SPARQL constraint (sh:sparql) a result comes from, when it has an IRI
    source_constraint: str | None = None
    path: str | None = None
    value: str | None = None
    messages: dict[str, str] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None
    #: the quality rule (file stem of ontology/rules/*.rq) a "QualityRule" result comes from
    rule: str | None = None
