"""What `kompass-graph check` found, step by step, and how it is written out.

A `CheckReport` holds one `CheckResult` per step (validation, queries, release, dcat,
serve), each passed, failed, skipped (with the reason, never a silent pass) or in error
(the check itself could not run: exit 2). Renderers follow `kompass_graph.report`'s
conventions, and the validation step is written by that module itself (its text lines
and its GitHub annotations), so a finding reads the same in `validate` and in `check`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from kompass_graph.report import escape_github, escape_github_property, render_github, render_text
from kompass_graph.validate import ValidationReport

__all__ = [
    "CHECK_FORMATS",
    "CheckFinding",
    "CheckReport",
    "CheckResult",
    "render_check",
    "render_check_github",
    "render_check_json",
    "render_check_text",
]

Status = Literal["passed", "failed", "skipped", "error"]
#: the levels of GitHub's workflow commands
Level = Literal["error", "warning", "notice"]


@dataclass(frozen=True)
class CheckFinding:
    """One thing a step found, with where to look: a file and line, a stored query's
    name, or the URL a probe of the server asked."""

    message: str
    level: Level = "error"
    file: str | None = None
    line: int | None = None
    query: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """One step of the check."""

    name: str
    status: Status
    #: one line: what was checked, or why the step was skipped
    summary: str
    findings: tuple[CheckFinding, ...] = ()
    seconds: float = 0.0
    #: the validation step's own report, rendered by `kompass_graph.report`
    validation: ValidationReport | None = None


@dataclass(frozen=True)
class CheckReport:
    """Every step, in the order they ran."""

    results: tuple[CheckResult, ...]

    @property
    def passed(self) -> bool:
        return all(r.status in ("passed", "skipped") for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 all passed (or skipped), 1 the data fails a check, 2 a step could not run."""
        statuses = {r.status for r in self.results}
        return 2 if "error" in statuses else 1 if "failed" in statuses else 0

    def result(self, name: str) -> CheckResult:
        return next(r for r in self.results if r.name == name)


def _where(finding: CheckFinding) -> str:
    places = []
    if finding.file:
        places.append(f"{finding.file}:{finding.line}" if finding.line else finding.file)
    if finding.url:
        places.append(finding.url)
    return f"  [{', '.join(places)}]" if places else ""


def _verdict(report: CheckReport) -> str:
    counts = {s: sum(r.status == s for r in report.results) for s in ("failed", "error")}
    skipped = [r for r in report.results if r.status == "skipped"]
    verdict = "check passed" if report.passed else "check failed"
    text = (
        f"{verdict}: {len(report.results)} step(s), {counts['failed']} failed, "
        f"{counts['error']} in error, {len(skipped)} skipped"
    )
    if skipped:
        text += " (" + "; ".join(f"{r.name}: {r.summary}" for r in skipped) + ")"
    return text


def render_check_text(report: CheckReport) -> str:
    """One line per step, its findings indented below it, and the verdict."""
    lines = []
    for r in report.results:
        lines.append(f"{r.status.upper():8} {r.name:10} {r.summary}  ({r.seconds:.1f} s)")
        if r.validation is not None and r.validation.results:
            # validate's own lines, without its verdict (the step's summary says it)
            lines.extend("    " + line for line in render_text(r.validation).splitlines()[:-1])
        else:
            for f in r.findings:
                lines.append(f"    {f.level.upper():8} {f.message}{_where(f)}")
    lines.append(_verdict(report))
    return "\n".join(lines) + "\n"


def render_check_json(report: CheckReport) -> str:
    """The report as one JSON object with stable keys, for scripts."""
    document = {
        "passed": report.passed,
        "exitCode": report.exit_code,
        "steps": [
            {
                "name": r.name,
                "status": r.status,
                "summary": r.summary,
                "seconds": round(r.seconds, 3),
                "findings": [
                    {
                        "level": f.level,
                        "message": f.message,
                        "file": f.file,
                        "line": f.line,
                        "query": f.query,
                        "url": f.url,
                    }
                    for f in r.findings
                ],
            }
            for r in report.results
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _annotation(result: CheckResult, finding: CheckFinding) -> str:
    properties = []
    if finding.file:
        properties.append(f"file={escape_github_property(finding.file)}")
        if finding.line:
            properties.append(f"line={finding.line}")
    properties.append(f"title={escape_github_property('kompass-graph check ' + result.name)}")
    return f"::{finding.level} {','.join(properties)}::{escape_github(finding.message)}"


def render_check_github(report: CheckReport) -> str:
    """GitHub Actions workflow commands: each finding at its file and line, a notice for
    each skipped step (so a skip shows in the run's summary), and the verdict."""
    lines = []
    for r in report.results:
        if r.validation is not None:
            lines.extend(render_github(r.validation).splitlines())
        else:
            lines.extend(_annotation(r, f) for f in r.findings)
        if r.status == "skipped":
            title = escape_github_property(f"kompass-graph check {r.name}")
            lines.append(f"::notice title={title}::{escape_github('skipped: ' + r.summary)}")
    verdict = _verdict(report)
    if not report.passed:
        lines.append(f"::error title=kompass-graph check::{escape_github(verdict)}")
    lines.append(verdict)
    return "\n".join(lines) + "\n"


CHECK_FORMATS: dict[str, Callable[[CheckReport], str]] = {
    "text": render_check_text,
    "json": render_check_json,
    "github": render_check_github,
}


def render_check(report: CheckReport, *, fmt: str = "text") -> str:
    return CHECK_FORMATS[fmt](report)
