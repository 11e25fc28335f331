"""/docs: the REST API's documentation as a page of our own, from the OpenAPI document.

FastAPI's Swagger UI loads its script from a CDN, which our Content-Security-Policy
forbids (and a linked-data server should work offline); vendoring it would add a
large bundle to keep up to date for a dozen read-only operations. So the page is one
autoescaped template (templates/api_docs.html) over /openapi.json: every operation,
its parameters, an example request that works against the served data, and its
response.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from kompass_graph.web import ui
from kompass_graph.web.openapi import api_document
from kompass_graph.web.state import app_state

__all__ = [
    "DOCS_PATH",
    "DocumentedOperation",
    "DocumentedParameter",
    "documented_operations",
    "router",
]

DOCS_PATH = "/docs"
#: an example response longer than this many lines is cut (the page stays readable)
_EXAMPLE_LINES = 60

router = APIRouter()


@dataclass(frozen=True)
class DocumentedParameter:
    name: str
    where: str
    type: str
    required: bool
    description: str
    default: object
    example: object


@dataclass(frozen=True)
class DocumentedOperation:
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[DocumentedParameter]
    media_types: list[str]
    example_url: str | None
    example_response: str | None


def _type_of(schema: Mapping[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"] if s.get("type") != "null")
    kind = str(schema.get("type", "string"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _parameter(parameter: Mapping[str, Any]) -> DocumentedParameter:
    schema = parameter.get("schema", {})
    examples = parameter.get("examples") or schema.get("examples") or [None]
    return DocumentedParameter(
        name=parameter["name"],
        where=parameter.get("in", "query"),
        type=_type_of(schema),
        required=bool(parameter.get("required")),
        description=parameter.get("description", ""),
        default=schema.get("default"),
        example=examples[0] if isinstance(examples, list) else None,
    )


def _shown(example: object) -> str | None:
    if example is None:
        return None
    lines = json.dumps(example, ensure_ascii=False, indent=2).splitlines()
    if len(lines) > _EXAMPLE_LINES:
        lines = [*lines[:_EXAMPLE_LINES], "  …"]
    return "\n".join(lines)


def documented_operations(document: Mapping[str, Any]) -> list[DocumentedOperation]:
    found = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        content = operation.get("responses", {}).get("200", {}).get("content", {})
        example = content.get("application/json", {}).get("example")
        found.append(
            DocumentedOperation(
                path=path,
                anchor=re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-"),
                summary=operation.get("summary", ""),
                description=operation.get("description", ""),
                parameters=[_parameter(p) for p in operation.get("parameters", [])],
                media_types=list(content) or ["application/json"],
                example_url=operation.get("x-example-url"),
                example_response=_shown(example),
            )
        )
    return found


@router.get(DOCS_PATH, include_in_schema=False)
async def _docs_page(request: Request) -> HTMLResponse:
    document = await api_document(request.app, app_state(request))
    page = (
        ui.page_templates()
        .get_template("api_docs.html")
        .render(
            title="REST API",
            lang="en",
            stylesheet=ui.asset_url("pages.css"),
            document=document["info"],
            operations=documented_operations(document),
        )
    )
    return HTMLResponse(page)
