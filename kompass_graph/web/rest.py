"""The REST API, one router: collections, stored queries, OpenAPI and its docs page.

api_collections.py  /api/projects, /api/actors, /api/fundings, /api/concepts, context
api_queries.py      /api/queries and one operation per stored query
openapi.py          /openapi.json, with schemas generated from the SHACL shapes
api_docs.py         /docs, rendered from the OpenAPI document (no CDN)
"""

from __future__ import annotations

from fastapi import APIRouter

from kompass_graph.web import api_collections, api_docs, api_queries, openapi

__all__ = ["router"]

router = APIRouter()
router.include_router(api_collections.router)
router.include_router(api_queries.router)
router.include_router(openapi.router)
router.include_router(api_docs.router)
