"""The JSON Schemas generated from SHACL shapes: each rule on a small fixture, then the
project's own shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from rdflib import Graph

from kompass_graph.errors import ConfigurationError
from kompass_graph.linked_data.api_schemas import project_schemas
from kompass_graph.linked_data.shape_schemas import json_ld_context, resource_schema
from kompass_graph.settings import Settings

EX = "http://example.org/"
SHAPES = Graph().parse(Path(__file__).parent / "fixtures" / "shapes.ttl", format="turtle")
IRI = {"type": "string", "format": "iri"}
REFERENCE = {
    "type": "object",
    "properties": {
        "@id": IRI,
        "url": {"type": "string"},
        "prefLabel": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": ["@id"],
}


def thing(**options: object) -> dict[str, object]:
    schema = resource_schema(SHAPES, name="Thing", target_class=EX + "Thing", **options)  # type: ignore[arg-type]
    return schema.json_schema()


def test_every_rule_of_the_generator() -> None:
    schema = thing()
    properties = schema["properties"]
    assert isinstance(properties, dict)
    assert set(properties) == {
        "@id", "@type", "url", "label", "count", "tag", "part", "weak", "colour", "when", "share",
    }  # fmt: skip
    assert properties["label"] == {
        "type": "object",
        "description": "a JSON-LD language map: language tag -> text",
        "additionalProperties": {"type": "string"},
        "propertyNames": {"enum": ["de", "en"]},
        "required": ["de"],
    }
    assert properties["count"] == {"type": "integer"}
    assert properties["tag"] == {"type": "array", "items": {"type": "string"}}
    assert properties["part"] == REFERENCE
    assert properties["weak"] == {"type": "array", "items": REFERENCE}
    assert properties["colour"] == {
        "type": "array",
        "items": {"type": "string", "enum": ["red", "green"]},
    }
    assert properties["when"] == {
        "anyOf": [
            {"type": "string", "format": "date"},
            {"type": "string", "pattern": "^-?[0-9]{4}$"},
        ]
    }
    assert properties["share"] == {"type": "number", "exclusiveMinimum": 0, "maximum": 1}
    # a warning does not make a key required; maxCount 0 and an inverse path give none
    assert schema["required"] == ["@id", "@type", "label", "count"]


def test_a_sub_class_adds_optional_keys_and_a_class_with_a_schema_is_embedded() -> None:
    part = resource_schema(SHAPES, name="Part", target_class=EX + "Part")
    schema = thing(subclasses=[EX + "SpecialThing"], embed={EX + "Part": part})
    properties = schema["properties"]
    assert isinstance(properties, dict)
    assert properties["extra"] == {"type": "boolean"}
    assert "extra" not in schema["required"]  # type: ignore[operator]
    assert properties["part"] == part.json_schema()


def test_a_valid_object_passes_and_a_broken_one_fails() -> None:
    validator = Draft202012Validator(thing())
    good = {"@id": EX + "t", "@type": "Thing", "label": {"de": "Ding"}, "count": 2,
            "share": 0.5, "colour": ["red"], "part": {"@id": EX + "p"}}  # fmt: skip
    assert list(validator.iter_errors(good)) == []
    for broken in (
        {**good, "count": "2"},
        {**good, "label": {"en": "thing"}},
        {**good, "label": {"fr": "chose", "de": "Ding"}},
        {**good, "share": 0},
        {**good, "colour": ["blue"]},
        {**good, "part": {"url": "/p"}},
        {k: v for k, v in good.items() if k != "count"},
    ):
        assert list(validator.iter_errors(broken)), broken


def test_two_paths_with_one_local_name_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="'name'"):
        resource_schema(SHAPES, name="Clash", target_class=EX + "Clash")


def test_a_class_without_a_shape_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="no SHACL node shape targets"):
        resource_schema(SHAPES, name="None", target_class=EX + "Nothing")


def test_the_context_maps_every_key_to_its_iri() -> None:
    part = resource_schema(SHAPES, name="Part", target_class=EX + "Part")
    schema = resource_schema(
        SHAPES, name="Thing", target_class=EX + "Thing", embed={EX + "Part": part}
    )
    context = json_ld_context([schema], prefixes={"kg": EX + "vocab#", "part": EX + "p/"})
    assert context["@vocab"] == EX + "vocab#"
    assert context["label"] == {"@id": EX + "label", "@container": "@language"}
    assert context["part"] == {"@id": EX + "part", "@type": "@id"}  # the key wins over the prefix
    assert context["count"] == {"@id": EX + "count"}
    assert context["size"] == {"@id": EX + "size"}  # from the embedded Part
    assert context["kg"] == EX + "vocab#"


def test_the_project_shapes_give_the_api_schemas() -> None:
    schemas = project_schemas(Settings())
    assert set(schemas.resources) == {"Project", "Actor", "Funding", "Concept"}
    project = schemas["Project"].json_schema()
    assert project["required"] == ["@id", "@type", "prefLabel"]
    properties = project["properties"]
    assert isinstance(properties, dict)
    assert properties["prefLabel"]["required"] == ["de"]
    assert properties["hasParticipation"]["items"]["title"] == "Participation"
    funding = schemas["Funding"].json_schema()
    assert funding["required"] == ["@id", "@type", "funder", "fundedProject"]
    assert funding["properties"]["share"] == {  # type: ignore[index]
        "type": "number", "exclusiveMinimum": 0, "maximum": 1,
    }  # fmt: skip
    actor_keys = {spec.key for spec in schemas["Actor"].properties}
    assert {"prefLabel", "exactMatch", "ags", "unitOf", "name"} <= actor_keys
