"""The SPARQL 1.1 Service Description of this endpoint, written from the format table."""

from __future__ import annotations

from kompass_graph.conneg import FORMATS
from kompass_graph.store.interface import LoadReport

__all__ = ["service_description_turtle"]


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def service_description_turtle(
    *, endpoint: str, release: str, report: LoadReport | None, union_default_graph: bool
) -> str:
    """Turtle describing what the endpoint at `endpoint` supports and serves."""
    result_formats = ",\n        ".join(f"<{f.format_iri}>" for f in FORMATS if f.format_iri)
    feature_line = "    sd:feature sd:UnionDefaultGraph ;\n" if union_default_graph else ""
    triples = report.triples if report else 0
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "@prefix void: <http://rdfs.org/ns/void#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n\n"
        f"<{endpoint}> a sd:Service ;\n"
        f"    sd:endpoint <{endpoint}> ;\n"
        "    sd:supportedLanguage sd:SPARQL11Query ;\n"
        f"    sd:resultFormat {result_formats} ;\n"
        f"{feature_line}"
        f"    dcterms:hasVersion {_literal(release)} ;\n"
        "    sd:defaultDataset [\n"
        "        a sd:Dataset, void:Dataset ;\n"
        f"        void:triples {triples}  # all graphs together\n"
        "    ] .\n"
    )
