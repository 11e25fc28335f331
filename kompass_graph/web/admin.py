"""Reloading the served release without stopping: `POST /admin/reload` and SIGHUP.

A maintainer replaces the data files and asks for a reload; the server reads the files
its settings select again (the same paths), checks them as at start-up, builds the new
store beside the old one and switches (the store's `reload`; queries in flight finish on
the old release). Then what the app derived from the data follows: the OpenAPI
document's examples are built again on their next request, and the release the
downloads, VoID and linkset report come from is built again (or, with
`release_folder`, opened again). The stored queries and shapes are not re-read: they
are the server's code, not its data (a restart takes them up).

The endpoint is off unless the `admin_token` setting is set (404, as if absent); then
it needs `Authorization: Bearer <token>` (401 without one, 403 with another), compared
in constant time. The token is never logged.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse

from kompass_graph.errors import (
    AccessDeniedError,
    KompassError,
    NotAuthenticatedError,
    ReloadRefusedError,
    SourceNotFoundError,
)
from kompass_graph.store.factory import load_served_files
from kompass_graph.store.interface import GraphStore, LoadReport
from kompass_graph.store.serving import ReloadableStore
from kompass_graph.web.published import PublishedRelease, publishing
from kompass_graph.web.state import AppState

__all__ = [
    "RELOAD_PATH",
    "Reloaded",
    "reload_endpoint",
    "reload_release",
    "router",
    "schedule_reload",
]

logger = logging.getLogger("kompass_graph.server")

RELOAD_PATH = "/admin/reload"

router = APIRouter()

#: reloads SIGHUP started, kept so the event loop does not drop them half-way
_scheduled: set[asyncio.Task[None]] = set()


@dataclass(frozen=True)
class Reloaded:
    """A switch that happened: the release served before and the one served now."""

    previous: str
    current: str
    triples: int
    seconds: float


async def reload_release(app: Any) -> Reloaded:
    """Load the served files again and switch the app to them (see the module
    docstring). Raises ReloadRefusedError (the old release keeps serving) or
    OverloadedError (a reload is already running)."""
    state: AppState = app.state.kompass
    store = state.store
    if not isinstance(store, ReloadableStore) or not store.can_reload:
        raise ReloadRefusedError(
            "this server's store cannot switch to new files while it serves",
            hint="restart the server to serve the new files",
        )
    previous = state.release
    settings = state.settings

    def load(fresh: GraphStore) -> LoadReport:
        return load_served_files(fresh, settings)

    report = await store.reload(load)
    state.api_document = None  # its examples are answers from the data
    await _republish(app, state)
    logger.info("reloaded: now serving release %s (was %s)", state.release, previous)
    return Reloaded(previous, state.release, report.triples, report.seconds)


async def _republish(app: Any, state: AppState) -> None:
    """The downloads, VoID and linkset report of the release now served; the previous
    one's scratch folder is deleted once the new one is in place."""
    releases = AsyncExitStack()

    def built(published: PublishedRelease) -> None:
        if app.state.releases is releases:  # not replaced by a later reload meanwhile
            app.state.published = published

    try:
        published = await releases.enter_async_context(
            publishing(
                state.settings,
                served=state.release,
                triples=state.store.load_report.triples if state.store.load_report else 0,
                on_built=built,
            )
        )
    except BaseException:
        await releases.aclose()
        raise
    previous: AsyncExitStack | None = getattr(app.state, "releases", None)
    app.state.published, app.state.releases = published, releases
    if previous is not None:
        await previous.aclose()


def schedule_reload(app: Any) -> None:
    """Start a reload from a signal handler (SIGHUP): its outcome goes to the log."""
    task = asyncio.get_running_loop().create_task(_logged_reload(app))
    _scheduled.add(task)
    task.add_done_callback(_scheduled.discard)


async def _logged_reload(app: Any) -> None:
    logger.info("SIGHUP: reloading the served files")
    try:
        await reload_release(app)
    except KompassError as error:
        logger.error("reload failed, still serving the previous release: %s", error)
    except Exception:  # the outermost boundary of a signal's task: never lose it silently
        logger.exception("reload failed, still serving the previous release")


def _authorise(request: Request, state: AppState) -> None:
    token = state.settings.admin_token
    if token is None:  # off: the endpoint does not exist
        raise SourceNotFoundError(f"no resource at {request.url.path}")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise NotAuthenticatedError(
            "this endpoint needs the admin token",
            hint="send `Authorization: Bearer <admin_token>`",
        )
    # constant time: the comparison must not tell how much of a guess was right
    if not hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode()):
        raise AccessDeniedError("the token does not open this endpoint")


@router.post(RELOAD_PATH, include_in_schema=False)
async def reload_endpoint(request: Request) -> JSONResponse:
    """Reload the served files (see the module docstring): 200 with both releases."""
    state: AppState = request.app.state.kompass
    _authorise(request, state)
    done = await reload_release(request.app)
    return JSONResponse(
        {
            "status": "reloaded",
            "previous_release": done.previous,
            "release": done.current,
            "triples": done.triples,
            "seconds": round(done.seconds, 3),
        }
    )
