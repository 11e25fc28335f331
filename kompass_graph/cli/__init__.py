"""The `kompass-graph` command: thin subcommands over the package's modules.

Exit codes (a contract, documented in README.md and tested):
    0  success; the data conforms
    1  the data does not conform to the shapes (violations; warnings too with --strict)
    2  usage, parse or runtime error (the message names file, line or resource)

Results go to stdout, diagnostics to stderr. Every KompassError becomes a one-line
message here, in one place; nothing else prints a stack trace. Each subcommand lives
in its own module (`validate`, `query`, `serve`) with `add_parser` and `run`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kompass_graph import __version__
from kompass_graph.cli import build, diff, publish, query, serve, validate
from kompass_graph.cli import check as check_command
from kompass_graph.errors import KompassError
from kompass_graph.settings import Settings

__all__ = ["EXIT_ERROR", "EXIT_NOT_CONFORMING", "EXIT_OK", "build_parser", "main"]

EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_ERROR = 2

Command = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kompass-graph",
        description="Publish the Hessian Integrationskompass as a linked-open-data graph.",
        epilog="Exit codes: 0 ok, 1 data does not conform, 2 usage, parse or runtime error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--project-root",
        type=Path,
        help="folder with ontology/, data/, shapes/, sparql/ (default: the packaged files)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate.add_parser(commands)
    query.add_parser(commands)
    serve.add_parser(commands)
    build.add_parser(commands)
    diff.add_parser(commands)
    check_command.add_parser(commands)
    publish.add_parser(commands)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by the flags the user gave."""
    names: Sequence[str] = getattr(args, "setting_flags", ())
    overrides = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    if args.project_root is not None:
        overrides["project_root"] = args.project_root
    return Settings(**overrides)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    run: Command = args.run
    try:
        return run(args, _settings(args))
    except KompassError as error:
        print(f"kompass-graph: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("kompass-graph: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
