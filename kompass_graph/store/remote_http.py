"""The HTTP side of a remote SPARQL store: one pooled client, deadlines, retries.

Every query sent is a read, harmless to repeat, so a request whose connection could
not be made or dropped before an answer came is tried again (`retries` times, after a
short pause, never past the deadline); nothing that writes goes through here. The
deadline is ours: the whole exchange is cancelled when it passes (`asyncio`
cancellation closes the connection, so the store sees the client leave), whatever the
store's own timeout says. Every failure becomes a `KompassError` whose message names
the store by scheme, host and port only: never its credentials or path parameters.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from kompass_graph.errors import StoreBadAnswerError, StoreTimeoutError, StoreUnavailableError

__all__ = ["StoreClient", "StoreReply", "public_name"]

#: how much of a store's error text is quoted back (it can be a whole HTML page)
_QUOTED = 500
_RETRY_PAUSE = 0.05
_FORM = "application/x-www-form-urlencoded"


def public_name(url: str) -> str:
    """`http://host:port` of `url`: what messages and logs may say about a store."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


@dataclass(frozen=True)
class StoreReply:
    """What the store sent: status, media type, body, and its `Server` header."""

    status: int
    content_type: str
    body: bytes
    server: str

    @property
    def text(self) -> str:
        """The start of the body as text, for error messages."""
        return self.body[:_QUOTED].decode("utf-8", "replace").strip()


class StoreClient:
    """A pooled httpx client for one store URL, with our failures as KompassErrors."""

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        connect_timeout: float = 2.0,
        retries: int = 2,
        max_connections: int = 16,
    ) -> None:
        self.url = url
        self.name = public_name(url)
        self._retries = retries
        self._connect_timeout = connect_timeout
        auth = httpx.BasicAuth(user, password or "") if user is not None else None
        self._client = httpx.AsyncClient(
            auth=auth,
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            # per-phase limits; the whole exchange is also bounded by the deadline
            timeout=httpx.Timeout(None, connect=connect_timeout),
            follow_redirects=False,
            trust_env=False,
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def post_form(
        self,
        form: Sequence[tuple[str, str]],
        *,
        params: Mapping[str, str] | None = None,
        accept: str,
        timeout: float,
    ) -> StoreReply:
        """POST `form` (urlencoded) to the store, within `timeout` seconds in all."""
        deadline = time.monotonic() + timeout
        attempt = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._timeout(timeout)
            try:
                async with asyncio.timeout(left):
                    response = await self._client.post(
                        self.url,
                        content=str(httpx.QueryParams(list(form))).encode(),
                        params=params,
                        headers={"Accept": accept, "Content-Type": _FORM},
                        timeout=httpx.Timeout(left, connect=min(left, self._connect_timeout)),
                    )
            except TimeoutError:
                raise self._timeout(timeout) from None
            except httpx.TimeoutException as error:
                if isinstance(error, httpx.ConnectTimeout):
                    if attempt < self._retries and deadline - time.monotonic() > _RETRY_PAUSE:
                        attempt += 1
                        await asyncio.sleep(_RETRY_PAUSE)
                        continue
                    raise self._down(type(error).__name__) from None
                raise self._timeout(timeout) from None
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as error:
                if attempt < self._retries and deadline - time.monotonic() > _RETRY_PAUSE:
                    attempt += 1  # a read is safe to repeat
                    await asyncio.sleep(_RETRY_PAUSE * attempt)
                    continue
                raise self._down(type(error).__name__) from None
            except httpx.HTTPError as error:
                raise StoreBadAnswerError(
                    f"the request to the store at {self.name} failed ({type(error).__name__})"
                ) from None
            return StoreReply(
                response.status_code,
                response.headers.get("content-type", ""),
                response.content,
                response.headers.get("server", ""),
            )

    def _timeout(self, timeout: float) -> StoreTimeoutError:
        return StoreTimeoutError(
            f"the store at {self.name} did not answer within {timeout:g} s; the request "
            "was cancelled",
            hint="simplify the query or add LIMIT; the server's query_timeout bounds it",
        )

    def _down(self, reason: str) -> StoreUnavailableError:
        return StoreUnavailableError(
            f"the store at {self.name} cannot be reached ({reason})",
            hint="the server keeps running and answers again as soon as the store does",
        )
