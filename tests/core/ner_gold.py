"""Hand-annotated news text for NER tests and `make eval-ner` (OntoNotes conventions:
no titles or determiners inside names, possessive 's outside, durations are DATE).

SEED is /work/shared/seeds/uk-eu-defence-talks.txt (a Guardian-style story) in canonical
form (paragraphs joined by a blank line). The gold list names each entity in reading
order; offsets are found by scanning forward, so the list must follow the text order.
The two short articles below were written for these tests (no third-party text).
"""
from __future__ import annotations

SEED_GOLD = [
    ("UK", "GPE"), ("EU", "ORG"),
    ("Britain", "GPE"), ("EU", "ORG"), ("Keir Starmer", "PERSON"), ("Friday", "DATE"),
    ("UK", "GPE"), ("Brussels", "GPE"),
    ("EU", "ORG"), ("Maroš Šefčovič", "PERSON"), ("London", "GPE"), ("next week", "DATE"),
    ("Britain", "GPE"),
    ("UK", "GPE"), ("EU", "ORG"), ("€150bn", "MONEY"), ("£130bn", "MONEY"),
    ("Security Action for Europe", "ORG"), ("Secure", "ORG"), ("November 2025", "DATE"),
    ("EU", "ORG"),
    ("France", "GPE"), ("Paris", "GPE"), ("Germany", "GPE"), ("Britain", "GPE"), ("Secure", "ORG"),
    ("European", "NORP"), ("France", "GPE"), ("Britain", "GPE"), ("Safe", "ORG"), ("London", "GPE"),
    ("EU", "ORG"), ("December", "DATE"), ("90 billion euro", "MONEY"), ("Ukraine", "GPE"),
    ("Russian", "NORP"), ("Belgium", "GPE"), ("Germany", "GPE"),
    ("Brussels", "GPE"), ("November", "DATE"), ("EU", "ORG"), ("Safe", "ORG"),
    ("Keir Starmer", "PERSON"), ("Ursula von der Leyen", "PERSON"), ("May last year", "DATE"),
    ("UK", "GPE"), ("Safe", "ORG"), ("Donald Trump", "PERSON"), ("Greenland", "GPE"),
    ("NATO", "ORG"),
    ("Beijing", "GPE"), ("Friday", "DATE"), ("Starmer", "PERSON"), ("UK", "GPE"),
    ("next year", "DATE"), ("UK", "GPE"), ("Starmer", "PERSON"),
    ("EU", "ORG"),
    ("Starmer", "PERSON"), ("EU", "ORG"), ("US", "GPE"), ("Trump", "PERSON"),
    ("Stella Creasy", "PERSON"), ("Labor", "ORG"), ("European Labor Movement", "ORG"),
    ("EU", "ORG"),
    ("Šefčovič", "PERSON"), ("Nick Thomas-Symonds", "PERSON"), ("Monday", "DATE"),
    ("EU-UK Association Council", "ORG"), ("EU", "ORG"), ("UK", "GPE"), ("UK", "GPE"),
    ("Šefčovič", "PERSON"), ("EU", "ORG"), ("Valdis Dombrovskis", "PERSON"),
    ("Rachel Reeves", "PERSON"), ("Peter Kyle", "PERSON"),
    ("EU", "ORG"), ("Britain", "GPE"), ("Washington", "GPE"), ("Wednesday", "DATE"),
    ("Marco Rubio", "PERSON"), ("Foreign Office", "ORG"),
    ("UK", "GPE"),
    ("Europe", "LOC"), ("UK", "GPE"),
    ("UK", "GPE"), ("EU", "ORG"), ("French", "NORP"),
    ("EU", "ORG"), ("UK", "GPE"), ("approximately 2 billion euros", "MONEY"), ("British", "NORP"),
    ("European Commission", "ORG"), ("45 years", "DATE"),
    ("EU", "ORG"), ("EU", "ORG"), ("United Kingdom", "GPE"), ("Canada", "GPE"),
    ("EU", "ORG"), ("Trump", "PERSON"),
    ("UK", "GPE"), ("UK", "GPE"), ("EU", "ORG"), ("British", "NORP"),
]

# Written for Commonplace's tests.
EXTRA_ARTICLES = [
    (
        (
        "Dutch farmers protest in The Hague as nitrogen rules bite\n\n"
        "Thousands of farmers drove tractors into The Hague on Tuesday to protest against new "
        "nitrogen limits, blocking roads around the Binnenhof for most of the day.\n\n"
        "The agriculture minister, Femke Wiersma, told reporters that the government would "
        "spend €2.5bn over five years to buy out farms near protected nature areas. Wiersma "
        "said talks with the farmers' lobby LTO Nederland would resume in March.\n\n"
        "Rabobank, the country's largest lender to farmers, said about 15% of its agricultural "
        "loans were at risk. The European Commission has warned the Netherlands that it could "
        "face fines if it misses its 2030 targets."
        ),
        [
            ("Dutch", "NORP"), ("The Hague", "GPE"),
            ("The Hague", "GPE"), ("Tuesday", "DATE"), ("Binnenhof", "FAC"),
            ("Femke Wiersma", "PERSON"), ("€2.5bn", "MONEY"), ("five years", "DATE"),
            ("Wiersma", "PERSON"), ("LTO Nederland", "ORG"), ("March", "DATE"),
            ("Rabobank", "ORG"), ("about 15%", "PERCENT"), ("European Commission", "ORG"),
            ("Netherlands", "GPE"), ("2030", "DATE"),
        ],
    ),
    (
        (
        "Ottawa and Washington agree to review softwood lumber duties\n\n"
        "Canada's trade minister, Mary Ng, met the US trade representative, Katherine Tai, in "
        "Washington on 14 March to discuss duties on Canadian softwood lumber, which the "
        "Commerce Department raised to 14.5% last year.\n\n"
        "Ng said the two countries had agreed to set up a working group before the G7 summit in "
        "Italy in June. Lumber producers in British Columbia say the duties have cost them more "
        "than C$9bn since 2017, according to the BC Lumber Trade Council.\n\n"
        "Tai did not comment after the meeting. Shares in West Fraser, the largest producer, rose "
        "3% in Toronto."
        ),
        [
            ("Ottawa", "GPE"), ("Washington", "GPE"),
            ("Canada", "GPE"), ("Mary Ng", "PERSON"), ("US", "GPE"), ("Katherine Tai", "PERSON"),
            ("Washington", "GPE"), ("14 March", "DATE"), ("Canadian", "NORP"),
            ("Commerce Department", "ORG"), ("14.5%", "PERCENT"), ("last year", "DATE"),
            ("Ng", "PERSON"), ("G7", "ORG"), ("Italy", "GPE"), ("June", "DATE"),
            ("British Columbia", "GPE"), ("more than C$9bn", "MONEY"), ("2017", "DATE"),
            ("BC Lumber Trade Council", "ORG"),
            ("Tai", "PERSON"), ("West Fraser", "ORG"), ("3%", "PERCENT"), ("Toronto", "GPE"),
        ],
    ),
]


def seed_text(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        lines = [ln.strip() for ln in f.read().splitlines() if ln.strip()]
    return "\n\n".join(lines)


def locate(text: str, gold: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Turn an in-order list of (surface, label) into offsets (whole-word matches)."""
    import re

    out = []
    pos = 0
    for surface, label in gold:
        m = re.compile(r"(?<![\w])" + re.escape(surface) + r"(?![\w])").search(text, pos)
        if not m:
            raise ValueError(f"gold entity {surface!r} not found after offset {pos}")
        out.append((m.start(), m.end(), label))
        pos = m.end()
    return out
