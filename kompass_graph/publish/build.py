"""Build a release folder from the data a server with the same settings would serve.

    build_release(settings, out)      check, load, write, swap in: a `Release`
    open_release(folder)              read one back (layout.py)

The order is what makes it safe. First everything that can refuse without writing: the
target (an existing folder that is not a release and not empty is somebody's folder,
never replaced), the previous release, and the data, checked and loaded exactly as
`kompass-graph serve` does it (`store.factory.load_served_files`: on violations a
`DataNotConformingError` with the report). Only then is anything written, into a new
folder beside `out`; when it is complete it is renamed into place, and a release that
was there goes only after that. Any failure on the way removes the new folder and leaves
`out` as it was.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import rdflib

from kompass_graph import __version__
from kompass_graph.errors import UsageError
from kompass_graph.namespaces import prefix_map
from kompass_graph.publish.dcat import describe_catalog
from kompass_graph.publish.diff import diff_dumps, dump_lines
from kompass_graph.publish.dumps import (
    QUAD_FORMATS,
    TRIPLE_FORMATS,
    canonical_statements,
    gzip_bytes,
    nquads_lines,
    write_dump,
)
from kompass_graph.publish.facts import ReleaseFacts, SelectRunner, release_identifier
from kompass_graph.publish.layout import (
    CHANGES,
    CHECKSUMS,
    DCAT,
    LINKSETS,
    RELEASE_JSON,
    VOID,
    Release,
    checksums_document,
    describe_file,
    dump_name,
    open_release,
    release_document,
)
from kompass_graph.publish.linksets import linkset_json, linkset_report
from kompass_graph.publish.runner import select_rows, store_runner
from kompass_graph.publish.void import describe_void
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files
from kompass_graph.store.documents import write_statements
from kompass_graph.store.embedded import EmbeddedStore
from kompass_graph.store.factory import embedded_store, load_served_files
from kompass_graph.terms import Term

__all__ = ["Release", "build_release", "open_release"]

logger = logging.getLogger(__name__)


# the ontology's own date first; without our ontology (--only-data) the latest date any
# ontology in the data gives
_MODIFIED = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?modified ?ours ?our_ontology WHERE {
  ?ontology a owl:Ontology ; dcterms:modified ?modified .
  BIND (?ontology = ?our_ontology AS ?ours)
}
ORDER BY DESC(?ours) DESC(STR(?modified))
LIMIT 1
"""


def _modified(store: EmbeddedStore, base_iri: str) -> str:
    rows = select_rows(
        store,
        _MODIFIED,
        source="the ontology's dcterms:modified",
        bindings={"our_ontology": Term.iri(base_iri + "ontology")},
    )
    if not rows:
        logger.warning("no ontology in the data gives dcterms:modified; the release has no date")
        return ""
    return rows[0]["modified"].value


def _refuse_foreign_target(out: Path) -> None:
    """Replace only a release or an empty folder: never somebody's files."""
    if not out.exists():
        return
    if not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a release folder", hint="name a folder")
    if not (out / RELEASE_JSON).is_file() and any(out.iterdir()):
        raise UsageError(
            f"--out {out} is a folder that holds no release ({RELEASE_JSON}) and is not empty; "
            "not replacing it",
            hint="name a new or empty folder, or one a previous build wrote",
        )


def _turtle(graph: rdflib.Graph, prefixes: Mapping[str, str]) -> bytes:
    """A metadata graph as Turtle, in the dumps' order (blank nodes canonically labelled)."""
    statements = canonical_statements(graph.serialize(format="nt", encoding="utf-8"))
    return write_statements(statements, "turtle", prefixes=prefixes)


def _write_metadata(
    folder: Path, facts: ReleaseFacts, run: SelectRunner, prefixes: Mapping[str, str]
) -> list[str]:
    """dcat.ttl, void.ttl and linksets.json; their names."""
    (folder / DCAT).write_bytes(_turtle(describe_catalog(facts, run), prefixes))
    (folder / VOID).write_bytes(_turtle(describe_void(facts, run), prefixes))
    (folder / LINKSETS).write_bytes(linkset_json(linkset_report(facts, run)))
    return [DCAT, VOID, LINKSETS]


def _write_release(
    folder: Path,
    store: EmbeddedStore,
    settings: Settings,
    *,
    content_hash: str,
    triples: int,
    previous: Release | None,
    previous_lines: list[str] | None,
) -> ReleaseFacts:
    """Every file of the release into `folder`; the facts release.json states."""
    prefixes = prefix_map(settings.base_iri)
    statements = canonical_statements(store.dump("nquads"))
    names: list[str] = []
    for format_name in (*QUAD_FORMATS, *TRIPLE_FORMATS):
        name = dump_name(format_name)
        document = write_dump(statements, format_name, prefixes=prefixes)
        (folder / name).write_bytes(document)
        (folder / f"{name}.gz").write_bytes(gzip_bytes(document))
        names += [name, f"{name}.gz"]
    project = find_project_files(settings.project_root)
    for source in [*project.ontology, *project.shapes]:
        name = source.relative_to(project.root).as_posix()
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / name)
        names.append(name)
    identifier = release_identifier(content_hash)
    if previous is not None and previous_lines is not None:
        new_lines = nquads_lines((folder / dump_name("nquads")).read_bytes())
        patch = diff_dumps(
            previous_lines, new_lines, old_id=previous.facts.identifier, new_id=identifier
        )
        (folder / CHANGES).write_bytes(patch.document())
        names.append(CHANGES)
    facts = ReleaseFacts(
        identifier=identifier,
        version=__version__,
        base_iri=settings.base_iri,
        modified=_modified(store, settings.base_iri),
        triples=triples,
        distributions=tuple(describe_file(folder, n) for n in sorted(names)),
    )
    names += _write_metadata(folder, facts, store_runner(store), prefixes)
    facts = ReleaseFacts(
        identifier=facts.identifier,
        version=facts.version,
        base_iri=facts.base_iri,
        modified=facts.modified,
        triples=facts.triples,
        distributions=tuple(describe_file(folder, n) for n in sorted(names)),
    )
    (folder / RELEASE_JSON).write_bytes(
        release_document(facts, previous=previous.facts.identifier if previous else None)
    )
    (folder / CHECKSUMS).write_bytes(checksums_document(folder, [*names, RELEASE_JSON]))
    return facts


def _swap_in(staging: Path, out: Path) -> None:
    """Rename the complete `staging` folder to `out`; a release at `out` goes last."""
    staging.chmod(0o755)  # mkdtemp makes it private; a release is there to be read
    if not out.exists():
        staging.rename(out)
        return
    aside = out.parent / f".{out.name}.old-{secrets.token_hex(4)}"
    out.rename(aside)
    try:
        staging.rename(out)
    except BaseException:
        aside.rename(out)
        raise
    shutil.rmtree(aside)


def build_release(
    settings: Settings, out: Path, *, previous: Path | None = None, checked: bool = False
) -> Release:
    """Check the data `settings` select, and write its release to the folder `out`
    (see the module docstring); with `previous`, also `changes.rdfp` from that release.
    `checked`: the caller has just checked these files (the server, whose store loaded
    them), so they are not checked again."""
    out = out.resolve()
    _refuse_foreign_target(out)
    before = open_release(previous) if previous is not None else None
    # read now: `previous` may be `out` itself, which the swap replaces
    before_lines = dump_lines(previous) if previous is not None else None
    # in memory even with `store`: a build must never reload a server's on-disk store
    store = embedded_store(settings.model_copy(update={"store": None}))
    # refuses data that does not conform
    report = load_served_files(store, settings, checked=checked)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        facts = _write_release(
            staging,
            store,
            settings,
            content_hash=report.content_hash,
            triples=report.triples,
            previous=before,
            previous_lines=before_lines,
        )
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    logger.info("wrote release %s to %s", facts.identifier, out)
    return Release(out, facts, before.facts.identifier if before else None)
