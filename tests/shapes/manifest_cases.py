"""The negative-fixture manifest (tests/shapes/manifest.toml) read into typed cases.

Each case names one fixture in fixtures/ and the complete set of results validating
it must give. The golden test checks the results; the coverage test checks that every
constraint of the shapes has a case.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "FIXTURES",
    "MANIFEST",
    "VALID_MINIMAL",
    "ConstraintKey",
    "ExpectedResult",
    "FixtureCase",
    "load_cases",
    "local_name",
]

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.toml"
FIXTURES = HERE / "fixtures"
VALID_MINIMAL = FIXTURES / "valid-minimal.ttl"

#: (shape local name, constraint component) — for SPARQL constraints
#: (SPARQL constraint local name, "SPARQL"), since they share their node shape
ConstraintKey = tuple[str, str]

_SEVERITIES = {"Violation", "Warning", "Info"}


def local_name(iri: str) -> str:
    """The part of a shape IRI after '#' (or the last '/'): how reports and the manifest name it."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


@dataclass(frozen=True, order=True)
class ExpectedResult:
    """One result a fixture must produce, as the validator reports it."""

    shape: str
    constraint: str
    focus: str
    severity: str
    sparql: str | None = None

    @property
    def key(self) -> ConstraintKey:
        return (self.sparql, "SPARQL") if self.sparql else (self.shape, self.constraint)


@dataclass(frozen=True)
class FixtureCase:
    """A negative fixture and the complete set of results it must give."""

    path: Path
    about: str
    expected: tuple[ExpectedResult, ...]

    @property
    def name(self) -> str:
        return self.path.stem


def load_cases(manifest: Path = MANIFEST, fixtures: Path = FIXTURES) -> list[FixtureCase]:
    """All cases of the manifest; a malformed entry raises ValueError naming it."""
    with manifest.open("rb") as handle:
        entries = tomllib.load(handle).get("fixture", [])
    return [_case(entry, fixtures, manifest) for entry in entries]


def _case(entry: dict[str, object], fixtures: Path, manifest: Path) -> FixtureCase:
    file = entry.get("file")
    if not isinstance(file, str) or not file.endswith(".ttl"):
        raise ValueError(f"{manifest}: fixture entry without a .ttl file: {entry}")
    raw_expected = entry.get("expect")
    if not isinstance(raw_expected, list) or not raw_expected:
        raise ValueError(f"{manifest}: {file} expects no result; a negative fixture must fail")
    expected = tuple(sorted(_expected(item, file, manifest) for item in raw_expected))
    return FixtureCase(path=fixtures / file, about=str(entry.get("about", "")), expected=expected)


def _expected(item: object, file: str, manifest: Path) -> ExpectedResult:
    if not isinstance(item, dict):
        raise ValueError(f"{manifest}: {file}: an expect entry must be a table")
    missing = {"shape", "constraint", "focus", "severity"} - item.keys()
    if missing:
        raise ValueError(f"{manifest}: {file}: expect entry lacks {sorted(missing)}")
    if item["severity"] not in _SEVERITIES:
        raise ValueError(f"{manifest}: {file}: unknown severity {item['severity']!r}")
    sparql = item.get("sparql")
    if (item["constraint"] == "SPARQL") != (sparql is not None):
        raise ValueError(f"{manifest}: {file}: give `sparql` exactly when constraint is SPARQL")
    return ExpectedResult(
        shape=str(item["shape"]),
        constraint=str(item["constraint"]),
        focus=str(item["focus"]),
        severity=str(item["severity"]),
        sparql=str(sparql) if sparql is not None else None,
    )
