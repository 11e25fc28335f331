"""Ontology hygiene: one SPARQL rule per file, rows only on failure; each has a failing example.

The rules live in ontology/rules/ (they ship with the package and run in `validate`); their
failing examples stay here, in failing/<rule>.ttl.
"""

from pathlib import Path

import pytest

from kompass_graph.quality_rules import QualityRule, load_quality_rules, rule_failures, rule_store
from kompass_graph.sources import find_project_files

HERE = Path(__file__).parent
PROJECT = find_project_files()
RULES = load_quality_rules(PROJECT.quality_rules, folder=PROJECT.rules_folder)


def failures(rule: QualityRule, files: list[Path]) -> list[str]:
    found = rule_failures(rule, rule_store(files))
    return [" ".join([f.focus, *(v for _, v in f.details)]) for f in found]


def test_there_are_rules_to_check() -> None:
    assert len(RULES) >= 6
    assert all(rule.banner for rule in RULES)


def test_every_failing_example_belongs_to_a_rule() -> None:
    assert {p.stem for p in (HERE / "failing").glob("*.ttl")} == {r.name for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_the_ontology_keeps_the_rule(rule: QualityRule) -> None:
    ontology = PROJECT.ontology
    assert ontology, "no ontology files found"
    found = failures(rule, ontology)
    assert found == [], f"{rule.banner}:\n" + "\n".join(found)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_the_rule_fails_on_its_failing_example(rule: QualityRule) -> None:
    example = HERE / "failing" / f"{rule.name}.ttl"
    assert example.is_file(), f"rule {rule.path.name} has no failing example {example}"
    assert failures(rule, [example]) != [], f"{rule.banner} did not fire on {example.name}"
