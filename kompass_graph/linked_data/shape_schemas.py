"""JSON Schemas of the REST API's objects, generated from the SHACL shapes.

The shapes stay the one source of truth: a resource's JSON object has one key per
property path of the node shapes that target its class (`sh:targetClass`), named by
the path's local name (`skos:prefLabel` -> `prefLabel`), and the JSON Schema of each
value follows from the property shapes:

    sh:minCount / sh:qualifiedMinCount >= 1   required (severity violation, base class only)
    sh:maxCount 1                             one value; otherwise an array (maxCount 0: absent)
    sh:languageIn, rdf:langString, uniqueLang a JSON-LD language map {"de": …, "en": …}
    sh:datatype (or sh:or of datatypes)       string / number / integer / boolean, format
    sh:class, sh:nodeKind sh:IRI, sh:node     a reference {"@id": …, "url": …, "prefLabel": …}
    sh:in, sh:pattern, sh:min/maxInclusive …  enum, pattern, minimum, maximum …

A referenced class with a schema of its own in `embed` (a participation, a funding,
an amount) is embedded as that object. Paths that are not a single predicate
(`sh:inversePath`, `sh:alternativePath`) have no key and are left out. Shapes of
sub-classes (`subclasses`) add optional keys: what a municipality has beyond any actor.

`PropertySpec` drives both the schema and the JSON the API writes (see
`kompass_graph.linked_data.collections`), so a response and its schema agree by
construction; `json_ld_context` maps the same keys to their IRIs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rdflib import RDF, Graph, Node, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection

from kompass_graph.errors import ConfigurationError
from kompass_graph.namespaces import KG, SCHEMA, SH, XSD

__all__ = [
    "ApiSchemas",
    "PropertySpec",
    "ResourceSchema",
    "json_ld_context",
    "resource_schema",
]

JsonSchema = dict[str, object]
ValueKind = Literal["language", "literal", "reference", "any"]

_XSD = str(XSD)
_LANG_STRING = str(RDF.langString)
_INTEGERS = {"integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"}
_NUMBERS = {"decimal", "double", "float"}
_STRING_FORMATS: dict[str, JsonSchema] = {
    "date": {"type": "string", "format": "date"},
    "dateTime": {"type": "string", "format": "date-time"},
    "anyURI": {"type": "string", "format": "uri"},
    "gYear": {"type": "string", "pattern": "^-?[0-9]{4}$"},
    "gYearMonth": {"type": "string", "pattern": "^-?[0-9]{4}-[0-9]{2}$"},
    "hexBinary": {"type": "string", "pattern": "^([0-9a-fA-F]{2})*$"},
}
_WEAK_SEVERITIES = {SH.Warning, SH.Info}
_IRI_SCHEMA: JsonSchema = {"type": "string", "format": "iri"}


@dataclass(frozen=True)
class PropertySpec:
    """One key of an API object: the predicate it stands for and its value's shape."""

    key: str
    path: str
    kind: ValueKind
    many: bool
    required: bool
    schema: JsonSchema
    #: the XSD datatype of a literal, when the shapes name exactly one
    datatype: str | None = None
    #: the object a reference embeds (a participation in a project), when it has a schema
    embedded: ResourceSchema | None = None


@dataclass(frozen=True)
class ResourceSchema:
    """The JSON shape of one kind of API object (a project, an actor, …)."""

    name: str
    target_class: str
    properties: tuple[PropertySpec, ...] = field(default_factory=tuple)
    #: each class of the ontology to its strict super-classes: `@type` names only the
    #: most specific of an object's classes (the store holds the entailed ones too)
    super_classes: Mapping[str, frozenset[str]] = field(default_factory=dict, compare=False)

    def json_schema(self) -> JsonSchema:
        """The JSON Schema (2020-12) of the object, with `@id`, `@type` and `url`."""
        properties: dict[str, JsonSchema] = {
            "@id": {**_IRI_SCHEMA, "description": "the canonical IRI"},
            "@type": {
                "description": "the most specific classes (compact IRIs of the @context)",
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            },
            "url": {"type": "string", "description": "this server's page for the IRI"},
        }
        for spec in self.properties:
            properties[spec.key] = spec.schema
        required = ["@id", "@type", *(p.key for p in self.properties if p.required)]
        return {
            "title": self.name,
            "type": "object",
            "properties": properties,
            "required": required,
        }

    def embedding_chains(self) -> list[tuple[str, ...]]:
        """Each chain of predicates from this object to an object it embeds, at any
        depth (a schema is a tree: the shapes' sh:node links are followed once each)."""
        chains: list[tuple[str, ...]] = []
        for spec in self.properties:
            if spec.embedded is not None:
                chains.append((spec.path,))
                chains += [(spec.path, *rest) for rest in spec.embedded.embedding_chains()]
        return list(dict.fromkeys(chains))


@dataclass(frozen=True)
class ApiSchemas:
    """The schemas of the API's collections, by name (Project, Actor, Funding, Concept)."""

    resources: Mapping[str, ResourceSchema]

    def __getitem__(self, name: str) -> ResourceSchema:
        return self.resources[name]


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _values(shapes: Graph, node: Node, predicate: URIRef) -> list[Node]:
    return list(shapes.objects(node, predicate))


def _one(shapes: Graph, node: Node, predicate: URIRef) -> Node | None:
    found = _values(shapes, node, predicate)
    return found[0] if found else None


def _int(shapes: Graph, node: Node, predicate: URIRef) -> int | None:
    value = _one(shapes, node, predicate)
    return int(value) if isinstance(value, RdfLiteral) else None


def _list(shapes: Graph, node: Node | None) -> list[Node]:
    return list(Collection(shapes, node)) if node is not None else []


def _datatype_schema(datatype: str) -> JsonSchema:
    local = datatype[len(_XSD) :] if datatype.startswith(_XSD) else ""
    if local in _INTEGERS:
        return {"type": "integer"}
    if local in _NUMBERS:
        return {"type": "number"}
    if local == "boolean":
        return {"type": "boolean"}
    return dict(_STRING_FORMATS.get(local, {"type": "string"}))


def _literal_value(node: Node) -> object:
    value = node.toPython() if isinstance(node, RdfLiteral) else str(node)
    return value if isinstance(value, str | int | float | bool) else str(value)


def _reference_schema(pattern: str | None) -> JsonSchema:
    identifier = {**_IRI_SCHEMA, "pattern": pattern} if pattern else dict(_IRI_SCHEMA)
    return {
        "type": "object",
        "properties": {
            "@id": identifier,
            "url": {"type": "string"},
            "prefLabel": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "required": ["@id"],
    }


@dataclass
class _Facts:
    """What the property shapes of one path say, merged."""

    path: str
    required: bool = False
    single: bool = False
    absent: bool = False
    languages: set[str] = field(default_factory=set)
    required_languages: set[str] = field(default_factory=set)
    unique_language: bool = False
    language: bool = False
    datatypes: list[str] = field(default_factory=list)
    reference: bool = False
    classes: list[str] = field(default_factory=list)
    constraints: JsonSchema = field(default_factory=dict)


def _read_property(shapes: Graph, shape: Node, facts: _Facts, *, base: bool) -> None:
    strong = _one(shapes, shape, SH.severity) not in _WEAK_SEVERITIES
    min_count = _int(shapes, shape, SH.minCount) or 0
    max_count = _int(shapes, shape, SH.maxCount)
    facts.required |= base and strong and min_count >= 1
    facts.single |= max_count == 1
    facts.absent |= max_count == 0
    languages = [str(v) for v in _list(shapes, _one(shapes, shape, SH.languageIn))]
    facts.languages |= set(languages)
    facts.language |= bool(languages) or _one(shapes, shape, SH.uniqueLang) is not None
    facts.unique_language |= str(_one(shapes, shape, SH.uniqueLang)) == "true"
    qualified = _one(shapes, shape, SH.qualifiedValueShape)
    if qualified is not None:
        wanted = [str(v) for v in _list(shapes, _one(shapes, qualified, SH.languageIn))]
        facts.language |= bool(wanted)
        if base and strong and (_int(shapes, shape, SH.qualifiedMinCount) or 0) >= 1:
            facts.required = True
            facts.required_languages |= set(wanted)
    alternatives = _list(shapes, _one(shapes, shape, SH["or"]))
    for member in [shape, *alternatives]:
        for datatype in _values(shapes, member, SH.datatype):
            if str(datatype) == _LANG_STRING:
                facts.language = True
            elif str(datatype) not in facts.datatypes:
                facts.datatypes.append(str(datatype))
        classes = [str(c) for c in _values(shapes, member, SH["class"])]
        facts.classes += [c for c in classes if c not in facts.classes]
        kind = _one(shapes, member, SH.nodeKind)
        facts.reference |= bool(classes) or kind in (SH.IRI, SH.BlankNodeOrIRI)
        facts.reference |= _one(shapes, member, SH.node) is not None
    enumeration = _list(shapes, _one(shapes, shape, SH["in"]))
    if enumeration:
        facts.constraints["enum"] = [_literal_value(v) for v in enumeration]
        # a set of triples holds a value once: one allowed value means at most one
        facts.single |= len(enumeration) == 1
        facts.reference |= all(isinstance(v, URIRef) for v in enumeration)
    for predicate, keyword in (
        (SH.pattern, "pattern"),
        (SH.minInclusive, "minimum"),
        (SH.minExclusive, "exclusiveMinimum"),
        (SH.maxInclusive, "maximum"),
        (SH.maxExclusive, "exclusiveMaximum"),
    ):
        value = _one(shapes, shape, predicate)
        if value is not None:
            facts.constraints[keyword] = _literal_value(value)


def _language_schema(facts: _Facts) -> JsonSchema:
    text: JsonSchema = {"type": "string"}
    value = (
        text
        if facts.unique_language
        else {"anyOf": [text, {"type": "array", "items": text, "minItems": 1}]}
    )
    schema: JsonSchema = {
        "type": "object",
        "description": "a JSON-LD language map: language tag -> text",
        "additionalProperties": value,
    }
    if facts.languages:
        schema["propertyNames"] = {"enum": sorted(facts.languages)}
    if facts.required_languages:
        schema["required"] = sorted(facts.required_languages)
    return schema


def _value_schema(
    facts: _Facts, embed: Mapping[str, ResourceSchema]
) -> tuple[ValueKind, JsonSchema, ResourceSchema | None]:
    if facts.language:
        return "language", _language_schema(facts), None
    constraints = dict(facts.constraints)
    if facts.reference:
        embedded = next((embed[c] for c in facts.classes if c in embed), None)
        if embedded is not None:
            return "reference", embedded.json_schema(), embedded
        pattern = constraints.get("pattern")
        return "reference", _reference_schema(pattern if isinstance(pattern, str) else None), None
    if facts.datatypes:
        options = [_datatype_schema(d) for d in facts.datatypes]
        base = options[0] if len(options) == 1 else {"anyOf": options}
        numeric = all(o.get("type") in ("number", "integer") for o in options)
        kept = {k: v for k, v in constraints.items() if numeric or k in ("enum", "pattern")}
        return "literal", {**base, **kept}, None
    enumeration = constraints.get("enum")
    if isinstance(enumeration, list) and all(isinstance(v, str) for v in enumeration):
        return "literal", {"type": "string", **constraints}, None
    if "enum" in constraints or "pattern" in constraints:
        literal: JsonSchema = {"type": "string", **constraints}
        pattern = constraints.get("pattern")
        either = [literal, _reference_schema(pattern if isinstance(pattern, str) else None)]
        return "any", {"anyOf": either}, None
    return (
        "any",
        {"anyOf": [_reference_schema(None), {"type": ["string", "number", "boolean"]}]},
        None,
    )


def _node_shapes(shapes: Graph, target: str) -> list[Node]:
    return [
        s
        for s in shapes.subjects(SH.targetClass, URIRef(target))
        if str(_one(shapes, s, SH.deactivated)) != "true"
    ]


def resource_schema(
    shapes: Graph,
    *,
    name: str,
    target_class: str,
    subclasses: Sequence[str] = (),
    embed: Mapping[str, ResourceSchema] | None = None,
    super_classes: Mapping[str, frozenset[str]] | None = None,
) -> ResourceSchema:
    """The schema of the objects of `target_class` (see the module docstring);
    `embed` maps a class IRI to the schema of objects embedded where a property's
    sh:class names it. Raises ConfigurationError when no shape targets the class."""
    base_shapes = _node_shapes(shapes, target_class)
    if not base_shapes:
        raise ConfigurationError(f"no SHACL node shape targets {target_class}")
    merged: dict[str, _Facts] = {}
    plan = [(s, True) for s in base_shapes]
    plan += [(s, False) for c in subclasses for s in _node_shapes(shapes, c) if c != target_class]
    for node_shape, base in plan:
        for shape in _values(shapes, node_shape, SH.property):
            step = _one(shapes, shape, SH.path)
            if not isinstance(step, URIRef) or str(_one(shapes, shape, SH.deactivated)) == "true":
                continue  # inverse and alternative paths have no key (module docstring)
            facts = merged.setdefault(str(step), _Facts(str(step)))
            _read_property(shapes, shape, facts, base=base)
    properties: list[PropertySpec] = []
    keys: dict[str, str] = {}
    for path, facts in merged.items():
        if facts.absent:
            continue
        key = _local_name(path)
        if keys.setdefault(key, path) != path:
            raise ConfigurationError(
                f"{name}: the paths <{keys[key]}> and <{path}> would both be the key {key!r}"
            )
        kind, value, embedded = _value_schema(facts, embed or {})
        many = not facts.single and kind != "language"
        schema: JsonSchema = {"type": "array", "items": value} if many else value
        datatype = facts.datatypes[0] if kind == "literal" and len(facts.datatypes) == 1 else None
        properties.append(
            PropertySpec(key, path, kind, many, facts.required, schema, datatype, embedded)
        )
    return ResourceSchema(
        name=name,
        target_class=target_class,
        properties=tuple(properties),
        super_classes=super_classes or {},
    )


def json_ld_context(
    schemas: Sequence[ResourceSchema], *, prefixes: Mapping[str, str]
) -> dict[str, object]:
    """The JSON-LD @context for objects of `schemas` (embedded ones included): every
    key to its IRI (language maps, IRI references and typed strings as such), our
    ontology as @vocab (so `"@type": "Project"` is kg:Project), and those `prefixes`
    whose name is no key (`role:` would stand for the key `role`)."""
    terms: dict[str, object] = {"@vocab": prefixes.get("kg", str(KG))}
    terms["url"] = {"@id": str(SCHEMA.url), "@type": "@id"}
    pending = list(schemas)
    seen: dict[str, str] = {}
    while pending:
        schema = pending.pop(0)
        for spec in schema.properties:
            if seen.setdefault(spec.key, spec.path) != spec.path:
                raise ConfigurationError(
                    f"the key {spec.key!r} stands for both <{seen[spec.key]}> and <{spec.path}>"
                )
            terms[spec.key] = _term_definition(spec)
            if spec.embedded is not None:
                pending.append(spec.embedded)
    terms.update({name: iri for name, iri in prefixes.items() if name not in terms})
    return terms


def _term_definition(spec: PropertySpec) -> object:
    if spec.kind == "language":
        return {"@id": spec.path, "@container": "@language"}
    if spec.kind == "reference":
        return {"@id": spec.path, "@type": "@id"}
    textual = spec.datatype and _datatype_schema(spec.datatype).get("type") == "string"
    if textual and spec.datatype != str(XSD.string):
        return {"@id": spec.path, "@type": spec.datatype}
    return {"@id": spec.path}
