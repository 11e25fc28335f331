"""`kompass-graph serve`: load the files, check our data, serve them over HTTP.

`run(settings)` is what the CLI calls; `python -m kompass_graph.web.server` does the
same with settings from the environment (KOMPASS_*), which the server tests use.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import uvicorn

from kompass_graph.errors import DataNotConformingError, KompassError, UsageError
from kompass_graph.namespaces import DEFAULT_BASE_IRI
from kompass_graph.report import render_text
from kompass_graph.settings import Settings
from kompass_graph.sources import ProjectFiles, find_project_files
from kompass_graph.store import EmbeddedStore, GraphStore, LoadReport
from kompass_graph.store.rebase import Rebase
from kompass_graph.validate import validate_project

__all__ = ["build_load_plan", "build_store", "load_store", "main", "run"]

logger = logging.getLogger("kompass_graph.server")


def build_load_plan(settings: Settings, project_files: ProjectFiles | None) -> list[Path]:
    """Which files the server loads, in order: our ontology and data plus `settings.data`,
    or only `settings.only_data`."""
    if settings.only_data:
        files = list(settings.only_data)
    else:
        if project_files is None:
            raise UsageError("no project files given and no --only-data files to serve")
        files = [*project_files.graph_files, *settings.data]
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise UsageError(f"cannot read {', '.join(missing)}", hint="check the file names")
    if not files:
        raise UsageError("there are no RDF files to serve", hint="a server with no data fails")
    return files


def build_store(settings: Settings) -> EmbeddedStore:
    """An empty embedded store configured from `settings` (in memory unless --store)."""
    return EmbeddedStore(
        rebase=Rebase(DEFAULT_BASE_IRI, settings.base_iri),
        path=settings.store,
        service_allow_list=settings.service_allow_list,
        max_nesting=settings.max_query_nesting,
        warm_workers=settings.query_workers,
        max_workers=max(settings.max_concurrent_queries, settings.query_workers),
        max_queued=settings.max_queued_queries,
    )


def _check_our_data(project: ProjectFiles) -> None:
    """Refuse to serve our own data when it violates the shapes (with the report)."""
    started = time.perf_counter()
    report = validate_project(project)
    if not report.conforms:
        raise DataNotConformingError(
            "our data does not conform to the shapes; not serving it:\n" + render_text(report),
            hint="run `kompass-graph validate` and fix the violations",
        )
    logger.info("data conforms to the shapes (checked in %.1f s)", time.perf_counter() - started)


def _log_progress(path: Path, done: int, total: int) -> None:
    logger.info("loading %s: %d of %d MiB", path.name, done >> 20, total >> 20)


def load_store(store: GraphStore, settings: Settings) -> LoadReport:
    """Validate our data (unless --only-data) and load the plan into `store`."""
    project = None if settings.only_data else find_project_files(settings.project_root)
    files = build_load_plan(settings, project)
    if project is not None:
        _check_our_data(project)
    report = store.load(files, progress=_log_progress)
    if report.reused:
        logger.info(
            "reusing the store at %s: %d triples, not reloaded", settings.store, report.triples
        )
    else:
        logger.info(
            "loaded %d triples from %d files in %.2f s", report.triples, len(files), report.seconds
        )
    return report


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        force=True,  # the CLI set a quieter default before the settings were known
    )


def run(settings: Settings) -> None:
    """Load, check and serve until interrupted. Raises KompassError before serving."""
    from kompass_graph.web.app import create_app

    _configure_logging(settings.log_level)
    store = build_store(settings)
    load_store(store, settings)
    app = create_app(settings, store=store)
    logger.info("serving SPARQL at http://%s:%d/sparql", settings.host, settings.port)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,  # ours is structured and counts result bytes
        log_level=settings.log_level.lower(),
    )


def main() -> int:
    """`python -m kompass_graph.web.server`: settings from KOMPASS_* variables."""
    try:
        run(Settings())
    except KompassError as error:
        print(f"kompass-graph serve: {error}", file=sys.stderr)
        return error.exit_code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
