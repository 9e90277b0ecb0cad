"""Regions that GeoNames' city list lacks (written for Commonplace; no third-party data):
evidence that a name the model calls a place is one (see core/ner/evidence.py), never a
source of new spans."""
from __future__ import annotations

UK_REGIONS = (
    # counties and unitary areas of England
    "Bedfordshire", "Berkshire", "Buckinghamshire", "Cambridgeshire", "Cheshire", "Cornwall",
    "Cumbria", "Derbyshire", "Devon", "Dorset", "Durham", "County Durham", "Essex",
    "Gloucestershire", "Glos", "Hampshire", "Herefordshire", "Hertfordshire", "Herts",
    "Isle of Wight", "Kent", "Lancashire", "Leicestershire", "Lincolnshire", "Merseyside",
    "Norfolk", "Northamptonshire", "Northumberland", "Nottinghamshire", "Notts",
    "Oxfordshire", "Rutland", "Shropshire", "Somerset", "Staffordshire", "Suffolk", "Surrey",
    "Sussex", "East Sussex", "West Sussex", "Tyne and Wear", "Warwickshire", "Wiltshire",
    "Worcestershire", "Yorkshire", "North Yorkshire", "South Yorkshire", "West Yorkshire",
    "East Yorkshire", "Greater Manchester", "Greater London", "Middlesex", "Teesside",
    "Humberside", "Avon", "Cleveland", "Wirral", "Cotswolds", "Lake District", "Peak District",
    # English regions
    "East Anglia", "West Country", "Home Counties", "Midlands", "East Midlands",
    "West Midlands", "North East", "North West", "South East", "South West", "Yorkshire and the Humber",
    # Scotland, Wales, Northern Ireland
    "Highlands", "Scottish Borders", "Borders", "Lanarkshire", "Ayrshire", "Fife", "Lothian",
    "Perthshire", "Aberdeenshire", "Argyll", "Dumfries and Galloway", "Orkney", "Shetland",
    "Hebrides", "Outer Hebrides", "Inverness-shire", "Stirlingshire", "Angus", "Moray",
    "Gwynedd", "Powys", "Ceredigion", "Pembrokeshire", "Carmarthenshire", "Glamorgan",
    "Anglesey", "Snowdonia", "Antrim", "County Antrim", "Armagh", "Down", "County Down",
    "Fermanagh", "Londonderry", "Derry", "Tyrone",
    # London boroughs and districts often named in news
    "Camden", "Hackney", "Islington", "Lambeth", "Southwark", "Tower Hamlets", "Brixton",
    "Hammersmith", "Fulham", "Chelsea", "Kensington", "Westminster", "Wandsworth", "Croydon",
    "Ealing", "Brent", "Harrow", "Hillingdon", "Hounslow", "Richmond", "Greenwich", "Lewisham",
    "Newham", "Barnet", "Enfield", "Haringey", "Stratford", "Soho", "Mayfair", "Edgware",
    "Docklands", "Canary Wharf", "City of London",
)

WORLD_REGIONS = (
    # Irish counties
    "Cork", "Kerry", "Galway", "Mayo", "Donegal", "Wicklow", "Kildare", "Limerick", "Clare",
    # Indian states and territories
    "Andhra Pradesh", "Arunachal Pradesh", "Assam", "Bihar", "Chhattisgarh", "Goa",
    "Haryana", "Himachal Pradesh", "Jharkhand", "Karnataka", "Madhya Pradesh", "Manipur",
    "Meghalaya", "Mizoram", "Nagaland", "Odisha", "Orissa", "Rajasthan", "Sikkim",
    "Telangana", "Tripura", "Uttar Pradesh", "Uttarakhand", "Jammu", "Ladakh",
    # other provinces and regions
    "Aceh", "Bali", "Java", "Sumatra", "Borneo", "Sabah", "Sarawak", "Mindanao", "Luzon",
    "Guangdong", "Sichuan", "Yunnan", "Hubei", "Henan", "Shandong", "Zhejiang", "Jiangsu",
    "Fujian", "Hainan", "Inner Mongolia", "Balochistan", "Baluchistan", "Khyber Pakhtunkhwa",
    "Waziristan", "Helmand", "Kandahar", "Anbar", "Basra", "Kurdistan", "Galilee", "Negev",
    "Tuscany", "Piedmont", "Veneto", "Calabria", "Provence", "Alsace", "Burgundy",
    "Corsica", "Basque Country", "Galicia", "Valencia", "Asturias", "Castile", "Tyrol",
    "Silesia", "Transylvania", "Lapland", "Jutland", "Crete", "Cyprus", "Macedonia",
    "Patagonia", "Amazonia", "Chiapas", "Sonora", "Yucatan", "Oaxaca", "Ontario", "Quebec",
    "Victoria", "Queensland", "Tasmania", "Gauteng", "KwaZulu-Natal", "Natal", "Katanga",
    "Kivu", "Darfur", "Ogaden", "Harlem", "Brooklyn", "Manhattan", "Bronx", "Queens",
    "Staten Island", "Long Island", "New England", "Midwest", "Deep South", "Bay Area",
)
