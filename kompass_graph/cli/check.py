"""`kompass-graph check`: the one gate for a data maintainer's CI (publish/check.py).

Exit 0 when every step passed (or was skipped, which the output says), 1 when the data
fails a check (validation, a stored query's expectation, the release, DCAT, the server's
smoke test), 2 when the check itself cannot run. The data is selected as `serve`
selects it: the project's (`--project-root`), plus `--data`, or only `--only-data`;
those two flags are derived from their `Settings` fields, as serve's are.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kompass_graph.cli.serve import add_setting_flags
from kompass_graph.errors import UsageError
from kompass_graph.publish.check import run_checks
from kompass_graph.publish.check_report import CHECK_FORMATS, render_check
from kompass_graph.settings import Settings

__all__ = ["CHECK_SETTINGS", "add_parser", "run"]

#: the settings `check` takes as flags: the data selection of `serve`
CHECK_SETTINGS: tuple[str, ...] = ("data", "only_data")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="run every check a data maintainer's CI should: validation, stored queries, "
        "release and DCAT, and (--serve) a protocol smoke test",
        description="Validate the data, run every stored query against its expectation, "
        "build the release and check its DCAT-AP.de description, and with --serve start "
        "the server on a free loopback port and run a SPARQL protocol smoke test.",
        epilog="Exit codes: 0 every step passed or was skipped (the output says which and "
        "why), 1 the data fails a check, 2 usage or runtime error.",
    )
    check.add_argument(
        "--serve", action="store_true", help="also start the server and smoke-test it"
    )
    check.add_argument(
        "--format", choices=sorted(CHECK_FORMATS), default="text", help="report format"
    )
    check.add_argument(
        "--dcat-shapes",
        type=Path,
        metavar="DIR",
        help="folder with the DCAT-AP 3.0 and DCAT-AP.de SHACL shapes "
        "(default: ../shared/reference/dcat-ap-de/ beside the project root)",
    )
    add_setting_flags(check, CHECK_SETTINGS)
    check.set_defaults(run=run, setting_flags=CHECK_SETTINGS)


def run(args: argparse.Namespace, settings: Settings) -> int:
    shapes: Path | None = args.dcat_shapes
    if shapes is not None and not shapes.is_dir():
        raise UsageError(f"--dcat-shapes {shapes}: no such folder")
    report = run_checks(settings, serve=args.serve, dcat_shapes=shapes)
    sys.stdout.write(render_check(report, fmt=args.format))
    return report.exit_code
