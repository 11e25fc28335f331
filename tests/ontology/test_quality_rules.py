"""Ontology hygiene: one SPARQL rule per file, rows only on failure; each has a failing example."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kompass_graph.sources import find_project_files

HERE = Path(__file__).parent
RULES = sorted((HERE / "rules").glob("*.rq"))


def banner(rule: Path) -> str:
    first = rule.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# rule: "), f"{rule.name} needs a '# rule: …' banner"
    return first.removeprefix("# rule: ")


def failures(rule: Path, files: list[Path]) -> list[str]:
    store = ox.Store()
    for path in files:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    solutions = store.query(rule.read_text(encoding="utf-8"))
    assert isinstance(solutions, ox.QuerySolutions)
    return [" ".join(str(v) for v in row) for row in solutions]


def test_there_are_rules_to_check() -> None:
    assert len(RULES) >= 6


@pytest.mark.parametrize("rule", RULES, ids=lambda p: p.stem)
def test_the_ontology_keeps_the_rule(rule: Path) -> None:
    ontology = find_project_files().ontology
    assert ontology, "no ontology files found"
    found = failures(rule, ontology)
    assert found == [], f"{banner(rule)}:\n" + "\n".join(found)


@pytest.mark.parametrize("rule", RULES, ids=lambda p: p.stem)
def test_the_rule_fails_on_its_failing_example(rule: Path) -> None:
    example = HERE / "failing" / f"{rule.stem}.ttl"
    assert example.is_file(), f"rule {rule.name} has no failing example {example}"
    assert failures(rule, [example]) != [], f"{banner(rule)} did not fire on {example.name}"
