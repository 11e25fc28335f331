"""A do-nothing SPARQL endpoint: answers every GET with the same tiny JSON result.

The driver runs it as its own process and measures the HTTP client against it. Its
throughput is the most the client can drive on this machine; when a real system
reaches a large share of it, the client (not the system) may be the limit, and the
README says so. Listens on 127.0.0.1 only.

    python -m bench.trivial --port 7001
"""

from __future__ import annotations

import argparse
import asyncio

__all__ = ["main", "serve"]

_BODY = b'{"head":{"vars":[]},"boolean":true}'
_RESPONSE = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: application/sparql-results+json\r\n"
    b"Content-Length: " + str(len(_BODY)).encode() + b"\r\n"
    b"\r\n" + _BODY
)


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head:
                break
            writer.write(_RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def serve(port: int) -> None:
    server = await asyncio.start_server(_handle, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.port))


if __name__ == "__main__":
    main()
