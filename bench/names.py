"""German (and English) names and phrases for the synthetic data, built from small pools.

The pools are modelled on the real data: Hessian municipalities, the 16 state governments
with their state keys, federal authorities, EU funds, and project titles in the words the
Integrationskompass uses. Combining the pools gives thousands of distinct, plausible
names ("Oberrodenbach", "Landkreis Grünau-Lahn") without any list of real places.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "FEDERAL_AUTHORITIES",
    "FIRST_NAMES",
    "FUNDS",
    "LAST_NAMES",
    "PORTFOLIOS",
    "SEARCH_WORDS",
    "STATES",
    "THEMES",
    "State",
    "Theme",
    "place_name",
    "slugify",
]


@dataclass(frozen=True)
class State:
    key: str  # the two-digit state key of the official municipality key
    name: str
    adjective: str  # for "Hessisches Ministerium …"
    government_de: str
    government_en: str


STATES: tuple[State, ...] = (
    State(
        "01",
        "Schleswig-Holstein",
        "Schleswig-Holsteinisches",
        "Landesregierung Schleswig-Holstein",
        "Government of Schleswig-Holstein",
    ),
    State(
        "02", "Hamburg", "Hamburger", "Senat der Freien und Hansestadt Hamburg", "Senate of Hamburg"
    ),
    State(
        "03",
        "Niedersachsen",
        "Niedersächsisches",
        "Niedersächsische Landesregierung",
        "Government of Lower Saxony",
    ),
    State("04", "Bremen", "Bremer", "Senat der Freien Hansestadt Bremen", "Senate of Bremen"),
    State(
        "05",
        "Nordrhein-Westfalen",
        "Nordrhein-Westfälisches",
        "Landesregierung Nordrhein-Westfalen",
        "Government of North Rhine-Westphalia",
    ),
    State("06", "Hessen", "Hessisches", "Hessische Landesregierung", "Hessian state government"),
    State(
        "07",
        "Rheinland-Pfalz",
        "Rheinland-Pfälzisches",
        "Landesregierung Rheinland-Pfalz",
        "Government of Rhineland-Palatinate",
    ),
    State(
        "08",
        "Baden-Württemberg",
        "Baden-Württembergisches",
        "Landesregierung Baden-Württemberg",
        "Government of Baden-Württemberg",
    ),
    State("09", "Bayern", "Bayerisches", "Bayerische Staatsregierung", "Bavarian state government"),
    State(
        "10",
        "Saarland",
        "Saarländisches",
        "Landesregierung des Saarlandes",
        "Government of Saarland",
    ),
    State("11", "Berlin", "Berliner", "Senat von Berlin", "Senate of Berlin"),
    State(
        "12",
        "Brandenburg",
        "Brandenburgisches",
        "Landesregierung Brandenburg",
        "Government of Brandenburg",
    ),
    State(
        "13",
        "Mecklenburg-Vorpommern",
        "Mecklenburg-Vorpommersches",
        "Landesregierung Mecklenburg-Vorpommern",
        "Government of Mecklenburg-Western Pomerania",
    ),
    State("14", "Sachsen", "Sächsisches", "Sächsische Staatsregierung", "Saxon state government"),
    State(
        "15",
        "Sachsen-Anhalt",
        "Sachsen-Anhaltisches",
        "Landesregierung Sachsen-Anhalt",
        "Government of Saxony-Anhalt",
    ),
    State(
        "16", "Thüringen", "Thüringer", "Thüringer Landesregierung", "Thuringian state government"
    ),
)

#: (German, English) portfolios of a state ministry
PORTFOLIOS: tuple[tuple[str, str], ...] = (
    ("Soziales und Integration", "Social Affairs and Integration"),
    ("Inneres und Sport", "the Interior and Sport"),
    ("Justiz", "Justice"),
    ("Kultus", "Education"),
    ("Wissenschaft und Kunst", "Science and the Arts"),
    ("Wirtschaft, Energie und Verkehr", "Economy, Energy and Transport"),
    ("Familie, Jugend und Frauen", "Family, Youth and Women"),
    ("Arbeit und Gesundheit", "Labour and Health"),
)

#: (German label, English label, abbreviation)
FEDERAL_AUTHORITIES: tuple[tuple[str, str, str], ...] = (
    (
        "Bundesamt für Migration und Flüchtlinge",
        "Federal Office for Migration and Refugees",
        "BAMF",
    ),
    ("Bundesverwaltungsamt", "Federal Office of Administration", "BVA"),
    ("Bundesagentur für Arbeit", "Federal Employment Agency", "BA"),
    ("Bundeszentrale für politische Bildung", "Federal Agency for Civic Education", "bpb"),
    (
        "Bundesamt für Familie und zivilgesellschaftliche Aufgaben",
        "Federal Office of Family Affairs and Civil Society Functions",
        "BAFzA",
    ),
    (
        "Bundesinstitut für Berufsbildung",
        "Federal Institute for Vocational Education and Training",
        "BIBB",
    ),
    (
        "Beauftragte der Bundesregierung für Migration, Flüchtlinge und Integration",
        "Federal Government Commissioner for Migration, Refugees and Integration",
        "IntB",
    ),
)

#: (German label, English label, abbreviation)
FUNDS: tuple[tuple[str, str, str], ...] = (
    ("Europäischer Integrationsfonds", "European Integration Fund", "EIF"),
    ("Europäischer Sozialfonds", "European Social Fund", "ESF"),
    ("Asyl-, Migrations- und Integrationsfonds", "Asylum, Migration and Integration Fund", "AMIF"),
    ("Europäischer Fonds für regionale Entwicklung", "European Regional Development Fund", "EFRE"),
    ("Europäischer Flüchtlingsfonds", "European Refugee Fund", "EFF"),
    ("Europäischer Sozialfonds Plus", "European Social Fund Plus", "ESF+"),
)


@dataclass(frozen=True)
class Theme:
    de: str
    en: str
    description_de: str


THEMES: tuple[Theme, ...] = (
    Theme(
        "Interkulturelle Öffnung der Verwaltung",
        "Intercultural opening of the administration",
        "Die Verwaltung öffnet sich interkulturell und baut Zugangsbarrieren ab.",
    ),
    Theme(
        "Willkommenskultur",
        "Welcome culture",
        "Eine Willkommens- und Anerkennungskultur wird zum Leitmotiv des Verwaltungshandelns.",
    ),
    Theme(
        "Ausländerbehörden als Willkommensbehörden",
        "Foreigners' authorities as welcome authorities",
        "Ausländerbehörden entwickeln sich zu Willkommensbehörden weiter.",
    ),
    Theme(
        "Sprachförderung für Eltern",
        "Language support for parents",
        "Eltern mit Migrationshintergrund lernen Deutsch in Kursen nahe der Kita.",
    ),
    Theme(
        "Integrationslotsen",
        "Integration guides",
        "Ehrenamtliche Lotsinnen und Lotsen begleiten Neuzugewanderte im Alltag.",
    ),
    Theme(
        "Migrantenorganisationen stärken",
        "Strengthening migrant organisations",
        "Migrantenorganisationen werden als Partner der Kommune gestärkt.",
    ),
    Theme(
        "Vielfalt in der Personalentwicklung",
        "Diversity in staff development",
        "Der Anteil der Beschäftigten mit Migrationshintergrund soll steigen.",
    ),
    Theme(
        "Interkulturelle Schulung der Führungskräfte",
        "Intercultural training for managers",
        "Führungskräfte und Mitarbeiterschaft werden interkulturell sensibilisiert.",
    ),
    Theme(
        "Teilhabe aller Bevölkerungsgruppen",
        "Participation of all population groups",
        "Neue Zugangswege zu kommunalen Angeboten sichern die Teilhabe aller.",
    ),
    Theme(
        "Beratung für Neuzugewanderte",
        "Counselling for newcomers",
        "Eine Beratungsstelle unterstützt Neuzugewanderte bei Behördengängen.",
    ),
    Theme(
        "Integration in Arbeit und Ausbildung",
        "Integration into work and training",
        "Junge Geflüchtete finden mit Begleitung einen Ausbildungsplatz.",
    ),
    Theme(
        "Netzwerk Integration vor Ort",
        "Local integration network",
        "Lokale Institutionen, Vereine und Migrantenorganisationen vernetzen sich.",
    ),
    Theme(
        "Jugendarbeit und Vielfalt",
        "Youth work and diversity",
        "Jugendzentren öffnen ihre Angebote für Jugendliche aus Zuwandererfamilien.",
    ),
    Theme(
        "Anerkennung ausländischer Berufsabschlüsse",
        "Recognition of foreign qualifications",
        "Zugewanderte erhalten Hilfe bei der Anerkennung ihrer Abschlüsse.",
    ),
    Theme(
        "Gesundheitsförderung für Zugewanderte",
        "Health promotion for immigrants",
        "Gesundheitslotsen informieren in vielen Sprachen über Vorsorge.",
    ),
    Theme(
        "Sport verbindet",
        "Sport connects",
        "Sportvereine gewinnen Mitglieder aus Zuwandererfamilien.",
    ),
)

#: lower-case words a user searches the German labels for (some common, some rare)
SEARCH_WORDS: tuple[str, ...] = (
    "willkommen",
    "öffnung",
    "integration",
    "sprach",
    "migranten",
    "vielfalt",
    "beratung",
    "teilhabe",
    "ausländerbehörde",
    "netzwerk",
    "eltern",
    "jugend",
    "arbeit",
    "gießen",
    "bad ",
    "main",
)

_PREFIXES = ("", "", "", "Ober", "Nieder", "Groß", "Klein", "Alt", "Neu", "Hohen", "Bad ")
_ROOTS = (
    "Roden", "Linden", "Eschen", "Birken", "Buchen", "Erlen", "Wald", "Berg", "Stein", "Mühl",
    "Wetter", "Lahn", "Fulda", "Kinzig", "Nidda", "Ohm", "Eder", "Schwalm", "Weil", "Ems",
    "Hoch", "Gelders", "Rosen", "Hasel", "Frieden", "Sonnen", "Grün", "Bieber", "Dreieich",
    "Königs", "Kaiser", "Herborn", "Wolfs", "Hirsch", "Reichen", "Lauter", "Main", "Kron",
    "Wächters", "Lorsch", "Heppen", "Gerns", "Usin", "Ried", "Wiesen", "Kirch", "Dorn",
)  # fmt: skip
_SUFFIXES = (
    "bach", "hausen", "heim", "dorf", "feld", "stein", "au", "burg", "berg", "tal",
    "rode", "hain", "born", "stadt", "weiler", "brück", "kirchen", "hofen", "furt", "ingen",
)  # fmt: skip
_QUALIFIERS = (
    "", "", "", "", "", " am Main", " an der Lahn", " (Taunus)", " im Odenwald",
    " (Hessen)", " an der Fulda", " am Vogelsberg",
)  # fmt: skip

FIRST_NAMES = (
    "Banu", "Anna", "Mehmet", "Katharina", "Jonas", "Aylin", "Lukas", "Fatma", "Thomas", "Maria",
    "Dimitri", "Sabine", "Yusuf", "Elena", "Stefan", "Leyla", "Michael", "Olga", "Andreas", "Nora",
)  # fmt: skip
LAST_NAMES = (
    "Rübeling", "Müller", "Yılmaz",  # noqa: RUF001 "Schmidt", "Kaya", "Schneider", "Fischer", "Özdemir",
    "Weber", "Meyer", "Wagner", "Becker", "Şahin", "Hoffmann", "Schäfer", "Koch", "Bauer",
    "Richter", "Klein", "Wolf", "Nowak", "Popescu", "Ivanova", "Krüger", "Hartmann",
)  # fmt: skip


def place_name(rng: random.Random) -> str:
    """A plausible German place name, such as "Oberrodenbach" or "Bad Lindenau am Main"."""
    prefix = rng.choice(_PREFIXES)
    root = rng.choice(_ROOTS)
    body = root + rng.choice(_SUFFIXES)
    if prefix and not prefix.endswith(" "):
        body = body.lower()
    return prefix + body + rng.choice(_QUALIFIERS)


_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ş": "s"}  # noqa: RUF001
)


def slugify(text: str, *, max_length: int = 48) -> str:
    """Lower-case letters, digits and single hyphens, as our IRI patterns require."""
    text = text.lower().translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_length].rstrip("-") or "x"
