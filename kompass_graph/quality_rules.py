"""The ontology's quality rules: one SPARQL SELECT per file that returns rows only on failure.

The rules are `ontology/rules/*.rq` (`ProjectFiles.quality_rules`). A rule's first line is
its banner, `# rule: <what every term must satisfy>`; the first variable of each row is
the focus node (the term that breaks the rule), further variables say what is missing.
They run over the ontology and the code lists (all of `ontology/`), with Oxigraph. Each row
is a Violation "QualityRule" whose message is the banner.

A check that finds nothing to check fails: no rules is a UsageError, as is a rule
without a banner; a rule that does not parse is a QuerySyntaxError naming its file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kompass_graph.errors import ParseError, Position, QuerySyntaxError, UsageError
from kompass_graph.findings import ValidationResult
from kompass_graph.locator import Locator
from kompass_graph.parse import oxigraph_format

__all__ = [
    "BANNER_PREFIX",
    "CONSTRAINT",
    "QualityRule",
    "RuleFailure",
    "load_quality_rules",
    "quality_rule_results",
    "rule_failures",
    "rule_store",
]

CONSTRAINT = "QualityRule"
BANNER_PREFIX = "# rule: "


@dataclass(frozen=True)
class QualityRule:
    """One rule file: its name (the file stem), banner and query."""

    name: str
    banner: str
    query: str
    path: Path


@dataclass(frozen=True)
class RuleFailure:
    """One row a rule returned: the focus term and the other variables' values."""

    rule: QualityRule
    focus: str
    details: tuple[tuple[str, str], ...] = ()


def load_quality_rules(paths: list[Path], *, folder: Path) -> list[QualityRule]:
    """The rules in `paths` (found in `folder`); none, or one without a banner, is an error."""
    if not paths:
        raise UsageError(
            f"no quality rules (*.rq) found in {folder}",
            hint="a check that finds nothing to check fails: add the ontology's rules there",
        )
    return [_load(path) for path in paths]


def _load(path: Path) -> QualityRule:
    query = path.read_text(encoding="utf-8")
    first = query.splitlines()[0] if query else ""
    if not first.startswith(BANNER_PREFIX) or not first.removeprefix(BANNER_PREFIX).strip():
        raise UsageError(
            f"{path}:1: a quality rule starts with its banner",
            hint=f"make the first line '{BANNER_PREFIX}<what the rule checks>'",
        )
    return QualityRule(path.stem, first.removeprefix(BANNER_PREFIX).strip(), query, path)


def rule_store(files: list[Path]) -> ox.Store:
    """An in-memory Oxigraph store holding `files` (the ontology and the code lists)."""
    store = ox.Store()
    for path in files:
        try:
            store.load(path=str(path), format=oxigraph_format(path))
        except SyntaxError as error:
            position = Position(error.lineno, error.offset)
            raise ParseError(str(error.msg or error), file=str(path), position=position) from None
    return store


def rule_failures(rule: QualityRule, store: ox.Store) -> list[RuleFailure]:
    """The rows `rule` returns over `store`: one per failure."""
    try:
        solutions = store.query(rule.query)
    except SyntaxError as error:
        raise QuerySyntaxError(
            str(error.msg or error),
            position=Position(error.lineno, error.offset),
            source=str(rule.path),
        ) from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise UsageError(
            f"{rule.path}: a quality rule is a SELECT query", hint="return the failing terms"
        )
    names = [variable.value for variable in solutions.variables]
    if not names:
        raise UsageError(f"{rule.path}: a quality rule selects the failing term first")
    failures = []
    for row in solutions:
        values = [_text(row[i]) for i in range(len(names))]
        details = tuple((n, v) for n, v in zip(names[1:], values[1:], strict=True) if v)
        failures.append(RuleFailure(rule, values[0], details))
    return failures


def _text(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return "" if term is None else str(term)


def quality_rule_results(
    rules: list[QualityRule], ontology: list[Path], locator: Locator
) -> list[ValidationResult]:
    """Every rule over the ontology files: one Violation per row."""
    store = rule_store(ontology)
    results = []
    for rule in rules:
        for failure in rule_failures(rule, store):
            file, line = locator.locate(failure.focus)
            value = (
                failure.details[0][1]
                if len(failure.details) == 1
                else ", ".join(f"?{n}={v}" for n, v in failure.details) or None
            )
            results.append(
                ValidationResult(
                    severity="Violation",
                    focus_node=failure.focus,
                    message=rule.banner,
                    messages={"en": rule.banner},
                    constraint=CONSTRAINT,
                    value=value,
                    file=file,
                    line=line,
                    rule=rule.name,
                )
            )
    return results
