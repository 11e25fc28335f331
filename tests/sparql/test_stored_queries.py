"""Every stored query in sparql/ runs over ontology + data and returns its exact answer.

The answers are the 13 questions of issue 2, as the source page states them. Each query
runs through the same entry point as `kompass-graph query` (`run_query`, JSON results);
the rows are compared in full and in order (every query has an ORDER BY), term by term:
IRIs as prefixed names, literals with their language tag or datatype.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from kompass_graph.cli import main
from kompass_graph.cli.query import run_query
from kompass_graph.errors import QuerySyntaxError
from kompass_graph.queries import load_stored_queries, project_queries
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files
from kompass_graph.web.ui import build_query_page

ROOT = Path(__file__).resolve().parents[2]

#: namespaces used to write the expected terms below (longest match wins)
PREFIXES = {
    "kg": "https://w3id.org/kompass-graph/ontology#",
    "actor": "https://w3id.org/kompass-graph/id/actor/",
    "project": "https://w3id.org/kompass-graph/id/project/",
    "funding": "https://w3id.org/kompass-graph/id/funding/",
    "participation": "https://w3id.org/kompass-graph/id/participation/",
    "membership": "https://w3id.org/kompass-graph/id/membership/",
    "network": "https://w3id.org/kompass-graph/id/network/",
    "measure": "https://w3id.org/kompass-graph/id/measure/",
    "person": "https://w3id.org/kompass-graph/id/person/",
    "source": "https://w3id.org/kompass-graph/id/source/",
    "refsource": "https://w3id.org/kompass-graph/id/reference-source/",
    "srcgraph": "https://w3id.org/kompass-graph/graph/source/",
    "edgraph": "https://w3id.org/kompass-graph/graph/editorial/",
    "intgraph": "https://w3id.org/kompass-graph/graph/interpretation/",
    "refgraph": "https://w3id.org/kompass-graph/graph/reference/",
    "graphkind": "https://w3id.org/kompass-graph/concept/graph-kind/",
    "role": "https://w3id.org/kompass-graph/concept/role/",
    "goal": "https://w3id.org/kompass-graph/concept/goal/",
    "partner": "https://w3id.org/kompass-graph/concept/partner-category/",
    "area": "https://w3id.org/kompass-graph/concept/support-area/",
    "support": "https://w3id.org/kompass-graph/concept/support-type/",
    "org": "http://www.w3.org/ns/org#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

IKOE = "project:interkulturelle-oeffnung-der-verwaltung-als-chance"
ABH = "project:auslaenderbehoerden-willkommensbehoerden"
SOURCE = "source:integrationskompass-modellprojekt-bamf-kommunen"
SOURCE_TITLE = '"Modellprojekt BAMF - Kommunen"@de'
#: the named graphs of the page's own statements, the editors' additions, the readings
STATED = "srcgraph:modellprojekt-bamf-kommunen"
EDITORIAL = "edgraph:modellprojekt-bamf-kommunen"
INTERPRETATION = "intgraph:modellprojekt-bamf-kommunen"
SOURCE_PAGE = (
    "<http://integrationskompass.de/hmdj/home/Interkultuelle-Oeffnung/"
    "Interkulturelle-Oeffnung-der-kommunalen/~car/Modellprojekt-BAMF-Kommunen/>"
)
#: the columns of 12-provenance that name the page as the source
PAGE_COLUMNS = (SOURCE, "kg:SourceDocument", SOURCE_TITLE, SOURCE_PAGE)
OUTCOME = (
    '"Aus der Analyse und den Erfolgen der Projektarbeit Musterprozesse ableiten, die es '
    "anderen Behörden ermöglichen, die erreichten Erfolge einer aktiven Willkommenskultur "
    'auch für sich umzusetzen."@de'
)
NETWORK = "network:hessisches-netzwerk-auslaenderbehoerden"
NETWORK_LABEL = (
    '"Hessisches Netzwerk der übrigen Bewerber '
    '(Ausländerbehörden \N{EN DASH} Willkommensbehörden)"@de'
)
NETWORK_MEMBERS = '"die übrigen hessischen Bewerber für das Projekt"@de'
GROUP = "network:projektgruppe-hessisches-netzwerk"
GROUP_LABEL = '"Projektgruppe zur Begleitung des hessischen Netzwerks"@de'
BAMF_LABEL = '"Bundesamt für Migration und Flüchtlinge"@de'

Row = tuple[str | None, ...]


def term(binding: dict[str, str]) -> str:
    """One SPARQL JSON term as text: a prefixed name, an <IRI>, or a literal with tag/type."""
    value = binding["value"]
    if binding["type"] == "uri":
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if value.startswith(namespace):
                return f"{prefix}:{value[len(namespace) :]}"
        return f"<{value}>"
    if binding["type"] == "bnode":
        return f"_:{value}"
    literal = json.dumps(value, ensure_ascii=False)
    if "xml:lang" in binding:
        return f"{literal}@{binding['xml:lang']}"
    if "datatype" in binding:
        return f"{literal}^^{term({'type': 'uri', 'value': binding['datatype']})}"
    return literal


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(project_root=ROOT)


def run(
    settings: Settings,
    name: str,
    params: Sequence[str] = (),
    extra_data: Sequence[Path] = (),
) -> tuple[list[str], list[Row]]:
    """The query's columns and rows, each row a tuple of terms (None where unbound)."""
    document = json.loads(
        run_query(settings, name, params=list(params), extra_data=list(extra_data), fmt="json")
    )
    columns: list[str] = document["head"]["vars"]
    rows = [
        tuple(term(b[column]) if column in b else None for column in columns)
        for b in document["results"]["bindings"]
    ]
    return columns, rows


def stored_query_names() -> list[str]:
    return sorted(load_stored_queries(find_project_files(ROOT).queries))


#: query name → (columns, rows): the exact answer over the project's ontology + data
EXPECTED: dict[str, tuple[list[str], list[Row]]] = {
    "01-participating-municipalities": (
        ["project", "municipality", "municipalityLabel", "role", "roleLabel", "ags"],
        [
            (
                IKOE,
                "actor:dietzenbach",
                '"Dietzenbach"@de',
                "role:participant",
                '"Teilnehmer"@de',
                '"06438001"',
            ),
            (
                IKOE,
                "actor:floersheim-am-main",
                '"Flörsheim am Main"@de',
                "role:participant",
                '"Teilnehmer"@de',
                '"06436004"',
            ),
            (
                IKOE,
                "actor:giessen",
                '"Gießen"@de',
                "role:participant",
                '"Teilnehmer"@de',
                '"06531005"',
            ),
            (
                IKOE,
                "actor:moerfelden-walldorf",
                '"Mörfelden-Walldorf"@de',
                "role:participant",
                '"Teilnehmer"@de',
                '"06433008"',
            ),
            (
                IKOE,
                "actor:muehlheim-am-main",
                '"Mühlheim am Main"@de',
                "role:participant",
                '"Teilnehmer"@de',
                '"06438008"',
            ),
        ],
    ),
    "02-commissioning-body-and-heading": (
        [
            "project",
            "commissioningBody",
            "commissioningBodyLabel",
            "commissioningBodyShortName",
            "document",
            "heading",
        ],
        [(IKOE, "actor:bamf", BAMF_LABEL, '"BAMF"@de', SOURCE, SOURCE_TITLE)],
    ),
    "03-co-financing-share": (
        ["project", "funding", "funder", "funderLabel", "funderShortName", "share", "sharePercent"],
        [
            (
                IKOE,
                "funding:ikoe-eif",
                "actor:eif",
                '"Europäischer Integrationsfonds"@de',
                '"EIF"@de',
                '"0.5"^^xsd:decimal',
                '"50"^^xsd:decimal',
            ),
        ],
    ),
    "04-state-contribution": (
        [
            "project",
            "funding",
            "funder",
            "funderLabel",
            "amount",
            "currency",
            "approximate",
            "year",
            "startDate",
            "statedAs",
        ],
        [
            (
                IKOE,
                "funding:ikoe-hessische-landesregierung",
                "actor:hessische-landesregierung",
                '"Hessische Landesregierung"@de',
                '"104000"^^xsd:decimal',
                '"EUR"',
                '"true"^^xsd:boolean',
                '"2013"^^xsd:gYear',
                None,
                '"insgesamt rund 104.000 Euro"@de',
            ),
        ],
    ),
    "05-project-goals": (
        ["project", "goal", "goalLabel", "goalLabelEn"],
        [
            (
                IKOE,
                "goal:removing-access-barriers",
                '"Abbau von Zugangsbarrieren"@de',
                '"removing access barriers"@en',
            ),
            (
                IKOE,
                "goal:involvement-of-local-actors",
                '"Beteiligung lokaler Akteure"@de',
                '"involvement of local actors"@en',
            ),
            (
                IKOE,
                "goal:new-access-routes",
                '"Erarbeitung bzw. Erprobung neuer Zugangswege zu den kommunalen Angeboten"@de',
                '"developing and testing new access routes to municipal services"@en',
            ),
            (
                IKOE,
                "goal:more-staff-with-migration-background",
                '"Erhöhung des Mitarbeiteranteils mit Migrationshintergrund"@de',
                '"more staff with a migration background"@en',
            ),
            (
                IKOE,
                "goal:intercultural-opening",
                '"Interkulturelle Öffnungsprozesse anstoßen und umsetzen"@de',
                '"initiating and implementing intercultural opening"@en',
            ),
            (
                IKOE,
                "goal:organisational-and-staff-development",
                '"Organisations- und Personalentwicklung, die der Vielfalt Rechnung trägt"@de',
                '"organisational and staff development that takes account of diversity"@en',
            ),
            (
                IKOE,
                "goal:sensitisation-and-intercultural-training",
                '"Sensibilisierung und interkulturelle Schulung der Führungskräfte und der '
                'Mitarbeiterschaft"@de',
                '"sensitisation and intercultural training of managers and staff"@en',
            ),
            (
                IKOE,
                "goal:participation-of-all-groups",
                '"Teilhabe aller Bevölkerungsgruppen sicherstellen"@de',
                '"ensuring the participation of all population groups"@en',
            ),
            (
                IKOE,
                "goal:welcome-culture",
                '"Willkommenskultur etablieren"@de',
                '"establishing a welcome culture"@en',
            ),
        ],
    ),
    "06-local-partners-and-state-support": (
        [
            "project",
            "aspect",
            "concept",
            "conceptLabel",
            "measure",
            "provider",
            "providerLabel",
            "description",
        ],
        [
            (
                IKOE,
                '"partner category"',
                "partner:migrant-organisation",
                '"Migrantenorganisationen"@de',
                None,
                None,
                None,
                None,
            ),
            (
                IKOE,
                '"partner category"',
                "partner:association",
                '"Vereine"@de',
                None,
                None,
                None,
                None,
            ),
            (
                IKOE,
                '"partner category"',
                "partner:local-institution",
                '"lokale Institutionen"@de',
                None,
                None,
                None,
                None,
            ),
            (
                IKOE,
                '"support measure"',
                "support:networking-meetings",
                '"Vernetzungstreffen"@de',
                "measure:ikoe-vernetzungstreffen",
                "actor:hessische-landesregierung",
                '"Hessische Landesregierung"@de',
                '"Die Landesregierung begleitet die fünf Kommunen im Rahmen von '
                "Vernetzungstreffen, die insbesondere den Erfahrungsaustausch untereinander "
                'unterstützen."@de',
            ),
        ],
    ),
    "07-funder-and-start": (
        ["project", "funding", "funder", "funderLabel", "funderShortName", "startDate", "year"],
        [
            (
                ABH,
                "funding:abh-bamf",
                "actor:bamf",
                BAMF_LABEL,
                '"BAMF"@de',
                '"2013-10"^^xsd:gYearMonth',
                None,
            ),
        ],
    ),
    "08-support-areas-and-outcome": (
        ["project", "area", "areaLabel", "areaLabelEn", "intendedOutcome"],
        [
            (
                ABH,
                "area:staff-attitudes-and-competences",
                '"Haltungen, kommunikative Techniken und Kompetenzen des Personals"@de',
                '"attitudes, communication techniques and competences of staff"@en',
                OUTCOME,
            ),
            (
                ABH,
                "area:organisational-structure",
                '"Struktur der Organisation"@de',
                '"organisational structure"@en',
                OUTCOME,
            ),
            (
                ABH,
                "area:networking-with-institutions",
                '"Vernetzung mit anderen Institutionen"@de',
                '"networking with other institutions"@en',
                OUTCOME,
            ),
        ],
    ),
    "09-authorities-and-roles": (
        [
            "project",
            "authority",
            "authorityLabel",
            "role",
            "roleLabel",
            "body",
            "bodyLabel",
            "bodyKind",
            "officialKey",
            "unitOfKind",
        ],
        [
            (
                ABH,
                "actor:auslaenderbehoerde-kassel",
                '"Ausländerbehörde der Stadt Kassel"@de',
                "role:partner-authority",
                '"Partnerbehörde"@de',
                "actor:kassel",
                '"Kassel"@de',
                '"Kommune"@de',
                '"06611000"',
                "graphkind:interpretation",
            ),
            (
                ABH,
                "actor:auslaenderbehoerde-wiesbaden",
                '"Ausländerbehörde der Stadt Wiesbaden"@de',
                "role:partner-authority",
                '"Partnerbehörde"@de',
                "actor:wiesbaden",
                '"Wiesbaden"@de',
                '"Kommune"@de',
                '"06414000"',
                "graphkind:interpretation",
            ),
            (
                ABH,
                "actor:auslaenderbehoerde-wetteraukreis",
                '"Ausländerbehörde des Wetteraukreises"@de',
                "role:project-site",
                '"Projektstandort"@de',
                "actor:wetteraukreis",
                '"Wetteraukreis"@de',
                '"Landkreis"@de',
                '"06440"',
                "graphkind:interpretation",
            ),
        ],
    ),
    "10-network-and-project-group": (
        [
            "project",
            "network",
            "networkLabel",
            "networkMembers",
            "group",
            "groupLabel",
            "member",
            "memberLabel",
            "role",
            "roleLabel",
            "isLead",
        ],
        [
            (
                ABH,
                NETWORK,
                NETWORK_LABEL,
                NETWORK_MEMBERS,
                GROUP,
                GROUP_LABEL,
                "actor:hessisches-integrationsministerium",
                '"Hessisches Integrationsministerium"@de',
                "role:lead",
                '"federführend"@de',
                '"true"^^xsd:boolean',
            ),
            (
                ABH,
                NETWORK,
                NETWORK_LABEL,
                NETWORK_MEMBERS,
                GROUP,
                GROUP_LABEL,
                "actor:hessisches-innenministerium",
                '"Hessisches Innenministerium"@de',
                "role:group-member",
                '"Mitglied der Projektgruppe"@de',
                '"false"^^xsd:boolean',
            ),
            (
                ABH,
                NETWORK,
                NETWORK_LABEL,
                NETWORK_MEMBERS,
                GROUP,
                GROUP_LABEL,
                "actor:kommunale-spitzenverbaende-hessen",
                '"Kommunale Spitzenverbände in Hessen"@de',
                "role:group-member",
                '"Mitglied der Projektgruppe"@de',
                '"false"^^xsd:boolean',
            ),
        ],
    ),
    "11-contact-person": (
        ["person", "name", "organisation", "organisationLabel", "document", "documentTitle"],
        [
            (
                "person:banu-ruebeling",
                '"Banu Rübeling"',
                "actor:hmsi",
                '"Hessisches Ministerium für Soziales und Integration"@de',
                SOURCE,
                SOURCE_TITLE,
            ),
        ],
    ),
    "12-provenance": (
        [
            "node",
            "factClass",
            "graph",
            "graphKind",
            "source",
            "sourceClass",
            "sourceTitle",
            "sourcePage",
        ],
        [
            (f"{kind}:{local}", cls, graph, kind_of[graph], *PAGE_COLUMNS)
            for kind_of in [
                {
                    STATED: "graphkind:stated",
                    EDITORIAL: "graphkind:editorial",
                    INTERPRETATION: "graphkind:interpretation",
                }
            ]
            for cls, kind, local, graph in [
                ("org:Membership", "membership", "projektgruppe-innenministerium", STATED),
                ("org:Membership", "membership", "projektgruppe-integrationsministerium", STATED),
                (
                    "org:Membership",
                    "membership",
                    "projektgruppe-kommunale-spitzenverbaende",
                    STATED,
                ),
                ("kg:Funding", "funding", "abh-bamf", STATED),
                ("kg:Funding", "funding", "ikoe-eif", STATED),
                ("kg:Funding", "funding", "ikoe-hessische-landesregierung", INTERPRETATION),
                ("kg:Funding", "funding", "ikoe-hessische-landesregierung", STATED),
                ("kg:Participation", "participation", "abh-kassel", STATED),
                ("kg:Participation", "participation", "abh-wetteraukreis", STATED),
                ("kg:Participation", "participation", "abh-wiesbaden", STATED),
                ("kg:Participation", "participation", "ikoe-bamf", STATED),
                ("kg:Participation", "participation", "ikoe-dietzenbach", STATED),
                ("kg:Participation", "participation", "ikoe-floersheim-am-main", STATED),
                ("kg:Participation", "participation", "ikoe-giessen", STATED),
                ("kg:Participation", "participation", "ikoe-moerfelden-walldorf", STATED),
                ("kg:Participation", "participation", "ikoe-muehlheim-am-main", STATED),
                ("kg:Project", "project", ABH.split(":")[1], EDITORIAL),
                (
                    "kg:Project",
                    "project",
                    "auslaenderbehoerden-willkommensbehoerden",
                    INTERPRETATION,
                ),
                ("kg:Project", "project", ABH.split(":")[1], STATED),
                ("kg:Project", "project", IKOE.split(":")[1], EDITORIAL),
                ("kg:Project", "project", IKOE.split(":")[1], INTERPRETATION),
                ("kg:Project", "project", IKOE.split(":")[1], STATED),
            ]
        ],
    ),
    "13-actors-in-both-projects": (
        ["first", "second", "actor", "actorLabel", "project", "projectLabel", "role", "roleLabel"],
        [
            (
                IKOE,
                ABH,
                "actor:bamf",
                BAMF_LABEL,
                IKOE,
                '"Interkulturelle Öffnung der Verwaltung als Chance"@de',
                "role:commissioning-body",
                '"Auftraggeber"@de',
            ),
            (
                IKOE,
                ABH,
                "actor:bamf",
                BAMF_LABEL,
                ABH,
                '"Ausländerbehörden \N{EN DASH} Willkommensbehörden"@de',
                "role:funder",
                '"Geldgeber"@de',
            ),
        ],
    ),
}


def test_every_stored_query_has_an_expected_answer() -> None:
    """A new .rq file without an exact answer here fails, and so does a missing one."""
    assert stored_query_names() == sorted(EXPECTED)
    assert len(EXPECTED) == 13


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_stored_query_returns_the_exact_answer(settings: Settings, name: str) -> None:
    columns, rows = run(settings, name)
    expected_columns, expected_rows = EXPECTED[name]
    assert columns == expected_columns
    assert rows == expected_rows


def assert_answers_something(columns: list[str], rows: list[Row]) -> None:
    """At least one row, and no row that binds nothing but the parameters."""
    assert rows, "the query matched nothing"
    assert all(any(value is not None for value in row) for row in rows)


@pytest.mark.parametrize("name", stored_query_names())
def test_stored_query_answer_is_not_empty(settings: Settings, name: str) -> None:
    assert_answers_something(*run(settings, name))


def test_a_query_that_matches_nothing_fails_the_emptiness_check(settings: Settings) -> None:
    columns, rows = run(settings, "01-participating-municipalities", ["project=<urn:x:none>"])
    with pytest.raises(AssertionError, match="matched nothing"):
        assert_answers_something(columns, rows)


# --- parameters -------------------------------------------------------------------------


def parameters_of_stored_queries() -> list[tuple[str, str]]:
    queries = load_stored_queries(find_project_files(ROOT).queries)
    return [(name, p.name) for name, q in sorted(queries.items()) for p in q.parameters]


@pytest.mark.parametrize(("name", "parameter"), parameters_of_stored_queries())
def test_every_declared_parameter_can_be_bound(
    settings: Settings, name: str, parameter: str
) -> None:
    """Oxigraph substitutes only variables the SELECT projects; a parameter that is not
    projected would fail here, not in a user's hands."""
    columns, _ = run(settings, name, [f"{parameter}=<urn:x:none>"])
    assert parameter in columns


def test_provenance_of_a_given_fact_node(settings: Settings) -> None:
    _, rows = run(settings, "12-provenance", ["node=funding:ikoe-eif"])
    assert rows == [("funding:ikoe-eif", "kg:Funding", STATED, "graphkind:stated", *PAGE_COLUMNS)]


def test_provenance_tells_the_page_from_the_reference_sources_per_statement(
    settings: Settings,
) -> None:
    """Gießen is named by the page; its keys, district and English name come from
    reference sources: each graph that says something about it is listed with its source."""
    _, rows = run(settings, "12-provenance", ["node=actor:giessen"])
    assert [(graph, kind, source) for _, _, graph, kind, source, *_ in rows] == [
        ("refgraph:github-index-file-66905319294", "graphkind:reference",
         "refsource:github-index-file-66905319294"),
        ("refgraph:profilbaru-com-giessen", "graphkind:reference",
         "refsource:profilbaru-com-giessen"),
        ("refgraph:wikipedia-de-nina-az-giessen", "graphkind:reference",
         "refsource:wikipedia-de-nina-az-giessen"),
        (STATED, "graphkind:stated", SOURCE),
    ]  # fmt: skip


def test_provenance_of_an_identifier_names_its_reference_sources(settings: Settings) -> None:
    identifier = "https://w3id.org/kompass-graph/id/identifier/ags-06436004"
    academic = ("refsource:de-academic-com-319306", "kg:ReferenceSource", None)
    defzone = ("refsource:defzone-net-floersheim-am-main", "kg:ReferenceSource", None)
    _, rows = run(settings, "12-provenance", [f"node=<{identifier}>"])
    assert rows == [
        # the identifier node itself names both pages its value was read on …
        (f"<{identifier}>", None, None, None, *academic,
         "<https://de-academic.com/dic.nsf/dewiki/319306>"),
        (f"<{identifier}>", None, None, None, *defzone,
         "<https://defzone.net/wiki/de/Flörsheim_am_Main>"),
        # … and its statements stand in the graph of the first
        (f"<{identifier}>", None, "refgraph:defzone-net-floersheim-am-main",
         "graphkind:reference", *defzone, "<https://defzone.net/wiki/de/Flörsheim_am_Main>"),
    ]  # fmt: skip


def test_the_project_parameter_selects_another_project(settings: Settings) -> None:
    _, rows = run(settings, "07-funder-and-start", [f"project={IKOE}"])
    assert [(row[2], row[5], row[6]) for row in rows] == [
        ("actor:eif", None, None),
        ("actor:hessische-landesregierung", None, '"2013"^^xsd:gYear'),
    ]


def test_both_projects_in_the_other_order(settings: Settings) -> None:
    _, rows = run(settings, "13-actors-in-both-projects", [f"first={ABH}", f"second={IKOE}"])
    assert [(row[2], row[4], row[6]) for row in rows] == [
        ("actor:bamf", ABH, "role:funder"),
        ("actor:bamf", IKOE, "role:commissioning-body"),
    ]


def test_actors_in_both_projects_are_computed_from_the_data(
    settings: Settings, tmp_path: Path
) -> None:
    """Two more facts make two more actors appear: the Land also supports the second
    project (support measure), and Gießen sits in the group accompanying its network
    (membership)."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix kg: <https://w3id.org/kompass-graph/ontology#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "<urn:x:measure> a kg:SupportMeasure ;\n"
        f"  kg:supportsProject <{PREFIXES['project']}auslaenderbehoerden-willkommensbehoerden> ;\n"
        f"  kg:providedBy <{PREFIXES['actor']}hessische-landesregierung> .\n"
        "<urn:x:membership> a org:Membership ;\n"
        f"  org:organization <{PREFIXES['network']}projektgruppe-hessisches-netzwerk> ;\n"
        f"  org:member <{PREFIXES['actor']}giessen> ;\n"
        f"  org:role <{PREFIXES['role']}group-member> .\n",
        encoding="utf-8",
    )
    _, rows = run(settings, "13-actors-in-both-projects", extra_data=[extra])
    assert [(row[2], row[4], row[7]) for row in rows] == [
        ("actor:bamf", IKOE, '"Auftraggeber"@de'),
        ("actor:bamf", ABH, '"Geldgeber"@de'),
        ("actor:giessen", IKOE, '"Teilnehmer"@de'),
        ("actor:giessen", ABH, '"Mitglied der Projektgruppe"@de'),
        ("actor:hessische-landesregierung", IKOE, '"Geldgeber"@de'),
        ("actor:hessische-landesregierung", IKOE, '"Unterstützer"@de'),
        ("actor:hessische-landesregierung", ABH, '"Unterstützer"@de'),
    ]


# --- headers, listing, errors -----------------------------------------------------------


@pytest.mark.parametrize("name", stored_query_names())
def test_every_query_file_has_title_and_description(name: str) -> None:
    query = load_stored_queries(find_project_files(ROOT).queries)[name]
    assert query.title.strip()
    assert query.description.strip()


def test_the_query_page_offers_every_stored_query_with_its_title() -> None:
    """The page is built from the same registry as the CLI's."""
    settings = Settings(project_root=ROOT)
    registry = load_stored_queries(find_project_files(ROOT).queries)
    assert list(project_queries(settings)) == list(registry)
    page = build_query_page(settings, queries=project_queries(settings))
    for query in registry.values():
        assert html.escape(query.title) in page


def test_query_list_names_all_stored_queries(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project-root", str(ROOT), "query", "--list"]) == 0
    listing = capsys.readouterr().out
    queries = load_stored_queries(find_project_files(ROOT).queries)
    assert len(queries) == 13
    listed = {line.split()[0] for line in listing.splitlines() if line.strip()}
    assert listed == set(queries)
    for query in queries.values():
        assert query.title in listing


#: a stored-query-like file whose error is at line 4, column 7 ("ten" is not a number)
BROKEN_QUERY = (
    "# title: Broken\n"
    "PREFIX kg: <https://w3id.org/kompass-graph/ontology#>\n"
    "SELECT ?x WHERE { ?x kg:participant ?y }\n"
    "LIMIT ten\n"
)


def test_a_syntax_error_names_line_and_column(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text(BROKEN_QUERY, encoding="utf-8")
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(settings, str(path), fmt="json")
    assert (caught.value.position.line, caught.value.position.column) == (4, 7)
    assert str(caught.value).startswith(f"{path}:4:7: ")


def test_the_cli_reports_a_syntax_error_with_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.rq"
    path.write_text(BROKEN_QUERY, encoding="utf-8")
    assert main(["--project-root", str(ROOT), "query", str(path)]) == 2
    assert f"{path}:4:7: " in capsys.readouterr().err
