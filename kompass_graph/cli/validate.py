"""`kompass-graph validate`: check RDF files against the ontology and the shapes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kompass_graph.report import REPORT_FORMATS, render
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files
from kompass_graph.validate import validate_paths

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate = commands.add_parser(
        "validate",
        help="check that RDF files parse, use declared terms and conform to the shapes",
        description="Validate data files (default: the project's data) with the project's "
        "ontology and SHACL shapes.",
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="RDF files or folders (default: data/)"
    )
    validate.add_argument(
        "--format", choices=sorted(REPORT_FORMATS), default="text", help="report format"
    )
    validate.add_argument(
        "--strict", action="store_true", help="warnings and infos fail too (exit 1)"
    )
    validate.add_argument(
        "--lang", choices=["en", "de"], default="en", help="language of the messages"
    )
    validate.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    project = find_project_files(settings.project_root)
    paths = args.paths or project.data
    report = validate_paths(paths, project=project)
    sys.stdout.write(render(report, fmt=args.format, language=args.lang))
    return 0 if report.passes(strict=args.strict) else 1
