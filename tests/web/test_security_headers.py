"""Security headers: on every response, and a content security policy on every page."""

from __future__ import annotations

from tests.web.conftest import AppClient


def test_every_response_says_nosniff_and_no_referrer(client: AppClient) -> None:
    for response in (
        client.get("/sparql", params={"query": "ASK {}"}),
        client.get("/healthz"),
        client.get("/no/such/page"),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "content-security-policy" not in response.headers  # not a page


def test_every_page_has_a_policy_that_forbids_framing(client: AppClient) -> None:
    page = client.get("/sparql", headers={"accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"


def test_a_refused_cors_preflight_answers_a_problem() -> None:
    from tests.web.conftest import serve

    strict = serve(cors_origins=["https://allowed.example"])
    try:
        response = strict.request(
            "OPTIONS",
            "/sparql",
            headers={"origin": "https://evil.example", "access-control-request-method": "GET"},
        )
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == 400 and problem["type"].endswith("/problems/cors-refused")
        assert "origin" in problem["detail"]
        allowed = strict.request(
            "OPTIONS",
            "/sparql",
            headers={"origin": "https://allowed.example", "access-control-request-method": "GET"},
        )
        assert allowed.status_code == 200
    finally:
        strict.close()
