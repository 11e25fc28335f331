"""One Settings object: environment variables (prefix KOMPASS_) and CLI flags.

Nothing is read at import time: the CLI builds one object per command, with the flag
values as overrides (`kompass_graph.cli.serve` derives its flags from these fields),
and hands it down; the app factory takes it as an argument. Every field has a
description; a test checks that README.md documents each one.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kompass_graph.namespaces import DEFAULT_BASE_IRI

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Every setting of Kompass Graph, with its default and what it does."""

    model_config = SettingsConfigDict(env_prefix="KOMPASS_", extra="forbid")

    base_iri: str = Field(
        DEFAULT_BASE_IRI,
        description="Base IRI under which our ontology, instances and concepts are minted.",
    )
    project_root: Path | None = Field(
        None,
        description="Folder holding ontology/, data/, shapes/ and sparql/; "
        "default: the files shipped with the package.",
    )
    host: str = Field("127.0.0.1", description="Address the server listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port the server listens on.")
    workers: int = Field(
        1,
        gt=0,
        description="HTTP server processes; more than one: the data is checked and "
        "loaded once into an on-disk store (the `store` folder, or a temporary one) that "
        "every process opens read-only.",
    )
    admin_token: SecretStr | None = Field(
        None,
        description="Bearer token that opens POST /admin/reload (load the served files "
        "again and switch to them without stopping); unset: the endpoint is off (404). "
        "Never logged.",
    )
    data: list[Path] = Field(
        default_factory=list,
        description="Extra RDF files served beside the project's own data.",
    )
    only_data: list[Path] = Field(
        default_factory=list,
        description="Serve just these RDF files and none of the project's data.",
    )
    validate_data: bool = Field(
        True,
        description="Check every file served (our data, --data and --only-data files) "
        "against the ontology and shapes before serving; off: --no-validate-data.",
    )
    union_default_graph: bool = Field(
        True,
        description="Make the default graph the union of all named graphs (our data is "
        "one named graph per source); off: only the files' default graphs.",
    )
    entail_standard_types: bool = Field(
        True,
        description="When the store loads, add the types and properties the ontology's "
        "rdfs:subClassOf / rdfs:subPropertyOf axioms entail (org:Organization, "
        "foaf:Agent, prov:Activity, …) in the named graph <base>graph/entailed, so "
        "clients that know only the standard vocabularies find the data; the files and "
        "their validation stay as written; off: --no-entail-standard-types.",
    )
    cache_control: str = Field(
        "public, max-age=300",
        description="Cache-Control of pages, API answers and SPARQL GET answers; each "
        "carries an ETag of the data release and the request, and If-None-Match answers "
        "304 without running a query.",
    )
    release_folder: Path | None = Field(
        None,
        description="Serve downloads (/download/), VoID (/.well-known/void) and the "
        "linkset report (/linksets) from this release folder (made by `kompass-graph "
        "build`); default: the server builds the release of the data it serves in a "
        "thread after start-up (503 on those routes until done) into a temporary folder "
        "it deletes on shutdown; over a remote store (store_url) nothing is built.",
    )
    store: Path | None = Field(
        None,
        description="Keep the embedded store on disk in this folder, so a restart does "
        "not reload; default: in memory.",
    )
    store_url: str | None = Field(
        None,
        description="Query URL of a remote SPARQL 1.1 store (e.g. "
        "http://127.0.0.1:7878/query for `oxigraph serve`); when set, every surface runs "
        "on it, no file is loaded locally, and the release is the one `publish` recorded "
        "in the store.",
    )
    store_update_url: str | None = Field(
        None,
        description="SPARQL Update URL of the remote store (publish uses it); default "
        "for Oxigraph: the query URL with /update.",
    )
    store_user: str | None = Field(
        None, description="User name for HTTP Basic authentication at the remote store."
    )
    store_password: SecretStr | None = Field(
        None,
        description="Password for the remote store (environment KOMPASS_STORE_PASSWORD); "
        "never logged, never shown in errors or /readyz.",
    )
    store_connect_timeout: float = Field(
        2.0, gt=0, description="Seconds to wait for a connection to the remote store (503)."
    )
    store_retries: int = Field(
        2,
        ge=0,
        description="Retries of a read whose connection to the remote store failed "
        "before any answer came (reads only; never past query_timeout).",
    )
    query_timeout: float = Field(
        10.0, gt=0, description="Seconds a query may run before it is stopped (503)."
    )
    max_query_length: int = Field(
        100_000, gt=0, description="Longest query accepted, in bytes (longer: 413)."
    )
    max_query_nesting: int = Field(
        64,
        gt=0,
        description="Deepest nesting of braces, parentheses and brackets in a query "
        "(deeper: 400, before the engine sees it).",
    )
    max_result_rows: int = Field(
        100_000, gt=0, description="Most result rows returned; a cut result says so."
    )
    max_result_bytes: int = Field(
        64 << 20,
        gt=0,
        description="Largest answer body in bytes; a longer answer is cut to whole rows "
        "and says so (as for max_result_rows).",
    )
    max_concurrent_queries: int = Field(
        4, gt=0, description="Queries run at once; more wait in a bounded queue."
    )
    max_queries_per_client: int = Field(
        3,
        gt=0,
        description="Query slots one client address may hold at once; its next query "
        "waits for one of its own to finish, so one client cannot take every slot.",
    )
    max_queued_queries: int = Field(
        32,
        ge=0,
        description="Queries that may wait for a free query slot (the wait counts against "
        "query_timeout); beyond it 503 with Retry-After.",
    )
    query_memory_limit: int = Field(
        4096,
        gt=0,
        description="MiB of memory one query may take in its worker process; past it the "
        "worker ends and the query answers 503 (4 GiB: four at once fit a 24 GiB machine "
        "beside the store).",
    )
    short_query_seconds: float = Field(
        1.0,
        ge=0,
        description="While every query slot is busy, one more worker answers queries that "
        "finish within this many seconds (a longer one there: 503); 0 turns the lane off.",
    )
    worker_recycle_mib: int = Field(
        1024,
        gt=0,
        description="MiB of private memory a query worker may grow by before it is "
        "replaced with a fresh one.",
    )
    query_threads: int = Field(
        0,
        ge=0,
        description="Threads of the server process that answer queries whose shape predicts "
        "a light plan (every pattern joined to a constant, no transitive paths), without "
        "the hop to a worker; 0 (the default: measured faster on two cores, see "
        "bench/README.md) sends every query to the worker processes.",
    )
    thread_query_seconds: float = Field(
        0.5,
        gt=0,
        description="A query shape that took longer than this on a thread goes to the "
        "worker processes from then on (a thread cannot be stopped; a worker can).",
    )
    answer_cache_mib: int = Field(
        64,
        ge=0,
        description="MiB of answers the embedded store keeps by (release, request) and "
        "sends again without running the query (the release never changes); 0 turns "
        "the cache off.",
    )
    query_workers: int = Field(
        2, gt=0, description="Worker processes that execute queries and can be stopped."
    )
    service_allow_list: list[str] = Field(
        default_factory=list,
        description="SERVICE endpoints a federated query may call; empty: SERVICE refused.",
    )
    header_timeout: float = Field(
        10.0, gt=0, description="Seconds a request's line and headers may take to arrive (408)."
    )
    body_timeout: float = Field(
        30.0,
        gt=0,
        description="Seconds a request's body may take to arrive after its headers; "
        "then the connection closes.",
    )
    max_header_bytes: int = Field(
        16384, gt=0, description="Largest size of a request's header fields (431 beyond)."
    )
    idle_timeout: int = Field(
        5, gt=0, description="Seconds an idle keep-alive connection stays open."
    )
    max_connections: int = Field(
        1000,
        gt=0,
        description="Connections and requests served at once; beyond it 503, so a flood "
        "of connections cannot exhaust the file descriptors.",
    )
    shutdown_grace: int = Field(
        10,
        gt=0,
        description="Seconds a stopping server (SIGTERM) waits for requests under way, "
        "slow clients included, before it closes their connections.",
    )
    cors_origins: list[str] = Field(
        default_factory=lambda: ["*"], description="Origins allowed by CORS ('*': any)."
    )
    log_level: str = Field("info", description="Log level: debug, info, warning, error.")

    def environment(self) -> dict[str, str]:
        """These settings as KOMPASS_* variables (None: absent), so that a process this
        one starts (a server worker) builds the very same Settings."""
        found: dict[str, str] = {}
        for name, value in self:
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            if value is None:
                continue
            found[f"KOMPASS_{name.upper()}"] = (
                json.dumps([str(v) for v in value])
                if isinstance(value, list)
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
        return found

    @field_validator("base_iri")
    @classmethod
    def _base_iri_is_a_folder(cls, value: str) -> str:
        """Our IRIs are `base + "id/…"`; a base without its final slash would glue words."""
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"base_iri must be an http(s) IRI, not {value!r}")
        return value if value.endswith("/") else value + "/"
