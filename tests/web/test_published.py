"""Which release the server publishes: a folder given, built in the background, or none."""

from __future__ import annotations

import asyncio

from kompass_graph.settings import Settings
from kompass_graph.web.published import BUILDING, PublishedRelease, publishing

from .conftest import PROTOCOL_DATA


def test_over_a_remote_store_nothing_is_built_and_the_reason_says_why() -> None:
    settings = Settings(only_data=[PROTOCOL_DATA], store_url="http://127.0.0.1:9/query")

    async def published() -> PublishedRelease:
        async with publishing(settings, served="0.1.0+remote") as release:
            return release

    release = asyncio.run(published())
    assert release.release is None
    assert "remote store" in (release.reason or "")
    assert "--release-folder" in (release.reason or "")


def test_the_release_is_built_after_start_up_and_handed_over() -> None:
    settings = Settings(only_data=[PROTOCOL_DATA])

    async def published() -> tuple[PublishedRelease, PublishedRelease]:
        done: asyncio.Future[PublishedRelease] = asyncio.get_running_loop().create_future()
        async with publishing(settings, served="x", on_built=done.set_result) as first:
            built = await asyncio.wait_for(done, timeout=60)
            assert built.release is not None and (built.release.folder / "release.json").is_file()
            return first, built

    first, built = asyncio.run(published())
    assert first.release is None and first.reason == BUILDING  # at once: not waiting for it
    assert built.release is not None and not built.release.folder.exists()  # deleted on exit
