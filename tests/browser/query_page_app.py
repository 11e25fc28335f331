"""A small app for the query page's browser test, run by uvicorn as a real process.

It serves the page and assets through the two functions of kompass_graph.web.ui, and
answers SPARQL SELECT queries POSTed to /sparql from pyoxigraph over a fixture graph:
just enough endpoint for the page, independent of the real server's progress.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from kompass_graph.settings import Settings
from kompass_graph.web.ui import mount_ui_assets, read_example_queries, render_query_page

FIXTURES = Path(__file__).resolve().parent.parent / "web" / "fixtures" / "ui"


def create_app() -> FastAPI:
    store = pyoxigraph.Store()
    store.load(path=str(FIXTURES / "data.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    examples = read_example_queries(sorted((FIXTURES / "sparql").glob("*.rq")))
    settings = Settings()
    app = FastAPI()
    mount_ui_assets(app)

    @app.get("/sparql", response_class=HTMLResponse)
    def query_page(request: Request) -> HTMLResponse:
        if "text/html" not in request.headers.get("accept", ""):
            return HTMLResponse("this fixture serves only the page", status_code=406)
        return HTMLResponse(render_query_page(settings, examples=examples))

    @app.post("/sparql")
    async def run_query(request: Request) -> Response:
        # The page POSTs application/x-www-form-urlencoded, as the SPARQL protocol says.
        form = parse_qs((await request.body()).decode("utf-8"))
        query = form.get("query", [""])[0]
        try:
            results = store.query(query)
        except SyntaxError as error:
            return Response(str(error), status_code=400, media_type="text/plain")
        if not isinstance(results, pyoxigraph.QuerySolutions):
            return Response("this fixture answers SELECT only", status_code=400)
        body = results.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json")

    return app
