"""The store a server runs on, built and loaded from the settings.

The app factory (`kompass_graph.web.app`) and `kompass-graph serve` both get their
store here, so the web layer never reads a data file itself. Every file to be served
is checked first (parse, declared terms, SHACL, consistency; and for our own data, with
its --data additions, the named-graph provenance rules), unless the operator
turns that off (`validate_data`): a server never serves data it has not checked.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from kompass_graph.errors import DataNotConformingError
from kompass_graph.namespaces import DEFAULT_BASE_IRI, prefix_map
from kompass_graph.report import render_text
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files, load_plan
from kompass_graph.store.embedded import EmbeddedStore
from kompass_graph.store.interface import GraphStore, LoadReport
from kompass_graph.store.rebase import Rebase
from kompass_graph.store.remote import RemoteStore
from kompass_graph.validate import validate_paths

__all__ = ["build_store", "embedded_store", "load_served_files", "served_files"]

logger = logging.getLogger("kompass_graph.server")


def build_store(settings: Settings) -> EmbeddedStore | RemoteStore:
    """The remote store at `store_url` when it is set; else an empty embedded store
    configured from `settings` (in memory unless `store`)."""
    if settings.store_url:
        return RemoteStore(
            settings.store_url,
            base_iri=settings.base_iri,
            user=settings.store_user,
            password=settings.store_password,
            connect_timeout=settings.store_connect_timeout,
            retries=settings.store_retries,
            max_connections=settings.max_concurrent_queries + settings.max_queued_queries,
            service_allow_list=settings.service_allow_list,
            max_nesting=settings.max_query_nesting,
            prefixes=tuple(prefix_map(settings.base_iri).items()),
        )
    return embedded_store(settings)


def embedded_store(settings: Settings) -> EmbeddedStore:
    """An empty embedded store configured from `settings` (in memory unless `store`),
    whatever `store_url` says: what builds and checks load the files into."""
    return EmbeddedStore(
        rebase=Rebase(DEFAULT_BASE_IRI, settings.base_iri),
        path=settings.store,
        service_allow_list=settings.service_allow_list,
        max_nesting=settings.max_query_nesting,
        warm_workers=settings.query_workers,
        max_workers=max(settings.max_concurrent_queries, settings.query_workers),
        max_queued=settings.max_queued_queries,
        memory_budget=settings.query_memory_limit << 20,
        short_budget=settings.short_query_seconds or None,
        recycle_growth=settings.worker_recycle_mib << 20,
        prefixes=prefix_map(settings.base_iri),
        entailment_base=settings.base_iri if settings.entail_standard_types else None,
        query_threads=settings.query_threads,
        thread_budget=settings.thread_query_seconds,
        answer_cache_bytes=settings.answer_cache_mib << 20,
    )


def served_files(settings: Settings) -> list[Path]:
    """The files a server with `settings` loads, in order."""
    project = None if settings.only_data else find_project_files(settings.project_root)
    return load_plan(project, data=settings.data, only_data=settings.only_data)


def _check(settings: Settings) -> None:
    """Refuse to serve data that violates the shapes (with the report)."""
    started = time.perf_counter()
    project = find_project_files(settings.project_root)
    checked = list(settings.only_data) or [*project.data, *settings.data]
    # someone else's RDF (--only-data) need not follow our named-graph provenance layout
    report = validate_paths(checked, project=project, check_provenance=not settings.only_data)
    if not report.conforms:
        raise DataNotConformingError(
            "the data does not conform to the shapes; not serving it:\n" + render_text(report),
            hint="run `kompass-graph validate` on the files and fix the violations, or "
            "serve them unchecked with --no-validate-data",
        )
    logger.info(
        "%d file(s) conform to the shapes (checked in %.1f s)",
        len(checked),
        time.perf_counter() - started,
    )


def _log_progress(path: Path, done: int, total: int) -> None:
    logger.info("loading %s: %d of %d MiB", path.name, done >> 20, total >> 20)


def load_served_files(
    store: GraphStore, settings: Settings, *, checked: bool = False
) -> LoadReport:
    """Check the files to serve (unless `validate_data` is off, or the caller has just
    `checked` these very files, as the server has when it builds its release) and load
    them. A remote store is not loaded: the server serves what it holds (`publish`
    loads it)."""
    if isinstance(store, RemoteStore):
        logger.info("serving the remote store at %s; no files loaded", store.name)
        return store.load_report
    files = served_files(settings)
    if checked:
        pass
    elif settings.validate_data:
        _check(settings)
    else:
        logger.warning("serving %d file(s) without checking them (--no-validate-data)", len(files))
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
