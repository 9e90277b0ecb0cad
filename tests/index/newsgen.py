"""~200 short, invented local-news articles, generated deterministically from word lists
written for these tests. Every (who, what) pair is used once, so each headline and each
question has one right answer; bodies mention other towns and topics so that words overlap
across articles as they do in real news."""
from __future__ import annotations

import itertools
import random

WHO = ["Harbour workers", "The mayor of Eastbrook", "Farmers in the valley", "Rail unions",
       "Local bakers", "The river trust", "Parents at Kingsley school", "Hospital nurses",
       "The fishing fleet", "Cycling groups", "The museum board", "Taxi drivers",
       "Students at the college", "The water company", "Shopkeepers on Mill Street",
       "The football club", "Beekeepers", "The council leader", "Bus drivers", "Librarians"]
VERB = ["call for", "vote against", "welcome", "warn over", "protest about", "back",
        "question", "demand answers on", "plan a review of", "reject"]
WHAT = ["the new tram plans", "higher parking charges", "a ban on night flights",
        "the harbour levy", "cuts to library hours", "a fourth runway", "the flood barrier",
        "rising ferry fares", "the closure of the pier", "a tax on second homes"]
WHERE = ["Eastbrook", "Lowmere", "Ashford Vale", "Port Carrow", "Highfield", "Northwick",
         "Saltmarsh", "Elmstead"]
FILLER = ["Residents packed the town hall for a second evening.",
          "A consultation is expected to close in the spring.",
          "Critics said the figures had not been published.",
          "The decision will be reviewed by the regional office next year.",
          "Several councillors declined to comment on Friday.",
          "Supporters gathered outside with banners and flasks of tea.",
          "An independent report is due before the summer recess.",
          "Opposition members asked for the vote to be delayed."]
PUNCT = ["", ".", "!", "?", ""]


def articles(n: int = 200, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    pairs = list(itertools.product(range(len(WHO)), range(len(WHAT))))
    rng.shuffle(pairs)
    out = []
    for k, (wi, ti) in enumerate(pairs[:n]):
        who, what = WHO[wi], WHAT[ti]
        verb = VERB[(wi + ti) % len(VERB)]
        where = rng.choice(WHERE)
        other = rng.choice([w for w in WHERE if w != where])
        title = f"{who} {verb} {what} in {where}{rng.choice(PUNCT)}"
        body = " ".join([
            f"{who} in {where} said on Tuesday that they {verb} {what}.",
            rng.choice(FILLER),
            f"A similar row in {other} ended last year.",
            rng.choice(FILLER),
        ])
        out.append({"title": title, "body": body, "who": who, "verb": verb, "what": what,
                    "where": where, "published": f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}"})
    return out
