"""`kompass-graph build --out DIR`: write the release of the data serve would serve.

The data is selected by the flags `serve` takes for it (derived from the same
`Settings` fields): --data, --only-data, --no-validate-data, --base-iri,
--no-entail-standard-types, and --project-root. On violations nothing is written and
the command exits 1 with the report (`DataNotConformingError`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kompass_graph.cli.serve import add_project_root_flag, add_setting_flags
from kompass_graph.settings import Settings

__all__ = ["BUILD_SETTINGS", "add_parser", "run"]

#: the settings that choose what a release holds, as serve's flags
BUILD_SETTINGS: tuple[str, ...] = (
    "data",
    "only_data",
    "validate_data",
    "base_iri",
    "entail_standard_types",
)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = commands.add_parser(
        "build",
        help="write a release: dumps, ontology, shapes, metadata and checksums",
        description="Check the data as `serve` does, then write its release to a folder "
        "(deterministic: the same data gives byte-identical files). The folder is "
        "replaced only when the new release is complete.",
    )
    build.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="the release folder to write"
    )
    build.add_argument(
        "--previous",
        type=Path,
        metavar="DIR",
        help="a previous release: write changes.rdfp, the RDF Patch from it (may be --out)",
    )
    add_setting_flags(build, BUILD_SETTINGS)
    add_project_root_flag(build)
    build.set_defaults(run=run, setting_flags=BUILD_SETTINGS)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from kompass_graph.publish.build import build_release
    from kompass_graph.publish.diff import read_patch
    from kompass_graph.publish.layout import CHANGES

    release = build_release(settings, args.out, previous=args.previous)
    files = len(release.facts.distributions) + 2  # with release.json and SHA256SUMS
    print(f"wrote release {release.facts.identifier} to {release.folder} ({files} files)")
    if args.previous is not None:
        # from the patch written: --previous may name --out, which now is the new release
        patch = read_patch((release.folder / CHANGES).read_bytes())
        sys.stderr.write(patch.summary_text())
    return 0
