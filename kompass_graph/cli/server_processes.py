"""`kompass-graph serve --workers N`: several HTTP server processes over one store.

The parent checks the files and loads them once into an on-disk store (the `store`
folder, or a temporary one deleted on exit), builds the release the downloads come from
once (unless `release_folder` names one), then uvicorn's supervisor starts N
processes that share the listening socket. Each opens that store without writing it
(`EmbeddedStore.open_loaded`) and its query workers open it read-only, so the triples
sit once in the page cache instead of once per process in memory. uvicorn spawns the
processes, so they build their app with `worker_app`, a factory by import string, from
the settings the parent puts into their environment.

SIGHUP goes to uvicorn's supervisor, which replaces the processes one by one (each new
one serving before an old one stops). They open the same store: a restart with the
same files keeps serving, but changed files are not taken up; a new process refuses
to start on a store that no longer holds the files the settings select (logged), the
supervisor keeps the old processes, and the server must be restarted to serve them.
With a remote store (`store_url`) nothing is loaded here and every process is
stateless.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from kompass_graph.errors import KompassError
from kompass_graph.settings import Settings

__all__ = ["WORKER_APP", "serve_processes", "worker_app"]

logger = logging.getLogger("kompass_graph.server")

#: the factory uvicorn imports in each server process
WORKER_APP = "kompass_graph.cli.server_processes:worker_app"
#: the bounded HTTP protocol, by import string: a class made from the settings cannot
#: be pickled into a spawned process, so each process makes its own (`__getattr__`)
_PROTOCOL = "kompass_graph.cli.server_processes:HTTP_PROTOCOL"
#: seconds a new process may take to be ready (store opened, release built)
_READY_TIMEOUT = 120
#: uvicorn's exit status for a process that could not start (uvicorn.config)
_STARTUP_FAILURE = 3


def serve_processes(settings: Settings, options: dict[str, Any]) -> None:
    """Check and load once, then run `settings.workers` server processes until stopped
    (SIGTERM or SIGINT stops them all)."""
    import uvicorn

    from kompass_graph.publish.build import build_release
    from kompass_graph.store.factory import build_store, load_served_files

    scratch = Path(tempfile.mkdtemp(prefix="kompass-serve-"))
    shared = settings
    try:
        if settings.store_url is None:
            shared = settings.model_copy(update={"store": settings.store or scratch / "store"})
            load_served_files(build_store(shared), shared)
        if shared.release_folder is None:  # built once here, not once per process
            build_release(shared, scratch / "release", checked=True)
            shared = shared.model_copy(update={"release_folder": scratch / "release"})
        if settings.store_url is None:
            logger.info(
                "%d server processes will open the store at %s read-only; SIGHUP restarts "
                "them on it, changed files need a restart of the server",
                settings.workers,
                shared.store,
            )
        # the only way into processes uvicorn spawns; the token and password stay in
        # this process tree's environment, never in a log or a command line
        os.environ.update(shared.environment())
        uvicorn.run(
            WORKER_APP,
            factory=True,
            workers=settings.workers,
            http=_PROTOCOL,
            timeout_worker_healthcheck=_READY_TIMEOUT,
            **options,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def worker_app() -> Any:
    """The app of one server process: the settings from the environment the parent
    set, the store the parent loaded (opened, never written)."""
    from kompass_graph.logs import configure_logging
    from kompass_graph.store.embedded import EmbeddedStore
    from kompass_graph.store.factory import build_store, served_files
    from kompass_graph.web.app import create_app

    settings = Settings()
    configure_logging(settings.log_level)
    store = build_store(settings)
    if isinstance(store, EmbeddedStore):
        try:
            store.open_loaded(served_files(settings))
        except KompassError as error:
            logger.error("server process %d not started: %s", os.getpid(), error)
            # uvicorn's "failed to start": its supervisor keeps the running processes
            # (a restart) or stops (no process can start), instead of retrying forever
            sys.exit(_STARTUP_FAILURE)
    return create_app(settings, store=store)


def __getattr__(name: str) -> Any:
    if name == "HTTP_PROTOCOL":
        from kompass_graph.web.connections import bounded_protocol

        return bounded_protocol(Settings())
    raise AttributeError(name)
