"""Our canonical IRIs and this server's URLs: one mapping, used by every page and link.

The data keeps its canonical IRIs (`https://w3id.org/kompass-graph/…`, or the
configured base); the server answers for them under its own root: the IRI
`<base>id/project/x` is served at `/id/project/x`, and its Turtle document at
`/id/project/x.ttl` (one suffix per graph format, from `kompass_graph.formats`). Links
in pages point at the server; IRIs outside our base stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from kompass_graph.formats import MediaFormat, format_by_suffix

__all__ = ["ServerPaths", "split_document_path"]


@dataclass(frozen=True)
class ServerPaths:
    """The mapping between IRIs under `base_iri` and server-relative paths."""

    base_iri: str

    def is_ours(self, iri: str) -> bool:
        return iri.startswith(self.base_iri)

    def path_for(self, iri: str) -> str | None:
        """`/id/project/x` for `<base>id/project/x` (a fragment is kept); None when
        `iri` is not under our base."""
        if not self.is_ours(iri):
            return None
        return "/" + iri[len(self.base_iri) :]

    def link_for(self, iri: str) -> str:
        """Where a page links for `iri`: our server's path for ours, else the IRI."""
        path = self.path_for(iri)
        return iri if path is None else path

    def iri_for(self, path: str) -> str:
        """The canonical IRI a server path stands for (the inverse of `path_for`)."""
        return self.base_iri + path.lstrip("/")

    def document_path(self, iri: str, fmt: MediaFormat) -> str | None:
        """The URL of `iri`'s document in `fmt` (`/id/project/x.ttl`), for our IRIs."""
        path = self.path_for(iri.partition("#")[0])
        return None if path is None or not fmt.suffix else f"{path}.{fmt.suffix}"


def split_document_path(path: str) -> tuple[str, MediaFormat | None]:
    """(`/id/project/x`, Turtle) for `/id/project/x.ttl`; (path, None) when the path
    ends in no suffix of a graph format (our slugs never hold a dot)."""
    stem, dot, suffix = path.rpartition(".")
    if not dot or "/" in suffix:
        return path, None
    fmt = format_by_suffix(suffix)
    return (stem, fmt) if fmt is not None else (path, None)
