"""What every part of a release knows about it, and the release identifier.

A release is named by its content: `<package version>+<first 12 hex digits of the
content hash of the served files>` (`kompass_graph.store.embedded.content_hash`, which
also folds in a rebase to another base IRI). The server names the release it serves in
every response (`Kompass-Release`) with the same function, so a citation of a query's
answer and a release folder name the same thing.

`ReleaseFacts` is handed to the metadata writers (DCAT-AP.de, VoID, linksets); they
read the data through a `SelectRunner`: a synchronous SELECT on the release's store
(`EmbeddedStore.run`, the CLI's path to the very execution the server does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kompass_graph import __version__
from kompass_graph.linked_data.rows import Row

__all__ = ["Distribution", "ReleaseFacts", "SelectRunner", "release_identifier"]

#: runs one SELECT on the release's data (union default graph) and returns its rows
SelectRunner = Callable[[str], list[Row]]


def release_identifier(content_hash: str | None) -> str:
    """`0.1.0+1f5d2a1dd0a8` for a content hash; `0.1.0+loading` before there is one."""
    return f"{__version__}+{content_hash[:12]}" if content_hash else f"{__version__}+loading"


@dataclass(frozen=True)
class Distribution:
    """One file of the release as a download."""

    #: the file's path inside the release folder, e.g. `kompass-graph.ttl.gz`
    name: str
    #: its media type (of the uncompressed content for a .gz file)
    media_type: str
    #: bytes on disk
    size: int
    sha256: str
    #: "gzip" for the compressed variants, else None
    compression: str | None = None
    #: the W3C format IRI (http://www.w3.org/ns/formats/Turtle, …) where there is one
    format_iri: str = ""


@dataclass(frozen=True)
class ReleaseFacts:
    """The release's identity and the parts the metadata describes."""

    identifier: str
    version: str
    base_iri: str
    #: the date the data was last changed, from the data itself (the ontology's
    #: dcterms:modified): the build writes no clock time, so it stays deterministic
    modified: str
    triples: int
    distributions: tuple[Distribution, ...] = field(default_factory=tuple)

    @property
    def endpoint_url(self) -> str:
        """The public SPARQL endpoint, under the base IRI (the server maps it to /sparql)."""
        return self.base_iri + "sparql"

    def download_url(self, name: str) -> str:
        """The public URL of a release file (the server serves them at /download/…)."""
        return f"{self.base_iri}download/{name}"
