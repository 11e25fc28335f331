"""Every error a user can cause, as one exception tree.

Each error knows the HTTP status and the CLI exit code it maps to, so the web layer
and the CLI turn it into a problem response or a message in exactly one place.

    KompassError                      exit 2, HTTP 500
    ├── UsageError                    exit 2, HTTP 400  (bad flag, unknown stored query)
    │   └── InvalidParameterError     exit 2, HTTP 422  (a REST API parameter: which, expected)
    ├── ConfigurationError            exit 2, HTTP 500  (a setting that cannot work)
    ├── SourceNotFoundError           exit 2, HTTP 404  (a file or resource is missing)
    ├── ParseError                    exit 2, HTTP 400  (RDF file with file:line:column)
    ├── QuerySyntaxError              exit 2, HTTP 400  (SPARQL with line:column)
    ├── QueryRejectedError            exit 2, HTTP 400  (SERVICE, LOAD, several queries …)
    ├── UpdateRefusedError            exit 2, HTTP 403  (the endpoint is read-only)
    ├── QueryTooLargeError            exit 2, HTTP 413
    ├── NotAcceptableError            exit 2, HTTP 406  (lists what is available)
    ├── UnsupportedMediaTypeError     exit 2, HTTP 415
    ├── RangeNotSatisfiableError      exit 2, HTTP 416  (a download's Range; says its size)
    ├── ReleaseNotServedError         exit 2, HTTP 409  (a `release` pin of another release)
    ├── ReloadRefusedError            exit 1, HTTP 409  (a new release not switched to)
    ├── NotAuthenticatedError         exit 2, HTTP 401  (no token for the admin endpoint)
    ├── AccessDeniedError             exit 2, HTTP 403  (a wrong token)
    ├── ClientDisconnectedError       exit 2, HTTP 499  (the client left mid-request)
    ├── QueryTimeoutError             exit 2, HTTP 503
    ├── OverloadedError               exit 2, HTTP 503  (with Retry-After)
    │   └── QueryWorkerLostError      exit 2, HTTP 503  (out of memory, killed, crashed)
    ├── StoreNotReadyError            exit 2, HTTP 503
    ├── StoreBadAnswerError           exit 2, HTTP 502  (a remote store answered badly)
    ├── StoreUnavailableError         exit 2, HTTP 503  (a remote store cannot be reached)
    ├── StoreTimeoutError             exit 2, HTTP 504  (a remote store was too slow)
    └── DataNotConformingError        exit 1, HTTP 500  (SHACL violations in our data)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AccessDeniedError",
    "ClientDisconnectedError",
    "ConfigurationError",
    "DataNotConformingError",
    "InvalidParameterError",
    "KompassError",
    "NotAcceptableError",
    "NotAuthenticatedError",
    "OverloadedError",
    "ParseError",
    "Position",
    "QueryRejectedError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "QueryTooLargeError",
    "QueryWorkerLostError",
    "RangeNotSatisfiableError",
    "ReleaseNotServedError",
    "ReloadRefusedError",
    "SourceNotFoundError",
    "StoreBadAnswerError",
    "StoreNotReadyError",
    "StoreTimeoutError",
    "StoreUnavailableError",
    "UnsupportedMediaTypeError",
    "UpdateRefusedError",
    "UsageError",
]


class KompassError(Exception):
    """Base of every error a user can cause. `str(error)` is the full user-facing message."""

    http_status: int = 500
    exit_code: int = 2
    #: short, stable slug used in the RFC 9457 problem `type` IRI
    slug: str = "internal-error"
    title: str = "Internal error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(KompassError):
    http_status = 400
    slug = "bad-request"
    title = "Bad request"


class InvalidParameterError(UsageError):
    """A parameter of the REST API or a page (e.g. `in_offset`) whose value cannot be
    used; names the parameter and what it takes."""

    http_status = 422
    slug = "invalid-parameter"
    title = "Invalid parameter"

    def __init__(self, message: str, *, parameter: str, expected: str) -> None:
        self.parameter = parameter
        self.expected = expected
        super().__init__(f"parameter {parameter!r}: {message}", hint=f"expected {expected}")


class ConfigurationError(KompassError):
    http_status = 500
    slug = "configuration-error"
    title = "Configuration error"


class SourceNotFoundError(KompassError):
    http_status = 404
    slug = "not-found"
    title = "Not found"


@dataclass(frozen=True)
class Position:
    """A place in a text file; line and column count from 1, None when unknown."""

    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return ""
        return f"{self.line}:{self.column}" if self.column is not None else f"{self.line}"


class ParseError(KompassError):
    """An RDF file that does not parse; names the file, line and column."""

    http_status = 400
    slug = "rdf-parse-error"
    title = "RDF parse error"

    def __init__(self, message: str, *, file: str, position: Position | None = None) -> None:
        self.file = file
        self.position = position or Position()
        where = f"{file}:{self.position}" if self.position.line is not None else file
        super().__init__(f"{where}: {message}")


class QuerySyntaxError(KompassError):
    """A SPARQL query the parser rejects; names line and column when known."""

    http_status = 400
    slug = "query-syntax-error"
    title = "SPARQL syntax error"

    def __init__(
        self, message: str, *, position: Position | None = None, source: str | None = None
    ) -> None:
        self.position = position or Position()
        self.source = source
        where = source or "query"
        if self.position.line is not None:
            where = f"{where}:{self.position}"
        super().__init__(f"{where}: {message}")


class QueryRejectedError(KompassError):
    http_status = 400
    slug = "query-rejected"
    title = "Query rejected"


class UpdateRefusedError(KompassError):
    http_status = 403
    slug = "read-only"
    title = "This endpoint is read-only"


class QueryTooLargeError(KompassError):
    http_status = 413
    slug = "query-too-large"
    title = "Query too large"


class NotAcceptableError(KompassError):
    http_status = 406
    slug = "not-acceptable"
    title = "Not acceptable"

    def __init__(self, message: str, *, available: list[str]) -> None:
        self.available = available
        super().__init__(f"{message}; available: {', '.join(available)}")


class UnsupportedMediaTypeError(KompassError):
    http_status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


class RangeNotSatisfiableError(KompassError):
    """A Range request for a download none of whose ranges lies inside the file;
    `size` is the file's length, for the answer's `Content-Range: bytes */size`."""

    http_status = 416
    slug = "range-not-satisfiable"
    title = "Range not satisfiable"

    def __init__(self, message: str, *, size: int) -> None:
        self.size = size
        super().__init__(message, hint=f"the file has {size} bytes, 0 to {size - 1}")


class ReleaseNotServedError(KompassError):
    """A request pinned to a release (`release=…`) that is not the one served: the
    answer would come from other data. Names both, and where the served release's
    files are; 409, as the request is sound and the server's state is what differs."""

    http_status = 409
    slug = "release-not-served"
    title = "Release not served"

    def __init__(self, message: str, *, requested: str, served: str, hint: str) -> None:
        self.requested = requested
        self.served = served
        super().__init__(message, hint=hint)


class ReloadRefusedError(KompassError):
    """A new release the server was asked to switch to and did not (its data does not
    conform or does not load, or the store cannot reload): the old release keeps
    serving. 409, as the request is sound and the new data is what is wrong; exit 1,
    like data that does not conform."""

    http_status = 409
    exit_code = 1
    slug = "reload-refused"
    title = "Reload refused"


class NotAuthenticatedError(KompassError):
    """A request to an endpoint that needs a token came without one (401, with
    `WWW-Authenticate: Bearer`)."""

    http_status = 401
    slug = "not-authenticated"
    title = "Authentication required"


class AccessDeniedError(KompassError):
    """A request came with a token that does not open this endpoint."""

    http_status = 403
    slug = "access-denied"
    title = "Access denied"


class QueryTimeoutError(KompassError):
    http_status = 503
    slug = "query-timeout"
    title = "Query timed out"


class OverloadedError(KompassError):
    http_status = 503
    slug = "overloaded"
    title = "Too many concurrent queries"

    def __init__(
        self, message: str, *, retry_after_seconds: int = 1, hint: str | None = None
    ) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message, hint=hint)


class ClientDisconnectedError(KompassError):
    """The client closed the connection before its request was complete: nobody is
    left to answer, and it is no server error (logged as such, counted as 499, the
    status proxies use for it)."""

    http_status = 499
    slug = "client-disconnected"
    title = "The client closed the connection"


class QueryWorkerLostError(OverloadedError):
    """The process running the query ended: it went past the query memory budget, was
    killed from outside, or crashed. It is replaced; the client may try again."""

    slug = "query-worker-lost"
    title = "The query's worker ended"


class StoreNotReadyError(KompassError):
    http_status = 503
    slug = "not-ready"
    title = "Store not ready"


class StoreBadAnswerError(KompassError):
    """A remote SPARQL store answered, but not with an answer we can use (a 5xx, a body
    that does not parse): the store's fault, not the client's."""

    http_status = 502
    slug = "store-bad-answer"
    title = "The store answered badly"


class StoreUnavailableError(KompassError):
    """A remote SPARQL store cannot be reached (connection refused or dropped); the
    server keeps running and uses it again as soon as it answers."""

    http_status = 503
    slug = "store-unavailable"
    title = "Store unavailable"


class StoreTimeoutError(KompassError):
    """A remote SPARQL store did not answer within the query's deadline; the request
    to it was cancelled."""

    http_status = 504
    slug = "store-timeout"
    title = "The store did not answer in time"


class DataNotConformingError(KompassError):
    """Our own data violates the shapes; the server refuses to start on it."""

    exit_code = 1
    slug = "data-not-conforming"
    title = "Data does not conform to the shapes"
