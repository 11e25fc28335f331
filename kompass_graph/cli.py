"""The `kompass-graph` command: thin subcommands over the package's modules.

Exit codes (a contract, documented in README.md and tested):
    0  success; the data conforms
    1  the data does not conform to the shapes (violations; warnings too with --strict)
    2  usage, parse or runtime error (the message names file, line or resource)

Results go to stdout, diagnostics to stderr. Every KompassError becomes a one-line
message here, in one place; nothing else prints a stack trace.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kompass_graph import __version__
from kompass_graph.errors import KompassError
from kompass_graph.settings import Settings

__all__ = ["build_parser", "main"]

log = logging.getLogger("kompass_graph")

EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_ERROR = 2


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
    _add_validate(commands)
    _add_query(commands)
    _add_serve(commands)
    return parser


def _add_validate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from kompass_graph.report import REPORT_FORMATS

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
    validate.set_defaults(run=_run_validate)


def _add_query(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from kompass_graph.results import QUERY_OUTPUT_FORMATS

    query = commands.add_parser(
        "query",
        help="run a stored query, a .rq file or a query from stdin over ontology + data",
        description="Run SPARQL over the project's ontology and data.",
    )
    query.add_argument(
        "query",
        nargs="?",
        metavar="NAME|FILE|-",
        help="stored query name, .rq file, or - for stdin",
    )
    query.add_argument("--list", action="store_true", help="list the stored queries and exit")
    query.add_argument(
        "--format", choices=sorted(QUERY_OUTPUT_FORMATS), default="table", help="output format"
    )
    query.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a query variable: an IRI <…>, a prefixed name or a literal",
    )
    query.add_argument(
        "--data", action="append", type=Path, default=[], metavar="FILE", help="extra RDF file"
    )
    query.set_defaults(run=_run_query)


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the graph: SPARQL 1.1 endpoint and query UI",
        description="Start the SPARQL endpoint on the embedded store.",
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument(
        "--data", nargs="+", type=Path, default=None, metavar="FILE", help="extra RDF files"
    )
    serve.add_argument(
        "--only-data",
        nargs="+",
        type=Path,
        default=None,
        metavar="FILE",
        help="serve only these RDF files, none of the project's",
    )
    serve.add_argument(
        "--store", type=Path, help="keep the embedded store on disk here (reused on restart)"
    )
    serve.add_argument(
        "--union-default-graph",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the default graph is the union of all graphs (default: on; our data is "
        "one named graph per source)",
    )
    serve.add_argument("--query-timeout", type=float, help="seconds before a query is stopped")
    serve.add_argument("--max-result-rows", type=int, help="most rows returned per query")
    serve.add_argument("--max-concurrent-queries", type=int, help="queries run at once")
    serve.add_argument(
        "--max-queued-queries", type=int, help="queries that may wait for a worker (then 503)"
    )
    serve.add_argument("--log-level", help="debug, info, warning or error")
    serve.set_defaults(run=_run_serve)


def _settings_from(args: argparse.Namespace, names: Sequence[str]) -> Settings:
    """Settings from the environment, overridden by the flags the user gave."""
    overrides = {
        name: getattr(args, name) for name in names if getattr(args, name, None) is not None
    }
    if args.project_root is not None:
        overrides["project_root"] = args.project_root
    return Settings(**overrides)


def _run_validate(args: argparse.Namespace) -> int:
    from kompass_graph.report import render
    from kompass_graph.sources import find_project_files
    from kompass_graph.validate import validate_paths

    settings = _settings_from(args, [])
    project = find_project_files(settings.project_root)
    paths = args.paths or project.data
    report = validate_paths(paths, project=project)
    sys.stdout.write(render(report, fmt=args.format, language=args.lang))
    return EXIT_OK if report.passes(strict=args.strict) else EXIT_NOT_CONFORMING


def _run_query(args: argparse.Namespace) -> int:
    from kompass_graph.query_command import list_queries, run_query

    settings = _settings_from(args, [])
    if args.list:
        sys.stdout.write(list_queries(settings))
        return EXIT_OK
    if not args.query:
        raise KompassError("name a stored query, a .rq file or '-'", hint="or use --list")
    sys.stdout.write(
        run_query(
            settings,
            args.query,
            params=args.param,
            extra_data=args.data,
            fmt=args.format,
            stdin=sys.stdin,
        )
    )
    return EXIT_OK


def _run_serve(args: argparse.Namespace) -> int:
    from kompass_graph.web.server import run

    settings = _settings_from(
        args,
        [
            "host",
            "port",
            "store",
            "union_default_graph",
            "query_timeout",
            "max_result_rows",
            "max_concurrent_queries",
            "max_queued_queries",
            "log_level",
        ],
    )
    if args.data is not None:
        settings = settings.model_copy(update={"data": args.data})
    if args.only_data is not None:
        settings = settings.model_copy(update={"only_data": args.only_data})
    run(settings)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except KompassError as error:
        print(f"kompass-graph: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("kompass-graph: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
