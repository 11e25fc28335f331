"""The only place that touches a SPARQL engine (pyoxigraph today).

`GraphStore` is what the web layer sees; `EmbeddedStore` implements it with Oxigraph
in memory or on disk. `local.py` is the CLI's simpler in-process store.
"""

from kompass_graph.store.embedded import EmbeddedStore, content_hash
from kompass_graph.store.interface import (
    AnswerKind,
    FormatChoice,
    GraphStore,
    LoadReport,
    NoFormatForAnswerError,
    ProgressCallback,
    QueryAnswer,
    QueryRequest,
)

__all__ = [
    "AnswerKind",
    "EmbeddedStore",
    "FormatChoice",
    "GraphStore",
    "LoadReport",
    "NoFormatForAnswerError",
    "ProgressCallback",
    "QueryAnswer",
    "QueryRequest",
    "content_hash",
]
