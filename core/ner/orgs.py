"""Organisation spans the model gets wrong in systematic ways (character offsets throughout).

- "Users of Apple", "Shareholders of Acme": a group of people is not part of the name.
- "Group of Seven", "Group of 10": the number belongs to the name; so does a broadcaster's
  channel ("BBC Two", "BBC Radio 4").
- "British Harbours Board Plc", "Acme (UK) Ltd": a name ending in a legal suffix is one
  organisation, even when it starts with a nationality or holds a bracketed country.
- "Greater Harbourton Police", "Harbourton City Council": a place followed by an
  organisation head is the organisation.
- "East Harbourton Daily Times": a newspaper's edition word after a place or nationality
  takes them into its name.
- "Harbourton Centre for Tidal Research": an organisation head followed by "for"/"of" and
  capitalised words is one name with them, and with the capitalised words before the head.
- In a technology article "Sony Walkman" is the company "Sony" and a product, and a name
  that the article uses before "game", "console", "software"... is a product, not an
  organisation (unless it is a listed company or ends in an organisation word).
"""
from __future__ import annotations

import re

from core.ner import lists, rules

Span = tuple[int, int, str]

_PEOPLE_OF = re.compile(
    r"(?:Users|Customers|Shareholders|Fans|Members|Supporters|Workers|Employees|Staff|"
    r"Owners|Investors|Clients|Viewers|Readers|Subscribers|Voters|Officials|Executives|"
    r"Bosses|Leaders|Players|Critics|Friends|Rivals|Parts|Shares|Sales|Most|Many|Some|All|"
    r"None|One|Two|Three|Both|Each|Any|Much|Half|Rest)\s+of\s+(?:the\s+)?(?=[A-Z])")
_GROUP_OF = re.compile(r"\bGroup of (?:\d{1,2}|Two|Three|Five|Seven|Eight|Ten|Twenty|"
                       r"Seventy-Seven|77)\b")
_SUFFIX = r"(?:Plc|PLC|plc|Inc|Ltd|Corp|LLC|LLP|GmbH|AG|NV|SpA)\b"
_CAP = r"[A-Z][\w&.'’-]*"
_LEGAL_NAME = re.compile(
    rf"\b{_CAP}(?:\s(?:{_CAP}|of|and|&|for))*?(?:\s\([A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?\))?"
    rf",?\s{_SUFFIX}")
_LEAD = frozenset({"The", "In", "On", "At", "For", "From", "By", "But", "And", "A", "An",
                   "Shares", "Shares in", "Its", "His", "Her", "Their", "Our"})
_PRODUCT_OK = frozenset(rules.ORG_HEADS) | {
    "Europe", "UK", "US", "America", "Japan", "Asia", "International", "Group", "Research",
    "Entertainment", "Music", "Pictures", "Computer", "Computers", "Electronics", "Mobile",
    "Online", "Networks", "Communications", "Interactive", "Studios", "Games", "Software",
    "Digital", "Media", "Broadband", "Telecom", "Ericsson", "Microsystems"}


_HEAD_WORDS = "|".join(sorted(set(rules.ORG_HEADS) - {
    "Times", "Post", "News", "Press", "Capital", "Records", "Team", "Unit", "Front", "Network",
    "Guard", "Office"}))
_HEAD_AFTER = re.compile(rf" ((?:[A-Z][a-z]+ ){{0,2}}?(?:{_HEAD_WORDS}))\b")
_CHANNEL = re.compile(r" (?:One|Two|Three|Four|[1-4]|Radio (?:[1-6]|One|Two|Three|Four|Five)(?: Live)?|"
                      r"World Service|News 24|Parliament)\b")
_BROADCASTERS = frozenset({"BBC", "ITV", "Sky", "Channel", "RTE", "RTÉ", "S4C"})
_PLACE_LEAD = re.compile(r"(?:Greater|North|South|East|West|Central|Mid|New) $")


_EDITION = re.compile(r"(?:Daily|Evening|Sunday|Morning|Weekly) [A-Z]")
# "[Cap...] Centre for|of Cap [of|and|for Cap...]": heads that take a "for"/"of" complement
_OF_HEADS = ("Centre|Center|Institute|Council|Agency|Department|Ministry|Commission|Office|"
             "Foundation|Association|Society|Organisation|Organization|Board|Authority|"
             "Committee|Fund|Bank|Union|School|College|University|Museum|Academy|Federation|"
             "Bureau|Court|Alliance|Coalition|Confederation|Chamber|Tribunal")
_HEAD_OF = re.compile(
    rf"((?:[A-Z][\w'’-]+ ){{0,3}}(?:{_OF_HEADS})) (?:for|of) (?:the )?[A-Z][\w'’-]+"
    rf"(?: (?:(?:of|for|and|on|in) (?:the )?)?[A-Z][\w'’-]+)*")

_PRODUCT_NOUN = re.compile(
    r" (?:game|games|console|consoles|software|player|players|phone|phones|handset|handsets|"
    r"program|title|series|device|devices|machine|browser|chip|format|gadget|app|handheld)\b")


def _products(text: str, spans: list[Span]) -> set[str]:
    """ORG names the article puts before a product noun ("the Zentrix console")."""
    known = rules.companies() | set(lists.ORG)
    out = set()
    for s, e, lab in spans:
        name = text[s:e]
        if lab == "ORG" and name not in out and _PRODUCT_NOUN.match(text, e) and name not in known \
                and rules.gazetteer().entries.get(tuple(name.split())) != "ORG" \
                and name.split()[-1] not in rules.ORG_HEADS:
            out.add(name)
    return out


def _replace(spans: list[Span], new: Span, person_ok: bool = False) -> list[Span]:
    """`new` instead of the spans it overlaps, if they all lie inside it and none is a
    number, a date or (unless `person_ok`: "John Smith Ltd") a person."""
    over = [x for x in spans if x[0] < new[1] and new[0] < x[1]]
    if any(x[0] < new[0] or x[1] > new[1] or x[2] in ("DATE", "MONEY", "PERCENT")
           or x[2] == "PERSON" and not person_ok for x in over):
        return spans
    return sorted([x for x in spans if x not in over] + [new])


def fix(text: str, spans: list[Span], tech: bool = False) -> list[Span]:
    """The organisation fixes above, over a whole document's spans."""
    out: list[Span] = []
    for s, e, lab in spans:
        if lab == "ORG":
            m = _PEOPLE_OF.match(text, s, e)
            c = _CHANNEL.match(text, e) if text[s:e] in _BROADCASTERS else None
            if m and m.end() < e:
                s = m.end()
            elif c:  # "BBC One", "BBC Radio 4": the channel is the organisation
                e = c.end()
            elif tech:
                words = text[s:e].split()
                if len(words) == 2 and words[0] in rules.companies() \
                        and rules.gazetteer().entries.get((words[0],), "ORG") == "ORG" \
                        and words[1] not in _PRODUCT_OK and words[1] not in rules.companies() \
                        and words[1].lower() not in rules.common_words():
                    e = s + len(words[0])
        out.append((s, e, lab))
    if tech:
        products = _products(text, out)
        out = [x for x in out if not (x[2] == "ORG" and text[x[0]:x[1]] in products)]
    for s, e, lab in list(out):
        if lab in ("GPE", "LOC"):
            m = _HEAD_AFTER.match(text, e)
            if m:
                lead = _PLACE_LEAD.search(text, max(0, s - 8), s)
                out = _replace(out, (lead.start() if lead else s, m.end(), "ORG"))
    for s, e, lab in list(out):  # "East Anglian" + "Daily Times"
        if lab == "ORG" and _EDITION.match(text, s):
            before = [x for x in out if x[1] == s - 1 and x[2] in ("GPE", "LOC", "NORP")
                      and text[x[1]] == " "]
            if before:
                out = _replace(out, (before[0][0], e, "ORG"))
    for m in _HEAD_OF.finditer(text):
        if "\n" not in m.group(0) and m.group(1).split()[0] not in _LEAD:
            out = _replace(out, (m.start(1), m.end(), "ORG"))
    for m in _GROUP_OF.finditer(text):
        out = _replace(out, (m.start(), m.end(), "ORG"))
    for m in _LEGAL_NAME.finditer(text):
        s, e = m.start(), m.end()
        while True:  # "The Acme Corp" -> "Acme Corp"
            first = text[s:e].split()[0]
            if first not in _LEAD or " " not in text[s:e]:
                break
            s = text.index(" ", s) + 1
        if text[s:e].split()[0] in _LEAD:
            continue
        out = _replace(out, (s, e, "ORG"), person_ok=True)
    return out
