"""The SPARQL 1.1 Service Description of this endpoint, built as an rdflib graph.

    describe_service(endpoint=..., ...)   the description, an rdflib Graph
    write_description(graph, name)        as Turtle, JSON-LD or N-Triples (bytes)
    endpoint_iri(scope, host)             the IRI the endpoint is described under

The endpoint's IRI comes from the request's Host header only when that is a valid
`host[:port]` (RFC 3986 §3.2.2, §3.2.3); anything else falls back to the address the
server answered on. A crafted Host can thus neither add triples nor break the IRI,
and nothing of it is ever pasted into a document: the serialisers write the graph.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import quote

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD
from starlette.types import Scope

from kompass_graph.formats import FORMATS
from kompass_graph.namespaces import SD, VOID
from kompass_graph.store.interface import LoadReport

__all__ = ["describe_service", "endpoint_iri", "write_description"]


#: our graph format names (kompass_graph.formats) -> rdflib's serialisers
_SERIALIZERS = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt"}
_PREFIXES = {"sd": SD, "void": VOID, "dcterms": DCTERMS}
#: the JSON-LD context, inline: a client needs no remote context to read the answer
_JSONLD_CONTEXT = {prefix: str(namespace) for prefix, namespace in _PREFIXES.items()}

_ENDPOINT_PATH = "/sparql"
_DEFAULT_PORTS = {"http": 80, "https": 443}
#: a DNS name or IPv4 address (labels of letters, digits, `-`, and `_`, which container
#: names use), or an IPv6 literal in brackets (checked with ipaddress); then the port
_HOST = re.compile(
    r"(?P<name>[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
    r"(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?"
    r"|\[(?P<ipv6>[0-9A-Fa-f:.]{2,45})\])"
    r"(?::(?P<port>[0-9]{1,5}))?"
)
_MAX_HOST_LENGTH = 253 + len(":65535")


def describe_service(
    *, endpoint: str, release: str, report: LoadReport | None, union_default_graph: bool
) -> Graph:
    """What the endpoint at `endpoint` supports and serves (`report` None: still loading,
    so the triple count is left out rather than stated as 0)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for media_format in FORMATS:
        if media_format.format_iri:
            graph.add((service, SD.resultFormat, URIRef(media_format.format_iri)))
    if union_default_graph:
        graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, DCTERMS.hasVersion, Literal(release)))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    if report is not None:  # all graphs together
        graph.add((dataset, VOID.triples, Literal(report.triples, datatype=XSD.integer)))
    return graph


def write_description(graph: Graph, format_name: str) -> bytes:
    """`graph` as `format_name`: "turtle", "jsonld" (with an inline context) or "ntriples"."""
    serializer = _SERIALIZERS[format_name]
    if serializer == "json-ld":
        return graph.serialize(format=serializer, context=_JSONLD_CONTEXT, encoding="utf-8")
    return graph.serialize(format=serializer, encoding="utf-8")


def endpoint_iri(scope: Scope, host: str | None) -> str:
    """This endpoint's IRI as the client addressed it: `host` (the Host header) when it
    is a valid host[:port], else the address the server answered on."""
    scheme = scope.get("scheme", "http")
    if scheme not in _DEFAULT_PORTS:
        scheme = "http"
    authority = _valid_authority(host) if host else None
    if authority is None:
        authority = _server_authority(scope.get("server"), scheme)
    root_path = scope.get("root_path", "")
    if root_path:  # the deployment's own setting, yet still an IRI path once written
        root_path = quote(root_path, safe="/-._~!$&'()*+,;=:@%")
    return f"{scheme}://{authority}{root_path}{_ENDPOINT_PATH}"


@lru_cache(maxsize=256)  # a server hears few Host values; this is on every query's path
def _valid_authority(value: str) -> str | None:
    if len(value) > _MAX_HOST_LENGTH:
        return None
    match = _HOST.fullmatch(value)
    if match is None:
        return None
    if match["ipv6"] is not None:
        try:
            ipaddress.IPv6Address(match["ipv6"])
        except ValueError:
            return None
    if match["port"] is not None and int(match["port"]) > 65535:
        return None
    return value


def _server_authority(server: object, scheme: str) -> str:
    """host[:port] of the socket the server answered on (ASGI's `server`), or localhost."""
    if not isinstance(server, tuple | list) or len(server) != 2:
        return "localhost"
    host, port = server
    try:
        address = ipaddress.ip_address(str(host))
    except ValueError:
        name = _valid_authority(str(host))
        if name is None or ":" in name:
            return "localhost"
        text = name
    else:
        text = f"[{address.compressed}]" if address.version == 6 else address.compressed
    if not isinstance(port, int) or port == _DEFAULT_PORTS[scheme]:
        return text
    return f"{text}:{port}"
