"""`kompass-graph diff OLD NEW`: what changed between two releases, as RDF Patch.

The patch goes to stdout, a summary (statements added and removed per graph) to
stderr; exit 0 whether or not anything changed, 2 for a folder that is no release.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kompass_graph.settings import Settings

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="print the RDF Patch from one release to another",
        description="Compare the statements of two release folders (their kompass-graph.nq) "
        "and print the changes as RDF Patch: D lines for removed, A lines for added "
        "statements. A summary goes to stderr.",
    )
    diff.add_argument("old", type=Path, metavar="OLD", help="the earlier release folder")
    diff.add_argument("new", type=Path, metavar="NEW", help="the later release folder")
    diff.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from kompass_graph.publish.diff import diff_releases

    patch = diff_releases(args.old, args.new)
    sys.stdout.flush()
    sys.stdout.buffer.write(patch.document())
    sys.stdout.flush()
    sys.stderr.write(patch.summary_text())
    return 0
