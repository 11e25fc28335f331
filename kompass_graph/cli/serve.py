"""`kompass-graph serve`: the SPARQL endpoint and query page over the embedded store.

Every setting except `project_root` (a flag of the command itself) is a flag here,
derived from its field in `Settings`: declared once, with its help and default.

SIGHUP reloads the served files without stopping (`kompass_graph.web.admin`); with
`--workers N` the processes are run by `kompass_graph.cli.server_processes`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kompass_graph.logs import configure_logging
from kompass_graph.settings import Settings

__all__ = [
    "SERVE_SETTINGS",
    "add_parser",
    "add_project_root_flag",
    "add_setting_flags",
    "run",
    "serve",
]

logger = logging.getLogger("kompass_graph.server")

#: the settings `serve` takes as flags (project_root is the command's own flag)
SERVE_SETTINGS: tuple[str, ...] = tuple(n for n in Settings.model_fields if n != "project_root")


_METAVARS = {"STR": "VALUE", "INT": "N", "FLOAT": "N", "SECRETSTR": "SECRET"}


def _flag_options(name: str) -> dict[str, Any]:
    """argparse options for one settings field, from its type, default and description."""
    field = Settings.model_fields[name]
    annotation = field.annotation
    default = field.get_default(call_default_factory=True)
    shown = (
        "none"
        if default in (None, [])
        else ", ".join(map(str, default))
        if isinstance(default, list)
        else str(default).lower()
        if isinstance(default, bool)
        else str(default)
    )
    options: dict[str, Any] = {
        "default": None,
        "dest": name,
        "help": f"{field.description} (default: {shown}; env KOMPASS_{name.upper()})",
    }
    args = typing.get_args(annotation)
    if annotation is bool:
        options["action"] = argparse.BooleanOptionalAction
    elif typing.get_origin(annotation) is list:
        options.update(nargs="+", type=args[0], metavar=args[0].__name__.upper())
    elif isinstance(annotation, types.UnionType):  # `X | None`: an optional value
        (inner,) = (a for a in args if a is not type(None))
        options.update(type=inner, metavar=inner.__name__.upper())
    else:
        assert isinstance(annotation, type), f"no flag type for the setting {name}"
        options.update(type=annotation, metavar=annotation.__name__.upper())
    if "metavar" in options:
        options["metavar"] = _METAVARS.get(options["metavar"], options["metavar"])
    return options


def add_project_root_flag(parser: argparse.ArgumentParser) -> None:
    """`--project-root` after the command too; left out (SUPPRESS), the top-level
    `kompass-graph --project-root` stays in force."""
    parser.add_argument(
        "--project-root",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help=Settings.model_fields["project_root"].description,
    )


def add_setting_flags(parser: argparse.ArgumentParser, names: Sequence[str]) -> None:
    """A flag for each settings field of `names` (other commands take some of serve's)."""
    for name in names:
        parser.add_argument("--" + name.replace("_", "-"), **_flag_options(name))


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the graph: SPARQL 1.1 endpoint and query UI",
        description="Start the SPARQL endpoint on the embedded store. Every flag is a "
        "setting; the environment (KOMPASS_*) gives the rest.",
    )
    add_setting_flags(serve, SERVE_SETTINGS)
    serve.set_defaults(run=run, setting_flags=SERVE_SETTINGS)


def run(args: argparse.Namespace, settings: Settings) -> int:
    serve(settings)
    return 0


def serve(settings: Settings) -> None:
    """Check, load and serve until interrupted. Raises KompassError before serving."""
    import uvicorn

    from kompass_graph.store.factory import build_store, load_served_files
    from kompass_graph.web.app import create_app
    from kompass_graph.web.connections import bounded_protocol

    configure_logging(settings.log_level)
    if settings.workers > 1:
        from kompass_graph.cli.server_processes import serve_processes

        serve_processes(settings, _server_options(settings))
        return
    store = build_store(settings)
    load_served_files(store, settings)
    app = create_app(settings, store=store)
    root = f"http://{settings.host}:{settings.port}"
    logger.info(
        "serving the landing page at %s/, SPARQL at %s/sparql, the API docs at %s/docs",
        root,
        root,
        root,
    )
    config = uvicorn.Config(app, http=bounded_protocol(settings), **_server_options(settings))
    _run_reloading_on_sighup(uvicorn.Server(config), app)


def _server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options from the settings, for one process or several."""
    return {
        "host": settings.host,
        "port": settings.port,
        "log_config": None,
        "access_log": False,  # ours is structured and counts result bytes
        "log_level": settings.log_level.lower(),
        "timeout_keep_alive": settings.idle_timeout,
        "limit_concurrency": settings.max_connections,
        "timeout_graceful_shutdown": settings.shutdown_grace,
    }


def _run_reloading_on_sighup(server: Any, app: Any) -> None:
    """uvicorn's `Server.run`, with SIGHUP scheduling a reload on the server's loop
    (uvicorn itself handles only SIGINT and SIGTERM in a single process)."""
    from kompass_graph.web.admin import schedule_reload

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, schedule_reload, app)
        try:
            await server.serve()
        finally:
            loop.remove_signal_handler(signal.SIGHUP)

    with asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner:
        runner.run(main())
