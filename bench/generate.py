"""Synthetic Kompass Graph data at any size, in our ontology, passing our shapes.

Every record is modelled on data/kompass.ttl: projects with German and English labels and
descriptions, programmes, participations with roles from the role code list, fundings
with amounts (some only approximate, with the source's wording), shares, years or start
months, actors of every kind (municipalities with official keys, districts, foreigners'
authorities, ministries under their state governments, federal authorities, EU funds,
umbrella associations, persons), networks and project groups with memberships, support
measures, and provenance to source documents.

Skew is Zipf-like, as in real funding data: a few funders fund many projects, a few
municipalities take part in many projects and join many networks, most appear rarely.

The output is N-Triples written as it is generated (memory stays flat at 5M triples),
starting with the ontology and code lists so the file is self-contained: served alone
it answers the query mix, and validated alone it conforms to shapes/. Seeded: the same
seed and size give the same bytes. A sidecar `<name>.params.json` lists the entities
the query mix draws its parameters from.

    python -m bench.generate --triples 1M --out bench/data/kg-1m.nt
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Generic, TypeVar

from bench import names
from bench.names import State, Theme, slugify

__all__ = ["GenerationResult", "Sizing", "generate", "main", "parse_size", "sizing_for"]

T = TypeVar("T")

BASE = "https://w3id.org/kompass-graph/"
KG = BASE + "ontology#"
ID = BASE + "id/"
CONCEPT = BASE + "concept/"
XSD = "http://www.w3.org/2001/XMLSchema#"

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
PREF_LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
ALT_LABEL = "<http://www.w3.org/2004/02/skos/core#altLabel>"
DESCRIPTION = "<http://purl.org/dc/terms/description>"
TITLE = "<http://purl.org/dc/terms/title>"
IS_PART_OF = "<http://purl.org/dc/terms/isPartOf>"
LANGUAGE = "<http://purl.org/dc/terms/language>"
SPATIAL = "<http://purl.org/dc/terms/spatial>"
FOAF_PAGE = "<http://xmlns.com/foaf/0.1/page>"
FOAF_NAME = "<http://xmlns.com/foaf/0.1/name>"
ASSOCIATED_WITH = "<http://www.w3.org/ns/prov#wasAssociatedWith>"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
GEO = "http://dcat-ap.de/def/politicalGeocoding/"


def kg(local: str) -> str:
    return f"<{KG}{local}>"


def org(local: str) -> str:
    return f"<{ORG}{local}>"


def schema(local: str) -> str:
    return f"<{SCHEMA}{local}>"


def our_id(collection: str, slug: str) -> str:
    return f"<{ID}{collection}/{slug}>"


def concept(scheme: str, slug: str) -> str:
    return f"<{CONCEPT}{scheme}/{slug}>"


def text(value: str, lang: str | None = None) -> str:
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


# Code-list concepts the generator uses, as in ontology/codelists.ttl.
GOALS = (
    "welcome-culture", "intercultural-opening", "organisational-and-staff-development",
    "sensitisation-and-intercultural-training", "more-staff-with-migration-background",
    "removing-access-barriers", "new-access-routes", "participation-of-all-groups",
    "involvement-of-local-actors", "welcome-and-recognition-culture",
)  # fmt: skip
PARTNER_CATEGORIES = ("local-institution", "association", "migrant-organisation")
SUPPORT_AREAS = (
    "organisational-structure", "networking-with-institutions", "staff-attitudes-and-competences",
)  # fmt: skip
GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
)  # fmt: skip
SHARE_WORDS = {
    "0.25": "zu einem Viertel",
    "0.5": "zu fünfzig Prozent",
    "0.75": "zu drei Vierteln",
    "0.9": "zu neunzig Prozent",
    "1.0": "vollständig",
}
YEARS = tuple(range(2005, 2025))

#: average triples one project record brings with it (project, participations, fundings,
#: amounts, its share of sources, networks and measures); sizes the actor pools up front
TRIPLES_PER_PROJECT = 56
PROJECTS_PER_SOURCE = 4
PROJECTS_PER_NETWORK = 60


class Zipf(Generic[T]):
    """Draws from `items` with probability proportional to 1 / rank**exponent."""

    def __init__(self, items: Sequence[T], exponent: float = 1.1) -> None:
        if not items:
            raise ValueError("Zipf needs at least one item")
        self.items = items
        self._cumulative = list(
            itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(items)))
        )

    def draw(self, rng: random.Random) -> T:
        index = bisect.bisect_left(self._cumulative, rng.random() * self._cumulative[-1])
        return self.items[min(index, len(self.items) - 1)]  # type: ignore[return-value]


@dataclass(frozen=True)
class Sizing:
    """Pool sizes for a target triple count; actors scale with the number of projects."""

    target_triples: int
    projects_estimate: int
    municipalities: int
    districts: int
    programmes: int
    persons: int
    full_ministry_states: int


def sizing_for(target_triples: int) -> Sizing:
    projects = max(target_triples // TRIPLES_PER_PROJECT, 20)
    municipalities = min(max(projects // 6, 40), 11_000)
    return Sizing(
        target_triples=target_triples,
        projects_estimate=projects,
        municipalities=municipalities,
        districts=min(max(municipalities // 12, 5), 400),
        programmes=max(projects // 40, 3),
        persons=max(projects // 40, 5),
        full_ministry_states=1 if projects < 2_000 else 16,
    )


def parse_size(value: str) -> int:
    """'10k', '1M', '5m', '250000' → a triple count."""
    cleaned = value.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(cleaned[-1:], 1)
    digits = cleaned[:-1] if factor != 1 else cleaned
    try:
        count = int(float(digits) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (use 10k, 1M, 5M …)") from None
    if count < 1_000:
        raise argparse.ArgumentTypeError(f"size {value!r} is below 1k triples")
    return count


class NTriplesWriter:
    """Writes triples as N-Triples lines and counts them."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.count = 0

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self._stream.write(f"{subject} {predicate} {obj} .\n")
        self.count += 1

    def raw_lines(self, lines: Iterator[str]) -> None:
        for line in lines:
            self._stream.write(line if line.endswith("\n") else line + "\n")
            self.count += 1


@dataclass
class Actor:
    iri: str
    label: str


@dataclass
class Municipality(Actor):
    district: Actor | None


@dataclass
class Pools:
    states: list[tuple[State, Actor]] = field(default_factory=list)
    ministries: list[Actor] = field(default_factory=list)
    federal: list[Actor] = field(default_factory=list)
    funds: list[Actor] = field(default_factory=list)
    umbrellas: list[Actor] = field(default_factory=list)
    districts: list[Actor] = field(default_factory=list)
    municipalities: list[Municipality] = field(default_factory=list)
    authorities: list[Actor] = field(default_factory=list)
    persons: list[Actor] = field(default_factory=list)
    programmes: list[Actor] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GenerationResult:
    triples: int
    projects: int
    params_path: Path


def vocabulary_lines(project_root: Path) -> list[str]:
    """The ontology and code lists as sorted N-Triples lines (sorted: stable output)."""
    from rdflib import Graph  # only needed here; the rest of the generator is stdlib

    graph = Graph()
    for path in sorted((project_root / "ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    serialised = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted(line for line in serialised.splitlines() if line.strip())


EARLY_SOURCES = 20


def source_iri(index: int) -> str:
    return our_id("source", f"integrationskompass-seite-{index}")


class Generator:
    def __init__(self, writer: NTriplesWriter, sizing: Sizing, seed: int) -> None:
        self.out = writer
        self.sizing = sizing
        self.seed = seed
        self.rng = random.Random(seed)
        self.pools = Pools()
        self._emitted_sources: set[int] = set()
        self._fundings_made = 0

    # ---------------------------------------------------------------- helpers

    def labels(self, subject: str, de: str, en: str) -> None:
        self.out.add(subject, PREF_LABEL, text(de, "de"))
        self.out.add(subject, PREF_LABEL, text(en, "en"))

    def source(self, index: int) -> str:
        """The source document `index`, written the first time it is used."""
        iri = source_iri(index)
        if index in self._emitted_sources:
            return iri
        self._emitted_sources.add(index)
        rng = self.rng
        out = self.out
        state, _government = self._publisher_state()
        theme = rng.choice(names.THEMES)
        out.add(iri, RDF_TYPE, kg("SourceDocument"))
        out.add(iri, TITLE, text(f"{theme.de} – Seite {index}", "de"))  # noqa: RUF001
        out.add(iri, IS_PART_OF, text("Integrationskompass", "de"))
        out.add(iri, LANGUAGE, "<http://publications.europa.eu/resource/authority/language/DEU>")
        # a reserved, never-resolving domain: these pages are synthetic
        out.add(iri, FOAF_PAGE, f"<https://integrationskompass.example/{state.key}/seite-{index}>")
        digest = hashlib.sha256(f"{self.seed}:{index}".encode()).hexdigest()
        out.add(iri, kg("sha256"), typed(digest, "hexBinary"))
        if self.pools.persons and rng.random() < 0.5:
            out.add(iri, kg("contactPerson"), rng.choice(self.pools.persons).iri)
        return iri

    def _publisher_state(self) -> tuple[State, Actor]:
        # most pages come from the Hessian portal, as the real one does
        if self.rng.random() < 0.7:
            return next(pair for pair in self.pools.states if pair[0].key == "06")
        return self.rng.choice(self.pools.states)

    def early_source(self) -> str:
        """A source for background facts about actors: one of the first pages (written
        right after the actors, since a page names its publisher, itself an actor)."""
        return source_iri(self.rng.randrange(EARLY_SOURCES))

    def actor(self, kind: str, collection: str, slug: str, de: str, en: str) -> Actor:
        iri = our_id(collection, slug)
        self.out.add(iri, RDF_TYPE, kg(kind))
        self.labels(iri, de, en)
        return Actor(iri, de)

    # ---------------------------------------------------------------- actors

    def write_actors(self) -> None:
        self._states_and_ministries()
        for number, (de, en, short) in enumerate(names.FEDERAL_AUTHORITIES):
            actor = self.actor("FederalAuthority", "actor", f"{slugify(short)}-{number}", de, en)
            self.out.add(actor.iri, ALT_LABEL, text(short, "de"))
            self.pools.federal.append(actor)
        for number, (de, en, short) in enumerate(names.FUNDS):
            actor = self.actor("Fund", "actor", f"{slugify(short)}-fonds-{number}", de, en)
            self.out.add(actor.iri, ALT_LABEL, text(short, "de"))
            self.pools.funds.append(actor)
        self._districts_municipalities_authorities()
        self._persons()
        self._programmes()

    def _states_and_ministries(self) -> None:
        number = itertools.count()
        for state in names.STATES:
            government = self.actor(
                "StateGovernment", "actor", slugify(state.government_de),
                state.government_de, state.government_en,
            )  # fmt: skip
            self.out.add(government.iri, SPATIAL, f"<{GEO}stateKey/{state.key}>")
            self.pools.states.append((state, government))
        # Hessen (and at larger sizes every state) has its full cabinet; others three houses
        full = {"06"} | {s.key for s in names.STATES[: self.sizing.full_ministry_states]}
        for state, government in self.pools.states:
            portfolios = names.PORTFOLIOS if state.key in full else names.PORTFOLIOS[:3]
            for portfolio_de, portfolio_en in portfolios:
                de = f"{state.adjective} Ministerium für {portfolio_de}"
                en = f"{state.name} Ministry of {portfolio_en}"
                ministry = self.actor("Ministry", "actor", f"{slugify(de)}-{next(number)}", de, en)
                self.out.add(ministry.iri, org("subOrganizationOf"), government.iri)
                self.pools.ministries.append(ministry)
            if state.key in full:
                self._umbrellas(state)

    def _umbrellas(self, state: State) -> None:
        adjective = (
            state.adjective[:-2] + "er" if state.adjective.endswith("es") else (state.adjective)
        )
        for de_tail, en_tail in (
            ("Städtetag", "association of cities"),
            ("Landkreistag", "association of districts"),
            ("Städte- und Gemeindebund", "association of towns and municipalities"),
        ):
            de = f"{adjective} {de_tail}"
            actor = self.actor(
                "UmbrellaAssociation", "actor", f"{slugify(de)}-{state.key}", de,
                f"{state.name} {en_tail}",
            )  # fmt: skip
            self.pools.umbrellas.append(actor)

    def _government(self, key: str) -> Actor:
        return next(government for state, government in self.pools.states if state.key == key)

    def _districts_municipalities_authorities(self) -> None:
        rng = self.rng
        sizing = self.sizing
        # most of the data is Hessian, the rest spread over the other states
        state_weights = [8.0 if s.key == "06" else 1.0 for s in names.STATES]
        next_district_number: dict[str, int] = {}

        def fresh_district_key(state: State) -> str:
            number = next_district_number.get(state.key, 1)
            next_district_number[state.key] = number + 1
            return f"{state.key}{number:03d}"

        districts: list[tuple[Actor, str, State]] = []
        for index in range(sizing.districts):
            state = rng.choices(names.STATES, weights=state_weights)[0]
            place = names.place_name(rng)
            de = f"Landkreis {place}" if rng.random() < 0.7 else f"{place}-Kreis"
            key = fresh_district_key(state)
            district = self.actor(
                "District", "actor", f"{slugify(de)}-{index}", de, f"District of {place}"
            )
            self.out.add(district.iri, kg("districtKey"), text(key))
            self.out.add(district.iri, SPATIAL, f"<{GEO}districtKey/{key}>")
            districts.append((district, key, state))
            self.pools.districts.append(district)
            self._foreigners_authority(district, f"Ausländerbehörde {de}", f"of {de}")

        municipality_number: dict[str, int] = {}
        for index in range(sizing.municipalities):
            place = names.place_name(rng)
            if rng.random() < 0.06:  # a district-free city: its own key at district level
                state = rng.choices(names.STATES, weights=state_weights)[0]
                district_key, district = fresh_district_key(state), None
            else:
                district, district_key, state = rng.choice(districts)
            number = municipality_number.get(district_key, 0) + 1
            municipality_number[district_key] = number
            ags = f"{district_key}{number:03d}"
            ars = f"{district_key}{rng.randrange(10_000):04d}{number:03d}"
            actor = self.actor("Municipality", "actor", f"{slugify(place)}-{index}", place, place)
            self.out.add(actor.iri, kg("ags"), text(ags))
            self.out.add(actor.iri, kg("ars"), text(ars))
            self.out.add(actor.iri, SPATIAL, f"<{GEO}municipalityKey/{ags}>")
            if district is not None:
                self.out.add(actor.iri, kg("district"), district.iri)
            elif rng.random() < 0.8:
                self._foreigners_authority(
                    actor, f"Ausländerbehörde der Stadt {place}", f"of the city of {place}"
                )
            self.pools.municipalities.append(Municipality(actor.iri, actor.label, district))

    def _foreigners_authority(self, parent: Actor, de: str, en_tail: str) -> None:
        number = len(self.pools.authorities)
        authority = self.actor(
            "ForeignersAuthority",
            "actor",
            f"{slugify(de)}-{number}",
            de,
            f"Foreigners' authority {en_tail}",
        )
        self.out.add(authority.iri, org("unitOf"), parent.iri)
        self.pools.authorities.append(authority)

    def _persons(self) -> None:
        rng = self.rng
        for index in range(self.sizing.persons):
            name = f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}"
            slug = f"{slugify(name)}-{index}"
            person = self.actor("Person", "person", slug, name, name)
            self.out.add(person.iri, FOAF_NAME, text(name))
            self.pools.persons.append(person)
            ministry = rng.choice(self.pools.ministries)
            # a page shows a contact's name above a body's name: an affiliation, no role
            self.out.add(person.iri, "<https://schema.org/affiliation>", ministry.iri)

    def _programmes(self) -> None:
        rng = self.rng
        for index in range(self.sizing.programmes):
            theme = rng.choice(names.THEMES)
            kind = rng.random()
            if kind < 0.4:
                de, en = f"Landesprogramm {theme.de}", f"State programme: {theme.en}"
            elif kind < 0.7:
                short = rng.choice(names.FEDERAL_AUTHORITIES)[2]
                de = f"Modellprojekt {short} – {theme.de}"  # noqa: RUF001 (as in the real data)
                en = f"{short} model project: {theme.en}"
            else:
                de, en = f"Bundesprogramm {theme.de}", f"Federal programme: {theme.en}"
            iri = our_id("programme", f"{slugify(de, max_length=40)}-{index}")
            self.out.add(iri, RDF_TYPE, kg("Programme"))
            self.labels(iri, de, en)
            if rng.random() < 0.3:
                self.out.add(iri, kg("statedAs"), text(de.replace(" – ", " - "), "de"))  # noqa: RUF001
            self.pools.programmes.append(Actor(iri, de))

    def membership(self, slug: str, organisation: str, member: str, role: str, src: str) -> str:
        iri = our_id("membership", slug)
        out = self.out
        out.add(iri, RDF_TYPE, org("Membership"))
        out.add(iri, org("organization"), organisation)
        out.add(iri, org("member"), member)
        out.add(iri, org("role"), concept("role", role))
        return iri

    # ---------------------------------------------------------------- projects

    def write_projects(self) -> int:
        pools = self.pools
        rng = self.rng
        themes = Zipf(names.THEMES, 0.8)
        municipalities = Zipf(_shuffled(pools.municipalities, rng), 1.1)
        authorities = Zipf(_shuffled(pools.authorities, rng), 1.1)
        programmes = Zipf(_shuffled(pools.programmes, rng), 1.0)
        goals = Zipf(GOALS, 0.9)
        # the EU funds and the Hessian government lead the funders' ranking, as in reality
        hessen = self._government("06")
        others = [g for _, g in pools.states if g is not hessen]
        funders = Zipf(
            [*pools.funds, hessen, *pools.federal, *_shuffled(others + pools.ministries, rng)],
            1.2,
        )
        number = 0
        while self.out.count < self.sizing.target_triples:
            self._project(number, themes, municipalities, authorities, programmes, goals, funders)
            if number % PROJECTS_PER_NETWORK == PROJECTS_PER_NETWORK // 2:
                self._network(number, municipalities)
            number += 1
        return number

    def _project(
        self,
        number: int,
        themes: Zipf[Theme],
        municipalities: Zipf[Municipality],
        authorities: Zipf[Actor],
        programmes: Zipf[Actor],
        goals: Zipf[str],
        funders: Zipf[Actor],
    ) -> None:
        rng = self.rng
        out = self.out
        theme = themes.draw(rng)
        home = municipalities.draw(rng)
        slug = f"{slugify(theme.de, max_length=32)}-{slugify(home.label, max_length=20)}-{number}"
        iri = our_id("project", slug)
        src = self.source(number // PROJECTS_PER_SOURCE)
        out.add(iri, RDF_TYPE, kg("Project"))
        label_de = f"{theme.de} in {home.label}"
        self.labels(iri, label_de, f"{theme.en} in {home.label}")
        if rng.random() < 0.2:
            out.add(iri, kg("statedAs"), text(f"Projekt „{label_de}“", "de"))
        if rng.random() < 0.8:
            out.add(iri, DESCRIPTION, text(f"{theme.description_de} Standort: {home.label}.", "de"))
        if rng.random() < 0.7:
            out.add(iri, kg("partOfProgramme"), programmes.draw(rng).iri)
        for goal in {goals.draw(rng) for _ in range(rng.randint(1, 4))}:
            out.add(iri, kg("hasGoal"), concept("goal", goal))
        for category in rng.sample(PARTNER_CATEGORIES, rng.randint(0, 2)):
            out.add(iri, kg("partnerCategory"), concept("partner-category", category))
        if rng.random() < 0.1:
            out.add(iri, kg("supportArea"), concept("support-area", rng.choice(SUPPORT_AREAS)))
            out.add(
                iri,
                kg("intendedOutcome"),
                text("Aus den Erfolgen der Projektarbeit Musterprozesse ableiten.", "de"),
            )
        participants = self._participants(home, municipalities, authorities)
        for index, (actor, role) in enumerate(participants):
            participation = our_id("participation", f"{slug}-{index}")
            out.add(iri, kg("hasParticipation"), participation)
            out.add(iri, ASSOCIATED_WITH, actor.iri)
            out.add(participation, RDF_TYPE, kg("Participation"))
            out.add(participation, kg("participant"), actor.iri)
            out.add(participation, kg("role"), concept("role", role))
            if role == "commissioning-body":
                out.add(participation, kg("statedAs"), text(f"im Auftrag des {actor.label}", "de"))
        for index in range(1 + (rng.random() < 0.45) + (rng.random() < 0.15)):
            self._funding(iri, f"{slug}-{index}", funders, src)
        if rng.random() < 0.05:
            self._support_measure(iri, slug, [a for a, _ in participants], src)
        self.pools.projects.append(iri[1:-1])

    def _participants(
        self, home: Municipality, municipalities: Zipf[Municipality], authorities: Zipf[Actor]
    ) -> list[tuple[Actor, str]]:
        rng = self.rng
        count = 1 + min(int(rng.expovariate(1 / 2.5)), 29)
        chosen: dict[str, tuple[Actor, str]] = {
            home.iri: (home, "project-site" if rng.random() < 0.3 else "participant")
        }
        for _ in range(count - 1):
            other = municipalities.draw(rng)
            chosen.setdefault(other.iri, (other, "participant"))
        if rng.random() < 0.1:
            lead_iri = rng.choice(list(chosen))
            chosen[lead_iri] = (chosen[lead_iri][0], "lead")
        if rng.random() < 0.2:
            federal = rng.choice(self.pools.federal)
            chosen.setdefault(federal.iri, (federal, "commissioning-body"))
        if rng.random() < 0.15:
            authority = authorities.draw(rng)
            role = "project-site" if rng.random() < 0.5 else "partner-authority"
            chosen.setdefault(authority.iri, (authority, role))
        if home.district is not None and rng.random() < 0.1:
            chosen.setdefault(home.district.iri, (home.district, "participant"))
        return list(chosen.values())

    def _funding(self, project: str, slug: str, funders: Zipf[Actor], src: str) -> None:
        rng = self.rng
        out = self.out
        iri = our_id("funding", slug)
        # the first fundings go to each fund once, so no fund is left without a funding
        if self._fundings_made < len(self.pools.funds):
            funder = self.pools.funds[self._fundings_made]
        else:
            funder = funders.draw(rng)
        self._fundings_made += 1
        out.add(project, kg("isFundedBy"), iri)
        out.add(iri, RDF_TYPE, kg("Funding"))
        out.add(iri, kg("fundedProject"), project)
        out.add(iri, kg("funder"), funder.iri)
        year = rng.choices(YEARS, weights=[1 + min(y - 2004, 2024 - y) for y in YEARS])[0]
        phrases: list[str] = []
        if rng.random() < 0.8:
            out.add(iri, kg("year"), typed(str(year), "gYear"))
            phrases.append(f"im Jahr {year}")
        else:
            month = rng.randint(1, 12)
            out.add(iri, kg("startDate"), typed(f"{year}-{month:02d}", "gYearMonth"))
            phrases.append(f"seit {GERMAN_MONTHS[month - 1]} {year}")
        if rng.random() < 0.4:
            share = rng.choice(tuple(SHARE_WORDS))
            out.add(iri, kg("share"), typed(share, "decimal"))
            phrases.append(SHARE_WORDS[share])
        if rng.random() < 0.85:
            phrases.append(self._amount(iri, slug))
        if rng.random() < 0.5:
            out.add(iri, kg("statedAs"), text(f"{funder.label} fördert {' '.join(phrases)}", "de"))

    def _amount(self, funding: str, slug: str) -> str:
        rng = self.rng
        out = self.out
        iri = our_id("funding", f"{slug}-amount")
        approximate = rng.random() < 0.35
        value = rng.lognormvariate(11.3, 1.0)  # median ≈ 80,000 EUR, a long upper tail
        value = round(value, -3) if approximate else round(value, -1)
        euros = f"{int(value):,}".replace(",", ".")
        stated = f"rund {euros} Euro" if approximate else f"{euros} Euro"
        out.add(funding, kg("amount"), iri)
        out.add(iri, RDF_TYPE, schema("MonetaryAmount"))
        out.add(iri, schema("value"), typed(f"{int(value)}.00", "decimal"))
        out.add(iri, schema("currency"), text("EUR"))
        out.add(iri, kg("approximate"), typed("true" if approximate else "false", "boolean"))
        out.add(iri, kg("statedAs"), text(f"insgesamt {stated}", "de"))
        return f"mit {stated}"

    def _support_measure(
        self, project: str, slug: str, beneficiaries: list[Actor], src: str
    ) -> None:
        out = self.out
        iri = our_id("measure", f"{slug}-vernetzung")
        out.add(iri, RDF_TYPE, kg("SupportMeasure"))
        self.labels(
            iri,
            "Vernetzungstreffen der beteiligten Kommunen",
            "Networking meetings of the participating municipalities",
        )
        out.add(iri, kg("measureType"), concept("support-type", "networking-meetings"))
        out.add(iri, kg("providedBy"), self._government("06").iri)
        out.add(iri, kg("supportsProject"), project)
        for actor in beneficiaries:
            out.add(iri, kg("beneficiary"), actor.iri)

    def _network(self, number: int, municipalities: Zipf[Municipality]) -> None:
        rng = self.rng
        out = self.out
        project = f"<{self.pools.projects[-1]}>"
        src = self.source(number // PROJECTS_PER_SOURCE)
        theme = rng.choice(names.THEMES)
        slug = f"netzwerk-{slugify(theme.de, max_length=30)}-{number}"
        iri = our_id("network", slug)
        out.add(iri, RDF_TYPE, kg("Network"))
        self.labels(iri, f"Netzwerk {theme.de}", f"Network: {theme.en}")
        out.add(iri, kg("relatedProject"), project)
        size = min(3 + int(rng.paretovariate(1.2) * 2), 40)
        members = {municipalities.draw(rng).iri for _ in range(size)}
        for index, member in enumerate(sorted(members)):
            membership = self.membership(f"{slug}-{index}", iri, member, "network-member", src)
            out.add(iri, org("hasMembership"), membership)
        if rng.random() < 0.3:
            self._project_group(iri, slug, src)
        self.pools.networks.append(iri[1:-1])

    def _project_group(self, network: str, network_slug: str, src: str) -> None:
        rng = self.rng
        out = self.out
        slug = f"projektgruppe-{network_slug}"
        iri = our_id("network", slug)
        out.add(iri, RDF_TYPE, kg("ProjectGroup"))
        self.labels(
            iri,
            "Projektgruppe zur Begleitung des Netzwerks",
            "Project group accompanying the network",
        )
        out.add(network, kg("accompaniedBy"), iri)
        members = [(rng.choice(self.pools.ministries).iri, "lead")]
        members += [(u.iri, "group-member") for u in rng.sample(self.pools.umbrellas, 2)]
        for index, (member, role) in enumerate(members):
            membership = self.membership(f"{slug}-{index}", iri, member, role, src)
            out.add(iri, org("hasMembership"), membership)


def _shuffled(items: Sequence[T], rng: random.Random) -> list[T]:
    copy = list(items)
    rng.shuffle(copy)
    return copy


def generate(
    *, target_triples: int, out: Path, seed: int = 20131001, project_root: Path | None = None,
) -> GenerationResult:  # fmt: skip
    """Write about `target_triples` triples (never fewer) to `out` and the params sidecar."""
    root = project_root or Path(__file__).resolve().parent.parent
    sizing = sizing_for(target_triples)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as stream:
        writer = NTriplesWriter(stream)
        writer.raw_lines(iter(vocabulary_lines(root)))
        generator = Generator(writer, sizing, seed)
        generator.write_actors()
        for index in range(EARLY_SOURCES):  # the background pages actors' facts come from
            generator.source(index)
        projects = generator.write_projects()
    params_path = out.with_suffix(".params.json")
    pools = generator.pools
    params = {
        "seed": seed,
        "target_triples": target_triples,
        "triples": writer.count,
        "project_count": projects,
        "years": list(YEARS),
        "words": list(names.SEARCH_WORDS),
        "entities": {
            "project": pools.projects,
            "municipality": [m.iri[1:-1] for m in pools.municipalities],
            "district": [d.iri[1:-1] for d in pools.districts],
            "funder": [
                a.iri[1:-1]
                for a in [
                    *pools.funds,
                    *pools.federal,
                    *pools.ministries,
                    *(g for _, g in pools.states),
                ]
            ],
            "programme": [p.iri[1:-1] for p in pools.programmes],
            "network": pools.networks,
        },
    }
    params_path.write_text(json.dumps(params, ensure_ascii=False), encoding="utf-8")
    return GenerationResult(writer.count, projects, params_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--triples",
        type=parse_size,
        required=True,
        help="target size: 10k, 100k, 1M, 5M or a number",
    )
    parser.add_argument("--out", type=Path, required=True, help="N-Triples file to write (.nt)")
    parser.add_argument(
        "--seed", type=int, default=20131001, help="random seed (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if args.out.suffix != ".nt":
        parser.error("--out must end in .nt (the output is N-Triples)")
    result = generate(target_triples=args.triples, out=args.out, seed=args.seed)
    print(
        f"wrote {result.triples} triples ({result.projects} projects) to {args.out}; "
        f"parameters in {result.params_path}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
