"""README, settings and CLI stay in step with the code."""

import re
from pathlib import Path

from kompass_graph.cli import build_parser
from kompass_graph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme() -> None:
    documented = set(re.findall(r"^\| `(\w+)` \|", README, flags=re.MULTILINE))
    fields = set(Settings.model_fields)
    assert fields, "no settings found"
    assert fields - documented == set(), "settings missing from README's Settings table"
    assert documented - fields == set(), "README documents settings that do not exist"


def test_every_setting_has_a_description() -> None:
    undocumented = [name for name, f in Settings.model_fields.items() if not f.description]
    assert undocumented == []


def test_readme_first_section_gives_the_two_commands() -> None:
    first_section = README.split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", first_section, flags=re.DOTALL)
    assert len(commands) == 2
    serve, test = commands
    assert "pip install" in serve and serve.endswith("kompass-graph serve")
    assert "pip install" in test and "'.[test]'" in test and test.endswith("pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci, ".ci/run must run the README's test command verbatim"


def test_cli_subcommands_are_documented() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    names = set(subparsers.choices)  # type: ignore[attr-defined]
    assert names == {"validate", "query", "serve", "check", "build", "diff", "publish"}
    for name in names:
        assert f"kompass-graph {name}" in README


def test_changelog_follows_keep_a_changelog() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "keepachangelog.com" in changelog
    assert "## [Unreleased]" in changelog


def test_stored_queries_named_in_the_readme_exist() -> None:
    named = set(re.findall(r"kompass-graph query (\d\d-[\w-]+)", README))
    assert named, "the README shows no stored query by name"
    existing = {p.stem for p in (ROOT / "sparql").glob("*.rq")}
    assert named - existing == set()


def test_every_setting_but_the_project_root_is_a_serve_flag() -> None:
    """serve's flags are derived from the Settings fields: declared once, with help."""
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    serve = commands.choices["serve"]  # type: ignore[attr-defined]
    flags = {option for action in serve._actions for option in action.option_strings}
    for name, field in Settings.model_fields.items():
        if name == "project_root":
            continue
        flag = "--" + name.replace("_", "-")
        assert flag in flags, f"no {flag} for the setting {name}"
        action = next(a for a in serve._actions if flag in a.option_strings)
        assert field.description and field.description in (action.help or "")
