"""A release folder written by hand, as the release contract lays it out.

The route tests serve it with the setting `release_folder`, so they know every byte,
checksum and date (the server's own build is checked against `build_release` apart).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

IDENTIFIER = "0.1.0+0123456789ab"
PREVIOUS = "0.1.0+ba9876543210"
MODIFIED = "2026-12-01"
LAST_MODIFIED = "Tue, 01 Dec 2026 00:00:00 GMT"

_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
TURTLE = "".join(
    f'<https://w3id.org/kompass-graph/id/thing/{n}> {_LABEL} "Ding {n}"@de .\n' for n in range(40)
).encode()
VOID = b"""@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://w3id.org/kompass-graph/id/release/x#dataset> a void:Dataset ;
  dcterms:title "Kompass Graph"@de ;
  void:triples 40 .
"""
KG = "https://w3id.org/kompass-graph/"
#: as kompass_graph/publish/linksets.py writes it; the values test the escaping
LINKSETS = {
    "base_iri": KG,
    "release": IDENTIFIER,
    "targets": [
        {
            "slug": "wikidata",
            "title": "Wikidata <&> friends",
            "dataset": "https://www.wikidata.org/",
            "namespace": "http://www.wikidata.org/entity/",
            "links": 3,
            "resources": 2,
            "predicates": [
                {"predicate": "http://www.w3.org/2004/02/skos/core#exactMatch", "links": 3,
                 "resources": 2},
            ],
            "linking_kinds": {KG + "ontology#Municipality": 2},
            "coverage": [
                {"kind": KG + "ontology#Municipality", "resources": 2, "linked": 2,
                 "unlinked": []},
                {"kind": KG + "ontology#District", "resources": 3, "linked": 1,
                 "unlinked": [KG + "id/actor/kreis-a", KG + "id/actor/kreis-b"]},
            ],
            "joins": [
                {
                    "name": "kg:ags with wdt:P439",
                    "our_property": KG + "ontology#ags",
                    "their_property": "http://www.wikidata.org/prop/direct/P439",
                    "endpoint": "https://query.wikidata.org/sparql",
                    "query": 'SELECT ?resource WHERE { ?resource kg:ags ?key . '
                    'SERVICE <https://query.wikidata.org/sparql> { ?item wdt:P439 ?key } '
                    'FILTER(?key != "</pre><script>") }',
                    "local_query": "SELECT ?resource WHERE { ?resource kg:ags ?key }",
                    "resources": 2,
                }
            ],
            "note": "links once verified",
        }
    ],
}  # fmt: skip
CHANGES = (
    b'TX .\nA <https://w3id.org/kompass-graph/id/thing/1> <http://example.org/p> "1" .\nTC .\n'
)
MEDIA = {
    "kompass-graph.ttl": ("text/turtle", None),
    "kompass-graph.ttl.gz": ("text/turtle", "gzip"),
    "void.ttl": ("text/turtle", None),
    "linksets.json": ("application/json", None),
    "changes.rdfp": ("application/rdf-patch", None),
    "ontology/kompass.ttl": ("text/turtle", None),
}


def release_contents() -> dict[str, bytes]:
    return {
        "kompass-graph.ttl": TURTLE,
        "kompass-graph.ttl.gz": gzip.compress(TURTLE, mtime=0),
        "void.ttl": VOID,
        "linksets.json": json.dumps(LINKSETS, sort_keys=True).encode(),
        "changes.rdfp": CHANGES,
        "ontology/kompass.ttl": b"# the ontology\n",
    }


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def make_release(
    folder: Path,
    contents: dict[str, bytes] | None = None,
    *,
    identifier: str = IDENTIFIER,
    listed_extra: dict[str, bytes] | None = None,
) -> Path:
    """Write the release into `folder`; `listed_extra` are listed in release.json (with
    these bytes' size and checksum) but not written: the test places them itself."""
    contents = release_contents() if contents is None else contents
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    listed = {**contents, **(listed_extra or {})}
    files = [
        {
            "name": name,
            "media_type": MEDIA.get(name, ("text/turtle", None))[0],
            "size": len(content),
            "sha256": sha256(content),
            "compression": MEDIA.get(name, ("", None))[1],
        }
        for name, content in sorted(listed.items())
    ]
    document = {
        "identifier": identifier,
        "version": "0.1.0",
        "base_iri": "https://w3id.org/kompass-graph/",
        "modified": MODIFIED,
        "triples": 40,
        "previous": PREVIOUS,
        "files": files,
    }
    (folder / "release.json").write_text(json.dumps(document, indent=2) + "\n")
    sums = {**contents, "release.json": (folder / "release.json").read_bytes()}
    lines = "".join(f"{sha256(c)}  {n}\n" for n, c in sorted(sums.items()))
    (folder / "SHA256SUMS").write_text(lines)
    return folder
