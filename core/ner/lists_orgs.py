"""Organisation word lists written for Commonplace (no third-party data): legal suffixes and
sports clubs, which news names constantly and which look like places or people."""
from __future__ import annotations

import re
from functools import lru_cache

# Suffixes whose full stop belongs to the name ("Apple Inc.", "Acme Corp.").
LEGAL_SUFFIXES = frozenset({"Inc", "Corp", "Co", "Ltd", "Bros", "Plc"})
# A name ending in one of these is an organisation whatever the model said.
LEGAL_SUFFIX_WORDS = frozenset({"Inc", "Corp", "Ltd", "plc", "PLC", "LLC", "LLP", "GmbH", "AG",
                                "NV", "SpA", "Bros"})

# Clubs named after their town: the club only in a sports report, and not after "in".
CITY_CLUBS = frozenset({
    "Liverpool", "Newcastle", "Middlesbrough", "Bolton", "Blackburn", "Southampton", "Portsmouth",
    "Birmingham", "Norwich", "Fulham", "Charlton", "Leeds", "Sunderland", "Wigan", "Reading",
    "Watford", "Burnley", "Brighton", "Bournemouth", "Cardiff", "Swansea", "Leicester",
    "Nottingham Forest", "Derby", "Sheffield", "Coventry", "Ipswich", "Stoke", "Hull", "Preston",
    "Plymouth", "Crewe", "Millwall", "Brentford", "Luton", "Barnsley", "Rotherham", "Gillingham",
    "Wolves", "Wolverhampton", "Aberdeen", "Dundee", "Kilmarnock", "Motherwell", "Hibernian",
    "Livingston", "Inverness", "Falkirk", "Hearts", "Dunfermline", "Barcelona", "Madrid",
    "Valencia", "Seville", "Sevilla", "Milan", "Inter", "Juventus", "Roma", "Lazio", "Porto",
    "Lyon", "Marseille", "Monaco", "Munich", "Dortmund", "Hamburg", "Bremen", "Leverkusen",
    "Eindhoven", "Ajax", "Benfica", "Olympiakos", "Olympiacos", "Bath", "Gloucester", "Saracens",
    "Northampton", "Worcester", "Bristol", "Exeter", "Newport", "Llanelli", "Leinster",
    "Munster", "Ulster", "Toulouse", "Wasps", "Harlequins",
})

# Clubs whose names do not name a town; also ORG in sports reports.
CLUBS = (
    "Chelsea", "Arsenal", "Everton", "Tottenham", "Tottenham Hotspur", "Spurs", "Aston Villa",
    "Villa", "West Ham", "West Ham United", "West Brom", "West Bromwich Albion", "Crystal Palace",
    "Palace", "Manchester United", "Manchester City", "Man Utd", "Man United", "Man City",
    "Newcastle United", "Leeds United", "Sheffield United", "Sheffield Wednesday", "Leicester City",
    "Norwich City", "Stoke City", "Cardiff City", "Swansea City", "Hull City", "Bristol City",
    "Birmingham City", "Coventry City", "Derby County", "Ipswich Town", "Luton Town",
    "Queens Park Rangers", "QPR", "Blackburn Rovers", "Bolton Wanderers", "Wigan Athletic",
    "Charlton Athletic", "Oldham Athletic", "Preston North End", "Brighton and Hove Albion",
    "Wolverhampton Wanderers", "Nottingham Forest", "Celtic", "Rangers", "Hibs",
    "Heart of Midlothian", "Dundee United", "Dundee Utd", "Partick Thistle", "St Mirren",
    "St Johnstone", "Inverness Caledonian Thistle", "Inverness CT", "Real Madrid", "Atletico Madrid",
    "Bayern Munich", "Borussia Dortmund", "Bayer Leverkusen", "Werder Bremen", "Schalke",
    "AC Milan", "Inter Milan", "Internazionale", "Paris St-Germain", "Paris Saint-Germain", "PSG",
    "PSV Eindhoven", "PSV", "Deportivo", "Deportivo La Coruna", "Villarreal", "Real Betis",
    "Sporting Lisbon", "Fenerbahce", "Galatasaray", "CSKA Moscow", "Dynamo Kiev", "Shakhtar Donetsk",
    "Leicester Tigers", "Bath Rugby", "Sale Sharks", "London Irish", "Leeds Tykes",
    "Newcastle Falcons", "Gloucester Rugby", "Northampton Saints", "Worcester Warriors",
    "Bristol Rugby", "Ospreys", "Scarlets", "Cardiff Blues", "Glasgow Warriors", "Edinburgh Rugby",
    "Gunners", "Blues", "Reds", "Hammers", "Toffees", "Magpies", "Canaries", "Saints", "Baggies",
    "Hornets", "Foxes", "Black Cats", "Azzurri", "All Blacks", "Wallabies", "Springboks",
    "Les Bleus", "Boks", "Red Devils", "Lions", "Black Caps", "Proteas",
    "New York Yankees", "Boston Red Sox", "Los Angeles Lakers", "Chicago Bulls", "Ferrari",
    "Premiership", "Premier League", "Football League", "Scottish Premier League", "Bundesliga",
    "Serie A", "La Liga", "Uefa", "UEFA", "Fifa", "FIFA", "FA", "Football Association", "RFU",
    "ICC", "IAAF", "ATP", "WTA", "England and Wales Cricket Board", "ECB", "McLaren", "Renault", "Williams F1", "Jordan Grand Prix", "Minardi", "Red Bull",
)


# Club names that are not also towns, nicknames or common words: two of them in one article
# (or one beside a sports word) make it an article about clubs.
NON_PLACE_CLUBS = frozenset({
    "Chelsea", "Arsenal", "Everton", "Tottenham", "Tottenham Hotspur", "Aston Villa", "West Ham",
    "West Brom", "Manchester United", "Manchester City", "Man Utd", "Man City", "Celtic",
    "Rangers", "Real Madrid", "Bayern Munich", "AC Milan", "Inter Milan", "Juventus",
    "Barcelona", "Newcastle United", "Leeds United", "Fulham", "Blackburn Rovers", "Bolton Wanderers",
})


@lru_cache(maxsize=1)
def club_regex() -> re.Pattern[str]:
    names = sorted(set(CLUBS) | CITY_CLUBS, key=len, reverse=True)
    return re.compile(r"(?<![\w’'-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


# Sports grounds (OntoNotes FAC), recognised in sports reports only: the model calls them
# places ("Old Trafford") or clubs.
GROUNDS = (
    "Old Trafford", "Anfield", "Highbury", "Emirates Stadium", "Stamford Bridge", "Goodison Park",
    "Villa Park", "White Hart Lane", "St James' Park", "St James's Park", "St James Park",
    "Ewood Park", "Craven Cottage", "Selhurst Park", "Upton Park", "Boleyn Ground", "The Valley",
    "Fratton Park", "St Mary's", "Elland Road", "Hillsborough", "Bramall Lane", "Molineux",
    "The Hawthorns", "Pride Park", "City Ground", "Carrow Road", "Portman Road", "Loftus Road",
    "Riverside Stadium", "Stadium of Light", "Reebok Stadium", "JJB Stadium", "Turf Moor",
    "Bloomfield Road", "Vicarage Road", "Kenilworth Road", "Home Park", "Ashton Gate",
    "Ninian Park", "Vetch Field", "Filbert Street", "Walkers Stadium", "Maine Road",
    "City of Manchester Stadium", "St Andrew's", "Britannia Stadium", "Madejski Stadium",
    "Ibrox", "Celtic Park", "Parkhead", "Hampden Park", "Hampden", "Pittodrie", "Tynecastle",
    "Easter Road", "Tannadice", "Dens Park", "Murrayfield", "Twickenham", "Millennium Stadium",
    "Lansdowne Road", "Croke Park", "Stade de France", "Wembley", "Wembley Stadium",
    "Headingley", "Lord's", "The Oval", "Edgbaston", "Trent Bridge", "Old Trafford Cricket Ground",
    "Welford Road", "Kingsholm", "Franklin's Gardens", "The Rec", "Kingston Park",
    "Nou Camp", "Camp Nou", "Bernabeu", "Santiago Bernabeu", "San Siro", "Stadio Olimpico",
    "Stade Velodrome", "Westfalenstadion", "Allianz Arena", "Amsterdam Arena", "Estadio da Luz",
    "Stadium Australia", "Eden Park", "Ellis Park", "Melbourne Cricket Ground", "MCG",
)


@lru_cache(maxsize=1)
def ground_regex() -> re.Pattern[str]:
    names = sorted(set(GROUNDS), key=len, reverse=True)
    return re.compile(r"(?<![\w’'-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
