"""Development gold for entity recognition (issue #13): 22 news articles from ../shared/data
(16 BBC: sport, business, politics, tech, entertainment; 4 Reuters-21578 bodies; the 2 GUM
news dev documents, which the model never trains on), annotated by hand for Commonplace.

Conventions as tests/core/ner_gold.py (OntoNotes): no titles or determiners inside names
except in DATE spans ("the next three years"); possessive 's outside; ages and durations are
DATE; sports clubs and leagues are ORG, national teams named by a country stay GPE; labels
outside our set (CARDINAL, TIME, PRODUCT, WORK_OF_ART...) are not annotated. Only the entity
lists live here: the texts are read from ../shared at run time (BBC and Reuters are research-use
only). The article-extraction-benchmark pages are never used.
"""
from __future__ import annotations

import html
import os
import re

SHARED = os.environ.get("COMMONPLACE_SHARED",
                        os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
DATA = os.path.join(SHARED, "data")

DEV_GOLD: list[tuple[str, list[tuple[str, str]]]] = [
    ("bbc/sport/071", [
        ("Tomlinson", "PERSON"), ("Europe", "LOC"), ("Chris Tomlinson", "PERSON"),
        ("European Indoor Championships", "EVENT"), ("23-year-old", "DATE"), ("Madrid", "GPE"),
        ("Lievin", "GPE"), ("this week", "DATE"), ("Lanzarote", "LOC"), ("Peter Stanley", "PERSON"),
        ("Birmingham", "GPE"), ("Mark Lewis-Francis", "PERSON"), ("Madrid", "GPE"),
        ("Thursday", "DATE"), ("Birmingham", "GPE"), ("Birmingham", "GPE"), ("last week", "DATE"),
        ("next month", "DATE"), ("European Indoor Championships", "EVENT"),
        ("Lewis-Francis", "PERSON"), ("British", "NORP"), ("Jason Gardener", "PERSON"),
        ("Europeans", "EVENT"), ("three years ago", "DATE"), ("Tomlinson", "PERSON"),
        ("this season", "DATE"), ("Madrid", "GPE"), ("Middlesbrough", "GPE"),
        ("Birmingham Grand Prix", "EVENT"), ("Savante Stringfellow", "PERSON"),
    ]),
    ("bbc/sport/098", [
        ("Ronaldo", "PERSON"), ("Manchester United", "ORG"), ("Cristiano Ronaldo", "PERSON"),
        ("Old Trafford", "FAC"), ("Portugal", "GPE"), ("August 2003", "DATE"),
        ("five-year", "DATE"), ("United", "ORG"), ("United", "ORG"), ("News of the World", "ORG"),
        ("Ronaldo", "PERSON"), ("tomorrow", "DATE"),
    ]),
    ("bbc/sport/280", [
        ("Mourinho", "PERSON"), ("Arsenal", "ORG"), ("Chelsea", "ORG"), ("Jose Mourinho", "PERSON"),
        ("Arsenal", "ORG"), ("Gunners", "ORG"), ("Newcastle", "ORG"), ("Wednesday", "DATE"),
        ("Arsenal", "ORG"), ("Magpies", "ORG"), ("Chelsea", "ORG"), ("Portsmouth", "ORG"),
        ("Mourinho", "PERSON"), ("two or three days", "DATE"), ("John Terry", "PERSON"),
        ("Chelsea", "ORG"), ("Jose Mourinho", "PERSON"), ("Fratton Park", "FAC"),
        ("this time of year", "DATE"), ("three days", "DATE"), ("this time of year", "DATE"),
        ("European", "NORP"),
    ]),
    ("bbc/sport/053", [
        ("Gebrselassie", "PERSON"), ("London", "GPE"), ("Olympic", "EVENT"),
        ("Haile Gebrselassie", "PERSON"), ("London Marathon", "EVENT"),
        ("the next three years", "DATE"), ("Ethiopian", "NORP"), ("Sunday", "DATE"),
        ("Almeria", "GPE"), ("Spain", "GPE"), ("London", "GPE"), ("2002", "DATE"),
        ("Haile", "PERSON"), ("the next three years", "DATE"), ("David Bedford", "PERSON"),
        ("Gebrselassie", "PERSON"), ("Olympic", "EVENT"), ("Stefano Baldini", "PERSON"),
        ("Jaouad Gharib", "PERSON"), ("Paul Tergat", "PERSON"), ("Gebrselassie", "PERSON"),
    ]),
    ("bbc/sport/255", [
        ("Ferguson", "PERSON"), ("Alex Ferguson", "PERSON"), ("Manchester United", "ORG"),
        ("Chelsea", "ORG"), ("Everton", "ORG"), ("Arsenal", "ORG"), ("Fulham", "ORG"),
        ("Premiership", "ORG"), ("Chelsea", "ORG"), ("Gunners", "ORG"), ("Sunday", "DATE"),
        ("United", "ORG"), ("Ferguson", "PERSON"), ("the weekend", "DATE"), ("United", "ORG"),
        ("Alan Smith", "PERSON"), ("Bouba Diop", "PERSON"), ("Ferguson", "PERSON"),
        ("United", "ORG"), ("Fulham", "ORG"), ("Ferguson", "PERSON"), ("Arsenal", "ORG"),
        ("Chelsea", "ORG"),
    ]),
    ("bbc/business/418", [
        ("US", "GPE"), ("Lacroix", "ORG"), ("US", "GPE"), ("LVMH", "ORG"),
        ("Christian Lacroix", "ORG"), ("Paris", "GPE"), ("LVMH", "ORG"), ("Moet & Chandon", "ORG"),
        ("Louis Vuitton", "ORG"), ("Falic Group", "ORG"), ("Hard Candy", "ORG"),
        ("Urban Decay", "ORG"), ("LVMH", "ORG"), ("early 2003", "DATE"), ("Florida", "GPE"),
        ("US", "GPE"), ("LVMH", "ORG"), ("Falic Group", "ORG"), ("Christian Lacroix", "PERSON"),
        ("Simon Falic", "PERSON"), ("Reuters", "ORG"),
    ]),
    ("bbc/business/373", [
        ("Quiksilver", "ORG"), ("Rossignol", "ORG"), ("Skis Rossignol", "ORG"),
        ("as much as 15%", "PERCENT"), ("US", "GPE"), ("Quiksilver", "ORG"), ("Rossignol", "ORG"),
        ("Boix-Vives", "PERSON"), ("Quiksilver", "ORG"), ("Rossignol", "ORG"), ("Nike", "ORG"),
        ("K2", "ORG"), ("Rossignol", "ORG"), ("17.70 euros", "MONEY"), ("7.8%", "PERCENT"),
        ("16.60 euros", "MONEY"), ("European", "NORP"), ("US", "GPE"), ("Quiksilver", "ORG"),
        ("Rossignol", "ORG"), ("Boix-Vives", "PERSON"), ("the past couple of years", "DATE"),
        ("Rossignol", "ORG"),
    ]),
    ("bbc/business/060", [
        ("US", "GPE"), ("American International Group", "ORG"), ("AIG", "ORG"),
        ("Marsh & McLennan", "ORG"), ("New York", "GPE"), ("Eliot Spitzer", "PERSON"),
        ("Tuesday", "DATE"), ("Marsh", "ORG"), ("Joshua Bewlay", "PERSON"), ("four years", "DATE"),
        ("Marsh", "ORG"), ("Bewlay", "PERSON"), ("Spitzer", "PERSON"), ("US", "GPE"),
        ("Last month", "DATE"), ("Marsh", "ORG"), ("$850m", "MONEY"), ("£415m", "MONEY"),
        ("Spitzer", "PERSON"),
    ]),
    ("bbc/business/355", [
        ("Israeli", "NORP"), ("Israel", "GPE"), ("4.2%", "PERCENT"), ("2004", "DATE"),
        ("three-year", "DATE"), ("Palestinian", "NORP"), ("Israeli", "NORP"),
        ("earlier this year", "DATE"), ("the second half", "DATE"), ("the year", "DATE"),
        ("14%", "PERCENT"), ("30%", "PERCENT"), ("13%", "PERCENT"), ("2003", "DATE"),
        ("1.8%", "PERCENT"), ("2003", "DATE"), ("1.3%", "PERCENT"),
    ]),
    ("bbc/politics/235", [
        ("Lib Dems", "ORG"), ("Lib Dems", "ORG"), ("BT", "ORG"), ("Sandy Walkington", "PERSON"),
        ("Matthew Taylor", "PERSON"), ("Rennard", "PERSON"), ("Lib Dem", "ORG"),
        ("Walkington", "PERSON"), ("Walkington", "PERSON"),
    ]),
    ("bbc/politics/145", [
        ("BNP", "ORG"), ("UK Independence Party", "ORG"), ("UKIP", "ORG"),
        ("British National Party", "ORG"), ("BNP", "ORG"), ("Nicholas Betts-Green", "PERSON"),
        ("Suffolk Coastal", "GPE"), ("BNP", "ORG"), ("Betts-Green", "PERSON"), ("UKIP", "ORG"),
        ("Betts-Green", "PERSON"), ("East Anglian Daily Times", "ORG"), ("last month", "DATE"),
        ("BNP", "ORG"), ("BNP", "ORG"), ("Suffolk Coastal", "GPE"), ("UKIP", "ORG"),
        ("next week", "DATE"), ("Betts-Green", "PERSON"), ("Woodbridge", "GPE"),
        ("Suffolk", "GPE"), ("UKIP", "ORG"),
    ]),
    ("bbc/politics/091", [
        ("Liberal Democrats", "ORG"), ("£100", "MONEY"), ("£200", "MONEY"), ("£300", "MONEY"),
        ("Tories", "NORP"), ("Lib Dems", "ORG"), ("Ed Davey", "PERSON"),
        ("Liberal Democrat", "NORP"), ("£100", "MONEY"),
    ]),
    ("bbc/tech/284", [
        ("Apple", "ORG"), ("Apple", "ORG"), ("Apple", "ORG"), ("iDefence", "ORG"),
        ("2003", "DATE"),
    ]),
    ("bbc/tech/238", [
        ("Sony", "ORG"), ("Sony", "ORG"), ("Japan", "GPE"), ("Sunday", "DATE"), ("Europe", "LOC"),
        ("North America", "LOC"), ("next year", "DATE"), ("Sony", "ORG"), ("year's end", "DATE"),
        ("Sony", "ORG"), ("March 2005", "DATE"), ("Nintendo", "ORG"), ("Nintendo", "ORG"),
        ("earlier this year", "DATE"), ("40%", "PERCENT"), ("Japan", "GPE"),
        ("19,800 yen", "MONEY"), ("$188", "MONEY"), ("£98", "MONEY"), ("Nintendo", "ORG"),
        ("US", "GPE"), ("Japan", "GPE"), ("$150", "MONEY"), ("£78", "MONEY"), ("Nintendo", "ORG"),
        ("March 2005", "DATE"),
    ]),
    ("bbc/entertainment/083", [
        ("Cage", "PERSON"), ("US", "GPE"), ("Nicolas Cage", "PERSON"), ("US", "GPE"),
        ("Canada", "GPE"), ("$17.1m", "MONEY"), ("£8.8m", "MONEY"), ("Friday", "DATE"),
        ("Sunday", "DATE"), ("$110.2m", "MONEY"), ("£56.7m", "MONEY"), ("Tim Allen", "PERSON"),
        ("Jamie Lee Curtis", "PERSON"), ("Jude Law", "PERSON"), ("Oliver Stone", "PERSON"),
        ("Colin Farrell", "PERSON"), ("last week", "DATE"), ("$4.7m", "MONEY"), ("£2.4m", "MONEY"),
        ("$150m", "MONEY"), ("£77m", "MONEY"), ("Cage", "PERSON"), ("Ben Gates", "PERSON"),
        ("Disney Studios", "ORG"), ("Cage", "PERSON"), ("Jerry Bruckheimer", "PERSON"),
    ]),
    ("bbc/entertainment/070", [
        ("UK", "GPE"), ("Hollywood", "GPE"), ("Bafta", "ORG"), ("Sunday", "DATE"),
        ("Bafta", "ORG"), ("BBC One", "ORG"), ("Richard McCourt", "PERSON"),
        ("Dominic Wood", "PERSON"), ("Floella Benjamin", "PERSON"), ("25 years ago", "DATE"),
        ("2001", "DATE"), ("South American", "NORP"), ("Tony Collingwood", "PERSON"),
        ("Debbie Isitt", "PERSON"), ("Jacqueline Wilson", "PERSON"), ("Bafta", "ORG"),
    ]),
    ("reuters/3292", [
        ("Paris", "GPE"), ("two weeks ago", "DATE"), ("Bank for International Settlements", "ORG"),
        ("BIS", "ORG"), ("France", "GPE"), ("today", "DATE"), ("British", "NORP"),
        ("Europe", "LOC"), ("West Germany", "GPE"), ("Group of 10", "ORG"),
        ("Michel Camdessus", "PERSON"), ("International Monetary Fund", "ORG"), ("IMF", "ORG"),
        ("Brazil", "GPE"), ("Brazil", "GPE"), ("BIS", "ORG"), ("Reuter", "ORG"),
    ]),
    ("reuters/3338", [
        ("the next two to three years", "DATE"), ("U.S.", "GPE"), ("Anthony Solomon", "PERSON"),
        ("S.G. Warburg (USA) Inc", "ORG"), ("Federal Reserve Bank of New York", "ORG"),
        ("Japan Society", "ORG"), ("Solomon", "PERSON"), ("the next three years", "DATE"),
        ("Solomon", "PERSON"), ("150 billion dlr", "MONEY"), ("U.S.", "GPE"),
        ("Solomon", "PERSON"), ("4.5 pct", "PERCENT"), ("year-end", "DATE"), ("five pct", "PERCENT"),
        ("Reuter", "ORG"),
    ]),
    ("reuters/3245", [
        ("British Airports Authority Plc", "ORG"), ("later this year", "DATE"),
        ("200 mln stg", "MONEY"), ("100 mln stg", "MONEY"), ("50 mln stg", "MONEY"),
        ("seven years", "DATE"), ("65 pct", "PERCENT"), ("Up to 35 pct", "PERCENT"),
        ("two months", "DATE"), ("seven days", "DATE"), ("12.5 mln stg", "MONEY"),
        ("Samuel Montagu and Co Ltd", "ORG"), ("REUTER", "ORG"),
    ]),
    ("reuters/3878", [
        ("Bank of Italy", "ORG"), ("Italian", "NORP"), ("50 billion lire", "MONEY"),
        ("last month", "DATE"), ("Italian", "NORP"), ("20 pct", "PERCENT"), ("Reuter", "ORG"),
    ]),
    ("gum/homeopathic", [
        ("Friday, May 8, 2009", "DATE"), ("Thomas Sam", "PERSON"), ("42", "DATE"),
        ("Manju Sam", "PERSON"), ("36", "DATE"), ("Sydney", "GPE"), ("Australia", "GPE"),
        ("nine-month-old", "DATE"), ("Gloria", "PERSON"), ("Social Science & Medicine", "ORG"),
        ("Jambula", "PERSON"), ("Gloria", "PERSON"), ("four months", "DATE"),
        ("Thomas Sam", "PERSON"), ("Gloria", "PERSON"), ("Crown", "ORG"),
        ("Mark Tedeschi", "PERSON"), ("Gloria", "PERSON"), ("the last five months", "DATE"),
        ("Gloria", "PERSON"), ("Tedeschi", "PERSON"), ("the last five months", "DATE"),
        ("Gloria", "PERSON"), ("Crown", "ORG"), ("Sams", "PERSON"), ("Gloria", "PERSON"),
        ("Thomas", "PERSON"), ("Gloria", "PERSON"), ("India", "GPE"), ("Gloria", "PERSON"),
        ("Sydney Morning Herald", "ORG"), ("Tom Molomby", "PERSON"), ("India", "GPE"),
    ]),
    ("gum/iodine", [
        ("Australian", "NORP"), ("Thursday, February 23, 2006", "DATE"), ("Australian", "NORP"),
        ("Australian", "NORP"), ("Australia", "GPE"), ("Medical Journal of Australia", "ORG"),
        ("this week", "DATE"), ("Australia", "GPE"), ("8–10 years", "DATE"),
        ("New South Wales", "GPE"), ("Victoria", "GPE"), ("South Australia", "GPE"),
        ("Western Australia", "GPE"), ("Queensland", "GPE"), ("July 2003", "DATE"),
        ("December 2004", "DATE"), ("Tasmania", "GPE"), ("Australian", "NORP"),
        ("Australia", "GPE"), ("Cres Eastman", "PERSON"),
        ("Australian Centre for Control of Iodine Deficiency Disorders", "ORG"),
        ("Eastman", "PERSON"), ("United States", "GPE"), ("European", "NORP"),
        ("Food Standards of Australia and New Zealand", "ORG"), ("Australia", "GPE"),
        ("at least four decades", "DATE"), ("Eastman", "PERSON"), ("10 per cent", "PERCENT"),
        ("Australian", "NORP"), ("World Health Organisation", "ORG"), ("Eastman", "PERSON"),
        ("World Health Organisation", "ORG"), ("WHO", "ORG"), ("WHO", "ORG"),
        ("Eastman", "PERSON"), ("Australia", "GPE"), ("Australia", "GPE"),
        ("Lydia Buchtmann", "PERSON"), ("Food Standards Australia New Zealand", "ORG"),
        ("the end of the year", "DATE"), ("Bauchtman", "PERSON"), ("Mu Li", "PERSON"),
        ("University of NSW", "ORG"),
    ]),
]


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def article_text(source: str) -> str:
    """The text of one gold article as the recogniser sees it (blocks joined by a blank line).
    Raises OSError when ../shared is absent."""
    kind, _, rest = source.partition("/")
    if kind == "bbc":
        with open(os.path.join(DATA, "news-bbc", "bbc", rest + ".txt"), "rb") as f:
            lines = [ln.strip() for ln in _decode(f.read()).splitlines() if ln.strip()]
        return "\n\n".join(lines)
    if kind == "reuters":
        from core.text import blocks_from_plain

        with open(os.path.join(DATA, "news-reuters21578", "reut2-003.sgm"), encoding="latin-1") as f:
            src = f.read()
        m = re.search(f'NEWID="{re.escape(rest)}">(.*?)</REUTERS>', src, re.S)
        if not m:
            raise OSError(f"Reuters story {rest} not found")
        body = re.search(r"<BODY>(.*?)</BODY>", m.group(1), re.S)
        return blocks_from_plain(html.unescape(body.group(1) if body else "")).text
    if kind == "gum":
        from scripts.ner import data

        for text, _, name in data.read_gum("dev"):
            if name == rest:
                return text
        raise OSError(f"GUM document {rest} not found")
    raise ValueError(source)


def dev_items() -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """(source, text, gold spans) for every dev article; OSError when ../shared is absent."""
    from tests.core.ner_gold import locate

    out = []
    for source, gold in DEV_GOLD:
        text = article_text(source)
        out.append((source, text, locate(text, gold)))
    return out
