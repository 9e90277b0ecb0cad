"""Readers for the NER corpora in ../shared/data, mapped to OntoNotes-style labels.

Each reader yields examples ``(text, [(start, end, label), ...], doc_id)``; texts are built
by joining tokens with spaces (or no space where the corpus says SpaceAfter=No), so
offsets are character offsets into that text.

Used by scripts/ner/train.py (GMB + GUM train split) and bench/ner_eval.py (UNER news
half, GUM dev/test). Nothing here is shipped; the data stays out of the repository.
"""
from __future__ import annotations

import csv
import glob
import io
import os
import re
from collections.abc import Iterator

SHARED = os.environ.get(
    "COMMONPLACE_SHARED",
    os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"),
)
DATA = os.path.join(SHARED, "data")

Example = tuple[str, list[tuple[int, int, str]], str]

# Titles and role words that OntoNotes keeps outside PERSON spans (GMB keeps them inside).
TITLES = {
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord", "lady",
    "president", "prime", "minister", "vice", "general", "gen.", "secretary", "senator",
    "sen.", "king", "queen", "prince", "princess", "pope", "chancellor", "premier",
    "governor", "gov.", "mayor", "ambassador", "envoy", "chairman", "chief", "judge",
    "justice", "rev.", "reverend", "father", "sheikh", "ayatollah", "cardinal", "bishop",
    "archbishop", "commander", "colonel", "col.", "lt.", "lieutenant", "major", "captain",
    "capt.", "sergeant", "sgt.", "admiral", "marshal", "representative", "rep.", "speaker",
    "deputy", "foreign", "defense", "defence", "interior", "finance", "former", "acting",
    "opposition", "leader", "spokesman", "spokeswoman", "commissioner", "administrator",
    "director", "professor", "prof.", "coach", "officer", "emperor", "sultan", "emir",
    "crown", "grand", "state", "u.s.", "us", "british", "senior", "executive", "attorney",
    "the", "of", "and", "supreme", "agent", "inspector", "detective", "minister-president",
    "presidential", "candidate", "democratic", "republican", "congressman", "congresswoman",
}
DEMONYM_SUFFIX = re.compile(r"(an|ans|ian|ians|ese|i|is|ish|ch|ic|ite|ites|ean|eans)$")
from core.ner.lists import NORP as _NORP

NORP = set(_NORP)
FAC_HEADS = {"Center", "Centre", "Airport", "Museum", "Station", "Bridge", "Hospital",
             "Stadium", "Street", "Square", "Building", "Tower", "Palace", "Hall", "Complex",
             "Prison", "Cathedral", "Church", "Mosque", "Temple", "Arena", "Port", "Base"}
STRIP_LEAD = {"the", "The", "since", "Since", "of", "in", "on", "at", "by", "from", "about"}


def _join(tokens: list[str], space_after: list[bool] | None = None) -> tuple[str, list[int]]:
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for i, tok in enumerate(tokens):
        starts.append(pos)
        parts.append(tok)
        pos += len(tok)
        if i < len(tokens) - 1 and (space_after is None or space_after[i]):
            parts.append(" ")
            pos += 1
    return "".join(parts), starts


def _spans_from_tokens(tokens, starts, tok_spans) -> list[tuple[int, int, str]]:
    out = []
    for s, e, lab in tok_spans:  # token indices, e exclusive
        if s >= e:
            continue
        out.append((starts[s], starts[e - 1] + len(tokens[e - 1]), lab))
    return out


def _iob_to_token_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans = []
    cur = None
    for i, t in enumerate(tags + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and (cur is None or cur[2] != t[2:])):
            if cur is not None:
                spans.append((cur[0], i, cur[2]))
                cur = None
            if t != "O":
                cur = [i, i + 1, t[2:]]
        # I- continuing: nothing to do
    return spans


# ---------------------------------------------------------------- GMB (train)
def _gmb_label(tokens: list[str], s: int, e: int, tag: str, countries: set[str],
               locs: set[str]) -> tuple[int, int, str] | None:
    words = tokens[s:e]
    while words and words[0] in STRIP_LEAD:
        s += 1
        words = words[1:]
    if not words:
        return None
    text = " ".join(words)
    if tag == "per":
        while s < e and (tokens[s].lower() in TITLES or not tokens[s][:1].isupper()):
            s += 1
        if s >= e:
            return None
        if e - s == 1 and DEMONYM_SUFFIX.search(tokens[s]) and tokens[s] in {
            "Sunni", "Shi'ite", "Shiite", "Western", "Kurdish", "Muslim"
        }:
            return (s, e, "NORP")
        return (s, e, "PERSON")
    if tag == "gpe":
        if text in countries or (text not in NORP and not DEMONYM_SUFFIX.search(words[-1])):
            return (s, e, "GPE")
        return (s, e, "NORP")
    if tag == "geo":
        if text in locs:
            return (s, e, "LOC")
        return (s, e, "GPE")
    if tag == "org":
        if text in countries:
            return (s, e, "GPE")
        return (s, e, "ORG")
    if tag == "tim":
        return (s, e, "DATE")
    if tag == "eve":
        return (s, e, "EVENT")
    return None  # art, nat: dropped


def read_gmb(limit: int | None = None) -> Iterator[Example]:
    from scripts.ner.gazetteer_build import build, loc_names

    countries = set(build()["GPE"])
    locs = loc_names()
    path = os.path.join(DATA, "ner-gmb-kaggle", "ner_dataset.csv")
    with open(path, encoding="cp1252") as f:
        reader = csv.reader(f)
        next(reader)
        tokens: list[str] = []
        tags: list[str] = []
        n = 0
        sid = ""

        def flush():
            text, starts = _join(tokens)
            tspans = []
            for s, e, t in _iob_to_token_spans(tags):
                lab = _gmb_label(tokens, s, e, t, countries, locs)
                if lab:
                    tspans.append(lab)
            return text, _spans_from_tokens(tokens, starts, tspans), sid

        for row in reader:
            if row[0].startswith("Sentence:"):
                if tokens:
                    yield flush()
                    n += 1
                    if limit and n >= limit:
                        return
                tokens, tags, sid = [], [], row[0]
            tokens.append(row[1])
            tags.append(row[3])
        if tokens:
            yield flush()


# ---------------------------------------------------------------- GUM
from core.ner.lists import LOC as _LOC

LOC_SET = set(_LOC)
GUM_SPLIT = {"dev": ["homeopathic", "iodine"], "test": ["nasa", "sensitive"]}
GUM_MAP = {"person": "PERSON", "organization": "ORG", "place": "GPE", "event": "EVENT"}
_ENT_OPEN = re.compile(r"\((\d+)-([a-z]+)-([^()]*?)(?=\(|\)|$)")


def _gum_sentences(path: str):
    """Yield (tokens, upos, space_after, mentions) per sentence; mentions as
    (start_tok, end_tok_excl, etype, identity) in document token numbering."""
    doc_tokens, doc_upos, doc_space, doc_par = [], [], [], []
    mentions = []
    stack: dict[str, list] = {}
    newpar = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# newpar"):
                newpar = True
                continue
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            i = len(doc_tokens)
            doc_tokens.append(cols[1])
            doc_upos.append(cols[3])
            misc = cols[9]
            doc_space.append("SpaceAfter=No" not in misc)
            doc_par.append(newpar and cols[0] == "1")
            newpar = False
            ent = ""
            for part in misc.split("|"):
                if part.startswith("Entity="):
                    ent = part[len("Entity="):]
            if not ent:
                continue
            # parse bracket notation in order
            j = 0
            while j < len(ent):
                if ent[j] == "(":
                    m = re.match(r"\((\d+)-([a-z]+)-([^()]*)", ent[j:])
                    body = m.group(3)
                    fields = body.split("-")
                    identity = fields[5] if len(fields) > 5 else ""
                    key = m.group(1)
                    j += m.end()
                    if j < len(ent) and ent[j] == ")":
                        mentions.append((i, i + 1, m.group(2), identity))
                        j += 1
                    else:
                        stack.setdefault(key, []).append((i, m.group(2), identity))
                else:
                    m = re.match(r"(\d+)\)", ent[j:])
                    if not m:
                        j += 1
                        continue
                    key = m.group(1)
                    st, et, ident = stack[key].pop()
                    mentions.append((st, i + 1, et, ident))
                    j += m.end()
    return doc_tokens, doc_upos, doc_space, doc_par, mentions


def read_gum(split: str = "all") -> Iterator[Example]:
    """split: train | dev | test | heldout (dev+test) | all. One example per document."""
    files = sorted(glob.glob(os.path.join(DATA, "ner-gum-news", "GUM_news_*.conllu")))
    held = set(GUM_SPLIT["dev"] + GUM_SPLIT["test"])
    for path in files:
        name = os.path.basename(path)[len("GUM_news_"):-len(".conllu")]
        if split == "train" and name in held:
            continue
        if split in ("dev", "test") and name not in GUM_SPLIT[split]:
            continue
        if split == "heldout" and name not in held:
            continue
        yield _gum_doc(path, name)


def read_gum_more() -> Iterator[Example]:
    """The other GUM genres (../shared/data/ner-gum-more: academic, bio, court, voyage,
    interview), flattened like GUM news; all of them are training data (GUM news dev/test
    stay held out)."""
    for path in sorted(glob.glob(os.path.join(DATA, "ner-gum-more", "GUM_*.conllu"))):
        yield _gum_doc(path, os.path.basename(path)[len("GUM_"):-len(".conllu")])


def _gum_doc(path: str, name: str) -> Example:
    """One GUM document as an example: named person/organisation/place/event mentions."""
    tokens, upos, space, par, mentions = _gum_sentences(path)
    cands = []
    for s, e, etype, ident in mentions:
        if etype not in GUM_MAP:
            continue
        if not ident:
            # unlinked mentions: only proper-name runs ("Joe Bloggs", "Acme Corp")
            first = next((k for k in range(s, e) if upos[k] == "PROPN"), None)
            if first is None or etype != "person" and not all(
                upos[k] == "PROPN" for k in range(first, e)
            ):
                continue
        if not any(upos[k] == "PROPN" for k in range(s, e)):
            continue
        if etype == "person":
            # a name is the first run of PROPN tokens that are not titles, cut at a comma
            for k in range(s, e):
                if tokens[k] in (",", "(", "who", "of", "from"):
                    e = k
                    break
            k = e
            while k > s and upos[k - 1] != "PROPN":
                k -= 1
            e = k
            while k > s and (upos[k - 1] == "PROPN" or tokens[k - 1] in (".", "-")) \
                    and tokens[k - 1].lower() not in TITLES:
                k -= 1
            s = k
        else:
            # trim: leading non-PROPN tokens (determiners, adjectives)
            while s < e and upos[s] != "PROPN":
                s += 1
            while e > s and upos[e - 1] not in ("PROPN", "NUM"):
                e -= 1
        if s >= e:
            continue
        label = GUM_MAP[etype]
        if label == "GPE":
            phrase = " ".join(tokens[s:e])
            if phrase in LOC_SET:
                label = "LOC"
            elif tokens[e - 1] in FAC_HEADS:
                label = "FAC"
        if label == "PERSON" and all(t.lower() in TITLES or t == "MP" for t in tokens[s:e]):
            continue
        cands.append((s, e, label))
    # nested: keep the outermost unless it contains a comma or "and"
    cands = sorted(set(cands), key=lambda x: (x[0], -(x[1] - x[0]), x[2]))
    chosen: list[tuple[int, int, str]] = []

    def overlaps(a, b):
        return a[0] < b[1] and b[0] < a[1]

    for c in sorted(cands, key=lambda x: -(x[1] - x[0])):
        inner_text = tokens[c[0]:c[1]]
        if ("," in inner_text or "and" in inner_text or "in" in inner_text) and any(
            d != c and d[0] >= c[0] and d[1] <= c[1] for d in cands
        ):
            continue
        if any(overlaps(c, d) for d in chosen):
            continue
        chosen.append(c)
    # build text with paragraph breaks
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for k, tok in enumerate(tokens):
        if k > 0:
            sep = "\n\n" if par[k] else (" " if space[k - 1] else "")
            parts.append(sep)
            pos += len(sep)
        starts.append(pos)
        parts.append(tok)
        pos += len(tok)
    text = "".join(parts)
    spans = sorted(_spans_from_tokens(tokens, starts, chosen))
    return text, spans, name


# ---------------------------------------------------------------- UNER
UNER_MAP = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}


def read_uner(half: str = "news") -> Iterator[Example]:
    """half: news (sent ids n*) | wiki (w*). One example per sentence."""
    path = os.path.join(DATA, "ner-uner-pud", "en_pud-ud-test.iob2")
    want = "n" if half == "news" else "w"
    with open(path, encoding="utf-8") as f:
        content = f.read()
    for block in content.split("\n\n"):
        sid = ""
        orig = ""
        tokens, tags = [], []
        for line in block.splitlines():
            if line.startswith("# sent_id"):
                sid = line.split("=", 1)[1].strip()
            elif line.startswith("# text ="):
                orig = line.split("=", 1)[1].strip()
            elif line and not line.startswith("#"):
                cols = line.split("\t")
                tokens.append(cols[1])
                tags.append(cols[2])
        if not tokens or not sid.startswith(want):
            continue
        text, starts = _join(tokens)
        if orig:  # align tokens to the original sentence text (real spacing)
            pos, ok, st = 0, True, []
            for tok in tokens:
                k = orig.find(tok, pos)
                if k < 0 or orig[pos:k].strip():
                    ok = False
                    break
                st.append(k)
                pos = k + len(tok)
            if ok:
                text, starts = orig, st
        tspans = [(s, e, UNER_MAP[t]) for s, e, t in _iob_to_token_spans(tags)]
        yield text, _spans_from_tokens(tokens, starts, tspans), sid


if __name__ == "__main__":  # quick look
    import sys

    which = sys.argv[1] if len(sys.argv) > 1 else "gum"
    it = {"gum": lambda: read_gum("heldout"), "uner": read_uner, "gmb": lambda: read_gmb(20)}[which]()
    for text, spans, did in it:
        print(did, [(text[s:e], lab) for s, e, lab in spans][:40])
    _ = io
