"""The release the server publishes: its downloads, VoID and linkset report.

With the setting `release_folder` the server serves that built release
(`kompass_graph.publish.build.open_release`); a release of other data than the
served data is still served, with a warning in the log and on /download/ (the
operator chose that folder; refusing would take the downloads away, not make them
right). Without it, the server builds the release of the data it serves
(`build_release`) into a temporary folder that it deletes on shutdown: after
start-up, in a child process for data over `CHILD_BUILD_TRIPLES` (`publish/child.py`;
a thread for less), so the server answers queries at once and keeps neither the
build's CPU nor its memory (the build took 0.5 s for the project's data and minutes
at 1M triples, measured in bench/README.md); until it
is done the routes that need the release answer 503 saying so. Over a remote store the
server holds no files of the data it serves, so it builds nothing: give it the folder
`kompass-graph build` (or `publish`) wrote.

A build that fails (the data may be served unchecked, `--no-validate-data`, and the
build validates) does not stop the server: the routes that need the release answer
503 with the reason, and the log says it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path

from starlette.requests import Request

from kompass_graph.errors import KompassError, StoreNotReadyError
from kompass_graph.publish.build import Release, build_release, open_release
from kompass_graph.publish.child import ChildBuild
from kompass_graph.publish.release_files import ReleaseFile, ReleaseFiles, release_files
from kompass_graph.settings import Settings

__all__ = ["BUILDING", "PublishedRelease", "published_release", "publishing"]

#: why there is no release yet while the server builds it
BUILDING = "the release of the served data is being built; try again shortly"
_REMOTE = (
    "this server answers from a remote store and holds none of its files: start it "
    "with release_folder (--release-folder DIR), a folder `kompass-graph build` wrote"
)

#: above this many triples the release is built in a child process (publish/child.py),
#: below in a thread: a child's start (a fresh interpreter importing rdflib and pySHACL,
#: about 2 s of CPU) costs more than such a build (0.3 s for the project's data), while
#: a large build in a thread holds the GIL for minutes (370 s at 1M)
CHILD_BUILD_TRIPLES = 20_000

logger = logging.getLogger("kompass_graph.server")


@dataclass(frozen=True)
class PublishedRelease:
    """What the release routes serve; `release` is None when there is none (`reason`)."""

    release: Release | None
    files: ReleaseFiles
    #: the identifier of the data the server answers from (`AppState.release`)
    served: str
    #: why there is no release (the build's error), or None
    reason: str | None = None

    @property
    def identifier(self) -> str | None:
        return self.release.facts.identifier if self.release else None

    @property
    def mismatch(self) -> str | None:
        """The warning when the release is not of the served data, else None."""
        if self.release is None or self.identifier == self.served:
            return None
        return (
            f"the release {self.identifier} in {self.release.folder} is not of the data "
            f"this server answers from ({self.served})"
        )

    @property
    def last_modified(self) -> str | None:
        """`Last-Modified` of every file: the release's `modified` date at 00:00 GMT
        (from the data, so the same release always says the same; not the file mtime)."""
        if self.release is None:
            return None
        try:
            day = date.fromisoformat(self.release.facts.modified[:10])
        except ValueError:
            return None
        return format_datetime(datetime(day.year, day.month, day.day, tzinfo=UTC), usegmt=True)

    def file(self, name: str) -> ReleaseFile | None:
        """The release's file called `name` (a name release.json lists), or None."""
        return self.files.files.get(name)

    def require(self) -> Release:
        """The release, or StoreNotReadyError saying why there is none."""
        if self.release is None:
            raise StoreNotReadyError(f"no release to serve: {self.reason}")
        return self.release


def published_release(request: Request) -> PublishedRelease:
    """The release the app publishes; StoreNotReadyError before start-up has made it."""
    published: PublishedRelease | None = getattr(request.app.state, "published", None)
    if published is None:
        raise StoreNotReadyError("the release is not ready yet")
    return published


def _opened(folder: Path, served: str) -> PublishedRelease:
    release = open_release(folder)
    published = PublishedRelease(release, release_files(release), served)
    if published.mismatch:
        logger.warning("%s; serving it as it is", published.mismatch)
    for problem in published.files.problems:
        logger.warning("not serving a file of the release: %s", problem)
    return published


def _built(
    settings: Settings, child: ChildBuild | None, out: Path, served: str
) -> PublishedRelease:
    started = time.perf_counter()
    # The served files were checked when the store loaded them (validate_data), so the
    # build does not check them again (2.7 s for the project's data; the build itself
    # takes 0.3 s); without validate_data the served data is unchecked and so is its
    # release. The build loads its own store, never the server's.
    if child is not None:
        child.run()
    else:
        build_release(settings, out, checked=True)
    logger.info("built the release in %s (%.1f s)", out, time.perf_counter() - started)
    return _opened(out, served)


@asynccontextmanager
async def publishing(
    settings: Settings,
    *,
    served: str,
    triples: int = 0,
    on_built: Callable[[PublishedRelease], None] | None = None,
) -> AsyncIterator[PublishedRelease]:
    """The release to publish while the app runs (see the module docstring); `served`
    names the data the server answers from, `triples` its size (which decides where the
    build runs: `CHILD_BUILD_TRIPLES`). When the server builds the release, what
    is yielded says `BUILDING`, and `on_built` is called on the event loop with the
    built release (or the reason there is none) once the build is done."""
    if settings.release_folder is not None:
        yield await asyncio.to_thread(_opened, settings.release_folder, served)
        return
    if settings.store_url is not None:
        yield _none(served, _REMOTE)
        return
    scratch = Path(tempfile.mkdtemp(prefix="kompass-release-"))
    loop = asyncio.get_running_loop()
    out = scratch / "release"
    child = ChildBuild(settings, out) if triples > CHILD_BUILD_TRIPLES else None
    stopping = threading.Event()  # the server stops: the build's folder goes away

    def build() -> None:
        published: PublishedRelease
        try:
            published = _built(settings, child, out, served)
        except Exception as error:  # the thread's outermost boundary: the server serves on
            if stopping.is_set():  # expected: the child was ended or its folder deleted
                logger.info("the server stopped before the release was built")
                return
            if isinstance(error, KompassError):
                logger.error("could not build the release of the served data: %s", error)
                published = _none(served, str(error))
            else:
                logger.exception("the release of the served data failed to build")
                published = _none(served, "the release failed to build; the error was logged")
        if on_built is not None:
            # the server may have stopped while the release was built
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(on_built, published)

    # a daemon thread that waits for the child: a server stopping mid-build stops the
    # child (below) and does not wait for either
    threading.Thread(target=build, name="kompass-release-build", daemon=True).start()
    try:
        yield _none(served, BUILDING)
    finally:
        stopping.set()
        if child is not None:
            child.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def _none(served: str, reason: str) -> PublishedRelease:
    return PublishedRelease(None, ReleaseFiles({}, ()), served, reason)
