"""The query mix: parametrised SPARQL templates in bench/queries/*.rq.

Each template starts with a header of `# key: value` lines:

    # name: project-participants
    # class: lookup            (lookup | analytic: which issue target applies)
    # about: Participants of one project with their roles and German labels.
    # params: project=project  (placeholder=kind, comma-separated)

and marks each parameter in the body as `{{placeholder}}`. A kind names where values
come from: an entity list of the generated data set (its `.params.json` sidecar, written
by `bench.generate`) or one of the value kinds below. Values are drawn with a seeded
random generator, so every system gets the same requests in the same order.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bench.measure import QueryRequest

__all__ = [
    "QUERY_DIR",
    "ParamSpace",
    "QueryTemplate",
    "draw_requests",
    "load_param_space",
    "load_templates",
]

QUERY_DIR = Path(__file__).resolve().parent / "queries"

QueryClass = Literal["lookup", "analytic"]

_ACCEPT = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples",
    "DESCRIBE": "application/n-triples",
}
_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)


class TemplateError(ValueError):
    """A query template whose header or placeholders do not fit together."""


@dataclass(frozen=True)
class QueryTemplate:
    name: str
    query_class: QueryClass
    about: str
    params: dict[str, str]
    body: str
    form: str

    @property
    def accept(self) -> str:
        return _ACCEPT[self.form]

    def fill(self, values: dict[str, str]) -> str:
        return _PLACEHOLDER.sub(lambda match: values[match.group(1)], self.body)


def parse_template(path: Path) -> QueryTemplate:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        if sep and key.strip() in {"name", "class", "about", "params"}:
            header[key.strip()] = value.strip()
    missing = {"name", "class", "about"} - header.keys()
    if missing:
        raise TemplateError(f"{path}: header lacks {', '.join(sorted(missing))}")
    if header["class"] not in ("lookup", "analytic"):
        raise TemplateError(f"{path}: class must be lookup or analytic, not {header['class']!r}")
    params = _parse_params(header.get("params", ""), path)
    used = set(_PLACEHOLDER.findall(text))
    if used != params.keys():
        raise TemplateError(f"{path}: placeholders {sorted(used)} != params {sorted(params)}")
    form = _FORM.search("\n".join(ln for ln in text.splitlines() if not ln.startswith("#")))
    if form is None:
        raise TemplateError(f"{path}: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
    lines = text.splitlines()
    # the header stays in the file for people; the query sent is the part after it
    first_body_line = next((i for i, ln in enumerate(lines) if not ln.startswith("#")), 0)
    return QueryTemplate(
        name=header["name"],
        query_class=header["class"],  # type: ignore[arg-type]
        about=header["about"],
        params=params,
        body="\n".join(lines[first_body_line:]).strip() + "\n",
        form=form.group(1).upper(),
    )


def _parse_params(spec: str, path: Path) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, sep, kind = item.partition("=")
        if not sep:
            raise TemplateError(f"{path}: parameter {item!r} is not placeholder=kind")
        params[name.strip()] = kind.strip()
    return params


def load_templates(folder: Path = QUERY_DIR) -> list[QueryTemplate]:
    templates = [parse_template(path) for path in sorted(folder.glob("*.rq"))]
    names = [t.name for t in templates]
    if len(set(names)) != len(names):
        raise TemplateError(f"duplicate template names in {folder}: {names}")
    if not templates:
        raise TemplateError(f"no query templates (*.rq) in {folder}")
    return templates


@dataclass(frozen=True)
class ParamSpace:
    """What parameters can be drawn from: the entity lists of one generated data set."""

    entities: dict[str, list[str]]
    years: list[int]
    words: list[str]
    project_count: int

    def draw(self, kind: str, rng: random.Random) -> str:
        drawer = _VALUE_KINDS.get(kind)
        if drawer is not None:
            return drawer(self, rng)
        iris = self.entities.get(kind)
        if not iris:
            raise TemplateError(f"no values of kind {kind!r} in the data set's parameter file")
        return f"<{rng.choice(iris)}>"


def _draw_year(space: ParamSpace, rng: random.Random) -> str:
    return f'"{rng.choice(space.years)}"^^<http://www.w3.org/2001/XMLSchema#gYear>'


def _draw_word(space: ParamSpace, rng: random.Random) -> str:
    return json.dumps(rng.choice(space.words), ensure_ascii=False)


def _draw_deep_offset(space: ParamSpace, rng: random.Random) -> str:
    # the back half of the project list: the pages a crawler or a "last page" link asks for
    high = max(space.project_count - 50, 1)
    return str(rng.randrange(high // 2, high + 1))


def _draw_threshold(space: ParamSpace, rng: random.Random) -> str:
    return str(rng.choice((50_000, 100_000, 250_000, 500_000, 1_000_000)))


_ROLES = ("participant", "project-site", "partner-authority", "commissioning-body", "lead")


def _draw_role(space: ParamSpace, rng: random.Random) -> str:
    return f"<https://w3id.org/kompass-graph/concept/role/{rng.choice(_ROLES)}>"


def _draw_min_members(space: ParamSpace, rng: random.Random) -> str:
    return str(rng.choice((3, 5, 10, 20)))


_VALUE_KINDS: dict[str, Callable[[ParamSpace, random.Random], str]] = {
    "year": _draw_year,
    "word": _draw_word,
    "deep_offset": _draw_deep_offset,
    "threshold": _draw_threshold,
    "min_members": _draw_min_members,
    "role": _draw_role,
}


def load_param_space(path: Path) -> ParamSpace:
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return ParamSpace(
        entities={kind: list(iris) for kind, iris in raw["entities"].items()},
        years=list(raw["years"]),
        words=list(raw["words"]),
        project_count=int(raw["project_count"]),
    )


def draw_requests(
    templates: list[QueryTemplate], space: ParamSpace, *, seed: int, per_query: int
) -> dict[str, list[QueryRequest]]:
    """`per_query` concrete requests per template; the same seed gives the same requests."""
    drawn: dict[str, list[QueryRequest]] = {}
    for template in templates:
        # one stream per template, so adding a template does not change the others' draws
        rng = random.Random(f"{seed}:{template.name}")
        drawn[template.name] = [
            QueryRequest(
                template.name,
                template.fill({p: space.draw(kind, rng) for p, kind in template.params.items()}),
                template.accept,
            )
            for _ in range(per_query)
        ]
    return drawn
