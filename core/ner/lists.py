"""Hand-kept word lists for the rules layer (written for Commonplace; no third-party data).

Country and city names come from GeoNames via the generated resources/ner/gazetteer.json;
what is here is what GeoNames lacks: aliases, demonyms, regions, common organisations.
"""
from __future__ import annotations

COUNTRY_ALIASES = (
    "U.S.", "US", "USA", "U.S.A.", "America", "United States", "United States of America",
    "UK", "U.K.", "Britain", "Great Britain", "United Kingdom", "England", "Scotland", "Wales",
    "Northern Ireland", "Russia", "China", "Iran", "Syria", "North Korea", "South Korea",
    "Korea", "Taiwan", "Vietnam", "Laos", "Bolivia", "Venezuela", "Tanzania", "Moldova",
    "Czech Republic", "Czechia", "Ivory Coast", "Congo", "DR Congo", "Democratic Republic of Congo",
    "Holland", "the Netherlands", "Netherlands", "Burma", "Myanmar", "Palestine", "Gaza",
    "West Bank", "Kosovo", "Vatican", "Macedonia", "North Macedonia", "Turkey", "Türkiye",
    "UAE", "Emirates", "Hong Kong", "Macau", "Brunei", "East Timor", "Timor-Leste",
    "Micronesia", "Cape Verde", "Swaziland", "Eswatini",
)

GPE_EXTRA = (
    "Brussels", "Westminster", "Washington", "Beijing", "Moscow", "Kyiv", "Kiev", "Paris",
    "London", "Berlin", "Tehran", "Jerusalem", "Tel Aviv", "Strasbourg", "Luxembourg",
    "Geneva", "The Hague", "Davos", "Silicon Valley", "Kensington and Chelsea",
    "Whitehall", "Capitol Hill", "Hollywood", "Crimea", "Donbas", "Kashmir", "Tibet",
    "Xinjiang", "Catalonia", "Bavaria", "British Columbia", "Alberta", "Saskatchewan",
    "Manitoba", "Nova Scotia", "New Brunswick", "Newfoundland", "Yukon", "Nunavut",
    "Prince Edward Island", "New South Wales", "Queensland", "Tasmania", "Western Australia",
    "South Australia", "Northern Territory", "Flanders", "Wallonia", "Lombardy", "Sicily",
    "Sardinia", "Andalusia", "Brittany", "Normandy", "Saxony", "Punjab", "Sindh", "Kerala",
    "Gujarat", "Maharashtra", "Bengal", "West Bengal", "Tamil Nadu", "Hokkaido", "Okinawa",
    "Chechnya", "Dagestan", "Transnistria", "Abkhazia", "Darfur", "Tigray", "Kurdistan Region", "Quebec", "Ontario", "Texas", "California",
    "New York", "Florida", "Greenland", "Kabul", "Baghdad", "Damascus", "Kurdistan",
)

LOC = (
    "Europe", "Asia", "Africa", "North America", "South America", "Latin America",
    "Antarctica", "Oceania", "Middle East", "Near East", "Far East", "Balkans", "Caucasus",
    "Central Asia", "Southeast Asia", "South East Asia", "East Asia", "South Asia",
    "Western Europe", "Eastern Europe", "Central Europe", "Scandinavia", "Baltics",
    "Mediterranean", "Atlantic", "Pacific", "Indian Ocean", "Arctic", "Black Sea",
    "North Sea", "Baltic Sea", "Red Sea", "South China Sea", "Persian Gulf", "Gulf",
    "Sahara", "Sahel", "Alps", "Himalayas", "Amazon", "Nile", "Thames", "Danube", "Rhine",
    "English Channel", "Channel", "Horn of Africa", "sub-Saharan Africa", "West Africa",
    "East Africa", "North Africa", "Southern Africa", "Pacific Ocean", "Atlantic Ocean",
    "Arctic Ocean", "Caribbean", "Gulf of Mexico", "Strait of Hormuz", "Korean peninsula",
    "Iberian Peninsula", "Siberia", "Patagonia", "Asia-Pacific", "Indo-Pacific", "Earth",
)

# Entries a naive gazetteer would match as places but are usually ordinary words in news.
NOT_ENTITIES = frozenset({
    "Of", "Bath", "Reading", "Mobile", "Split", "Nice", "Male", "Sale", "March", "May",
    "Florence", "Victoria", "Lincoln", "Jackson", "Austin", "Orange", "Independence", "Union",
    "Hope", "Concord", "Providence", "Temple", "Mission", "Marathon", "Best", "Most", "Police",
    "Sucre", "Laval", "Mercedes", "Kent", "Surrey", "Essex", "Douglas", "Hamilton", "Guadalupe",
    "Santa", "Salt", "Regina", "Nelson", "Durham", "Monroe", "Warren", "Irving", "Cary",
    "Gary", "Rochester", "Aurora", "Trump", "Bristol", "Worcester", "Sheffield",
    "Man", "Hub", "Van",  # GeoNames cities that are common English words
})

# Nationality, religious and political group words (OntoNotes NORP).
NORP = (
    "American", "Americans", "British", "Briton", "Britons", "English", "Scottish", "Scots",
    "Welsh", "Irish", "French", "German", "Germans", "Italian", "Italians", "Spanish",
    "Spaniards", "Portuguese", "Dutch", "Belgian", "Belgians", "Swiss", "Austrian", "Swedish",
    "Swedes", "Norwegian", "Norwegians", "Danish", "Danes", "Finnish", "Finns", "Icelandic",
    "Polish", "Poles", "Czech", "Czechs", "Slovak", "Hungarian", "Hungarians", "Romanian",
    "Romanians", "Bulgarian", "Greek", "Greeks", "Turkish", "Turks", "Cypriot", "Russian",
    "Russians", "Ukrainian", "Ukrainians", "Belarusian", "Lithuanian", "Latvian", "Estonian",
    "Serbian", "Serbs", "Croatian", "Croats", "Bosnian", "Albanian", "Albanians", "Slovenian",
    "Georgian", "Armenian", "Armenians", "Azerbaijani", "Kazakh", "Uzbek", "Afghan", "Afghans",
    "Pakistani", "Pakistanis", "Indian", "Indians", "Bangladeshi", "Bangladeshis",
    "Sri Lankan", "Nepalese", "Nepali", "Chinese", "Japanese", "Korean", "Koreans",
    "North Korean", "South Korean", "Taiwanese", "Vietnamese", "Thai", "Filipino", "Filipinos",
    "Indonesian", "Indonesians", "Malaysian", "Singaporean", "Burmese", "Cambodian",
    "Australian", "Australians", "New Zealander", "Canadian", "Canadians", "Mexican",
    "Mexicans", "Cuban", "Cubans", "Brazilian", "Brazilians", "Argentine", "Argentinian",
    "Chilean", "Colombian", "Colombians", "Peruvian", "Venezuelan", "Venezuelans",
    "Bolivian", "Ecuadorian", "Haitian", "Haitians", "Jamaican", "Iraqi", "Iraqis", "Iranian",
    "Iranians", "Israeli", "Israelis", "Palestinian", "Palestinians", "Syrian", "Syrians",
    "Lebanese", "Jordanian", "Saudi", "Saudis", "Yemeni", "Egyptian", "Egyptians", "Libyan",
    "Libyans", "Tunisian", "Algerian", "Moroccan", "Sudanese", "Ethiopian", "Ethiopians",
    "Eritrean", "Somali", "Somalis", "Kenyan", "Kenyans", "Ugandan", "Nigerian", "Nigerians",
    "Ghanaian", "Senegalese", "Malian", "Congolese", "Rwandan", "Zimbabwean", "South African",
    "South Africans", "African", "Africans", "European", "Europeans", "Asian", "Asians",
    "Arab", "Arabs", "Arabic", "Kurdish", "Kurds", "Persian", "Pashtun", "Baloch", "Tamil",
    "Tamils", "Sikh", "Sikhs", "Hindu", "Hindus", "Muslim", "Muslims", "Christian",
    "Christians", "Catholic", "Catholics", "Protestant", "Protestants", "Jewish", "Jews",
    "Jew", "Buddhist", "Buddhists", "Sunni", "Sunnis", "Shia", "Shiite", "Shiites",
    "Islamic", "Islamist", "Islamists", "Orthodox", "Evangelical", "Latino", "Latinos",
    "Hispanic", "Western", "Westerners", "Soviet", "Nazi", "Nazis", "Democrat", "Democrats",
    "Republican", "Republicans", "Conservative", "Conservatives", "Tory", "Tories",
    "Labourite", "Liberal Democrats", "Lib Dems", "Brexiteer", "Brexiteers", "Remainers",
    "Communist", "Communists", "Socialist", "Socialists", "Emirati", "Qatari", "Kuwaiti",
    "Omani", "Bahraini", "Uyghur", "Uyghurs", "Uighur", "Rohingya", "Tibetan", "Mongolian",
    "Scandinavian", "Balkan", "Baltic", "Latin American", "Caribbean", "Yazidi", "Druze",
    "Houthi", "Houthis", "Alawite", "Maori", "Aboriginal", "Inuit", "Brit", "Brits",
    "Ulster", "Flemish", "Walloon", "Bavarian", "Catalan", "Basque", "Corsican",
)

# Frequently named organisations in news (acronyms and names). Matched case-sensitively.
ORG = (
    "EU", "European Union", "European Commission", "European Parliament", "European Council",
    "Council of Europe", "European Central Bank", "ECB", "NATO", "Nato", "UN", "U.N.",
    "United Nations", "UN Security Council", "Security Council", "General Assembly",
    "WHO", "World Health Organization", "IMF", "International Monetary Fund", "World Bank",
    "WTO", "World Trade Organization", "OPEC", "Opec", "OECD", "G7", "G20", "G8", "ASEAN",
    "African Union", "Arab League", "UNESCO", "Unesco", "UNICEF", "Unicef", "UNHCR",
    "Red Cross", "Red Crescent", "Amnesty International", "Human Rights Watch",
    "Greenpeace", "Oxfam", "Interpol", "Europol", "Frontex", "IAEA", "ICC",
    "International Criminal Court", "International Court of Justice", "Hamas", "Hezbollah",
    "Taliban", "Taleban", "al-Qaeda", "al-Qaida", "al Qaeda", "Islamic State", "ISIS", "ISIL",
    "Isis", "Kremlin", "Pentagon", "White House", "State Department", "Congress", "Senate",
    "House of Representatives", "House of Commons", "House of Lords", "Parliament",
    "Bundestag", "Knesset", "Duma", "Foreign Office", "Home Office", "Treasury", "Cabinet Office",
    "Ministry of Defence", "Ministry of Defense", "MoD", "NHS", "BBC", "CNN", "Reuters",
    "Associated Press", "AP", "AFP", "Bloomberg", "Guardian", "The Guardian", "Financial Times",
    "New York Times", "Washington Post", "Wall Street Journal", "The Times", "Telegraph",
    "Daily Mail", "The Economist", "Economist", "Politico", "Xinhua", "Al Jazeera", "VOA",
    "CIA", "FBI", "NSA", "MI5", "MI6", "GCHQ", "NASA", "Nasa", "ESA", "Fed", "Federal Reserve",
    "Bank of England", "Supreme Court", "High Court", "Court of Appeal", "Labour",
    "Labour Party", "Labor", "Conservative Party", "Tory party", "Liberal Democrats",
    "Lib Dems", "Lib Dem", "Reform UK", "SNP", "Scottish National Party", "Plaid Cymru", "DUP",
    "Sinn Féin", "Sinn Fein", "Green Party", "Greens", "Democratic Party", "Republican Party",
    "GOP", "CDU", "SPD", "AfD", "Apple", "Google", "Microsoft", "Meta", "Facebook",
    "Twitter", "Tesla", "OpenAI", "Nvidia", "Samsung", "Toyota", "Volkswagen", "Airbus",
    "Boeing", "BAE Systems", "Rolls-Royce", "Shell", "BP", "Gazprom", "Huawei", "TikTok",
    "Alibaba", "Goldman Sachs", "JPMorgan", "HSBC", "Barclays", "Lloyds", "Deutsche Bank",
    "Eurostat", "Ofcom", "Ofgem", "Met Office", "Metropolitan Police", "Scotland Yard",
    "Downing Street", "Commons", "Lords", "European Investment Bank", "EIB", "Reuter", "REUTER",
)

# Words that never start a PERSON (titles, roles) — used by the consistency layer.
TITLES = (
    "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Sir", "Dame", "Lord", "Lady",
    "President", "Prime", "Minister", "Chancellor", "Secretary", "Senator", "Sen.", "Rep.",
    "Governor", "Gov.", "Mayor", "King", "Queen", "Prince", "Princess", "Pope", "General",
    "Gen.", "Commissioner", "Professor", "Prof.", "Judge", "Justice", "Ambassador", "Chair",
    "Chairman", "Chairwoman", "Speaker", "Leader", "MP", "Deputy", "Saint", "St.",
)

# Named events (OntoNotes EVENT).
EVENT = (
    "Brexit", "World War I", "World War II", "First World War", "Second World War",
    "Cold War", "Holocaust", "Olympics", "Olympic Games", "Paralympics", "World Cup",
    "Euro 2024", "Arab Spring", "Great Depression", "Vietnam War", "Iraq War", "Gulf War",
    "Korean War", "Six-Day War", "9/11", "Covid-19 pandemic", "Cop26", "COP26", "Cop28",
    "COP28", "Glastonbury", "Super Bowl", "Wimbledon", "Tour de France", "Eurovision",
    "Davos summit", "G7 summit", "G20 summit", "Nato summit", "NATO summit",
)
