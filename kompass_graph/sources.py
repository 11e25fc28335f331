"""Find the project's files: ontology/ (with its quality rules), data/, shapes/ and sparql/.

They ship inside the installed package (`kompass_graph/_resources/`); in a source
checkout they are the top-level folders. `Settings.project_root` points elsewhere.
The quality rules (`ontology/rules/*.rq`) are SPARQL, never read as RDF: only files
with an `RDF_SUFFIXES` suffix are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kompass_graph.errors import SourceNotFoundError, UsageError

__all__ = ["RDF_SUFFIXES", "ProjectFiles", "find_project_files", "load_plan", "rdf_files_in"]

#: file suffixes we read as RDF, and the format each one means
RDF_SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".n3": "n3",
}

_PACKAGED = Path(__file__).resolve().parent / "_resources"
_CHECKOUT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ProjectFiles:
    """Where the graph's files are; every list is sorted, so output is stable."""

    root: Path

    @property
    def ontology(self) -> list[Path]:
        return rdf_files_in(self.root / "ontology")

    @property
    def data(self) -> list[Path]:
        return rdf_files_in(self.root / "data")

    @property
    def shapes(self) -> list[Path]:
        return rdf_files_in(self.root / "shapes")

    @property
    def queries(self) -> list[Path]:
        return sorted((self.root / "sparql").glob("*.rq"))

    @property
    def rules_folder(self) -> Path:
        return self.root / "ontology" / "rules"

    @property
    def quality_rules(self) -> list[Path]:
        """The ontology's quality rules, one SPARQL SELECT per file (see quality_rules.py)."""
        return sorted(self.rules_folder.glob("*.rq"))

    @property
    def graph_files(self) -> list[Path]:
        """Ontology plus data: what validate checks and serve loads by default."""
        return self.ontology + self.data


def rdf_files_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in RDF_SUFFIXES and p.is_file())


def find_project_files(root: Path | None = None) -> ProjectFiles:
    """The project files at `root`, else the packaged ones, else the source checkout."""
    candidates = [root] if root is not None else [_PACKAGED, _CHECKOUT]
    for candidate in candidates:
        if candidate is not None and (candidate / "ontology").is_dir():
            return ProjectFiles(candidate)
    where = ", ".join(str(c) for c in candidates if c is not None)
    raise SourceNotFoundError(
        f"no ontology/ folder found in {where}",
        hint="set KOMPASS_PROJECT_ROOT or --project-root to a Kompass Graph checkout",
    )


def load_plan(
    project: ProjectFiles | None, *, data: Sequence[Path] = (), only_data: Sequence[Path] = ()
) -> list[Path]:
    """What a server loads, in order: the project's ontology and data, then `data`; or
    only `only_data`. Every file must exist; serving nothing is an error."""
    if only_data:
        files = list(only_data)
    else:
        if project is None:
            raise UsageError("no project files given and no --only-data files to serve")
        files = [*project.graph_files, *data]
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise UsageError(f"cannot read {', '.join(missing)}", hint="check the file names")
    if not files:
        raise UsageError("there are no RDF files to serve", hint="a server with no data fails")
    return files
