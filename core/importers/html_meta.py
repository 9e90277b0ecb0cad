"""Page metadata the publisher declares: title, byline, site name and publication date.

Publishers state these in <meta> tags (Dublin Core, Open Graph, Twitter, article:*, Parse.ly)
and in schema.org JSON-LD. We read them in the precedence Mozilla Readability uses (the
expected results of its test pages are our benchmark), then sanity-check what we got:
bylines are names, not "Username" or a URL; a title loses a trailing " | Site" or " | Author"
that the reader already shows in the byline line.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

from core.text import clean_inline

_PROPERTY = re.compile(
    r"\s*(article|dc|dcterm|og|twitter)\s*:\s*"
    r"(author|creator|description|published_time|title|site_name)\s*", re.IGNORECASE)
_NAME = re.compile(
    r"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(article|webpage))\s*[-.:]\s*)?"
    r"(author|creator|pub-date|description|title|site_name)\s*$", re.IGNORECASE)
_ARTICLE_TYPES = re.compile(
    r"^(Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|"
    r"BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|"
    r"SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|"
    r"BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference)$")
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / ", " _", "_")
_BYLINE_HINT = re.compile(r"byline|author|dateline|writtenby|p-author", re.IGNORECASE)
_BY_PREFIX = re.compile(r"^(?:written\s+by|posted\s+by|by|par|von|por|di|door|av|af)\s*[:\-]?\s+",
                        re.IGNORECASE)
# Words that name a role or a placeholder rather than a person.
_NOT_NAMES = {"username", "user", "admin", "administrator", "author", "authors", "staff",
              "editor", "editors", "anonymous", "unknown", "guest", "reporter", "contributor",
              "contributors", "webmaster", "root", "none", "null", "by", "authority control",
              "作者", "个人", "個人", "last updated", "updated", "published", "posted"}
_MONTHS = {m.casefold() for m in (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec").split()}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(slots=True)
class PageMeta:
    titles: tuple[str, ...] = ()  # in order of preference
    byline: str = ""
    site: str = ""
    published: str = ""  # YYYY-MM-DD or ""


def read_meta(tree: etree._Element) -> PageMeta:
    """What the page's <meta> tags and JSON-LD say, in Readability's order of preference."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = clean_inline(meta.get("content") or "")
        if not content:
            continue
        prop, name = meta.get("property") or "", meta.get("name") or ""
        m = _PROPERTY.search(prop) if prop else None
        if m:
            values[re.sub(r"\s", "", m.group()).lower()] = content
        elif name and _NAME.match(name):
            values[re.sub(r"\s", "", name).lower().replace(".", ":")] = content
    ld = _json_ld(tree)
    first = _first
    article_author = values.get("article:author", "")
    if re.match(r"https?://", article_author):
        article_author = ""
    return PageMeta(
        titles=tuple(clean_inline(t) for t in (
            ld.get("title"), values.get("dc:title"), values.get("dcterm:title"),
            values.get("og:title"), values.get("weibo:article:title"),
            values.get("weibo:webpage:title"), values.get("title"), values.get("twitter:title"),
            values.get("parsely-title")) if t and clean_inline(t)),
        byline=first(ld.get("byline"), values.get("dc:creator"), values.get("dcterm:creator"),
                     values.get("author"), values.get("parsely-author"), article_author),
        site=first(ld.get("site"), values.get("og:site_name")),
        published=iso_date(first(ld.get("published"), values.get("article:published_time"),
                                 values.get("parsely-pub-date"))))


def _first(*xs: str | None) -> str:
    return next((clean_inline(x) for x in xs if x and clean_inline(x)), "")


def _json_ld(tree: etree._Element) -> dict[str, str]:
    """title, byline, site and published of the first schema.org article in JSON-LD."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip().removeprefix("<![CDATA[").removesuffix("]]>")
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        for obj in _objects(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if not any(isinstance(t, str) and _ARTICLE_TYPES.match(t) for t in types):
                continue
            out: dict[str, str] = {}
            titles = [clean_inline(obj[k]) for k in ("name", "headline")
                      if isinstance(obj.get(k), str) and obj[k].strip()]
            if titles:  # name and headline differ: the one the <title> agrees with
                page = _fold(tree.findtext(".//title") or "")
                out["title"] = next((t for t in titles if _fold(t) and _fold(t) in page),
                                    titles[-1])
            raw = [a.get("name") if isinstance(a, dict) else a
                   for a in (obj.get("author") if isinstance(obj.get("author"), list)
                             else [obj.get("author")])]
            names = [clean_inline(n) for n in raw if isinstance(n, str) and n.strip()]
            if names:
                out["byline"] = ", ".join(names)
            pub = obj.get("publisher")
            if isinstance(pub, dict) and isinstance(pub.get("name"), str):
                out["site"] = pub["name"]
            if isinstance(obj.get("datePublished"), str):
                out["published"] = obj["datePublished"]
            return out
    return {}


def _objects(data, depth: int = 0):
    if depth > 4:
        return
    if isinstance(data, list):
        for x in data:
            yield from _objects(x, depth + 1)
    elif isinstance(data, dict):
        yield data
        if isinstance(data.get("@graph"), list):
            yield from _objects(data["@graph"], depth + 1)


def iso_date(value: str) -> str:
    m = _ISO_DATE.search(value or "")
    if not m:
        return ""
    y, mo, d = (int(g) for g in m.groups())
    return m.group() if 1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100 else ""


def page_byline(tree: etree._Element) -> str:
    """A byline element in the page (rel=author, itemprop=author, class/id "byline"...) when
    the metadata names nobody; short text only, so a whole author box never qualifies."""
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "link", "script", "style", "body",
                                                     "html", "head", "article", "main"):
            continue
        hint = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if not (el.get("rel") == "author" or "author" in (el.get("itemprop") or "")
                or (hint and _BYLINE_HINT.search(hint))):
            continue
        text = clean_inline(" ".join(el.itertext()))
        if 0 < len(text) < 100 and "|" not in text and len(text.split()) <= 12:
            name = clean_byline(text, found_in_text=True)
            if name:
                return name
    return ""


def clean_byline(raw: str, *, found_in_text: bool = False) -> str:
    """A byline that names people: "By " dropped, duplicates ("Jane Doe; JANE DOE") merged,
    placeholders ("Username") and URLs removed; "" if nothing name-like is left. A byline
    `found_in_text` (not declared in metadata) also loses trailing dates and time words."""
    parts: list[str] = []
    seen: set[str] = set()
    for part in re.split(r"\s*;\s*|\s*\|\s*", clean_inline(raw)):
        part = _BY_PREFIX.sub("", part).strip(" ,:-–—•·")
        part = re.sub(r"\s*\(?https?://\S+\)?", "", part).strip(" ,")
        words = part.split()
        # trailing lowercase words and month names are the date line ("Jane Doe March 3",
        # "Aleš Vávra před 2 hodinami"), not the name
        while found_in_text and len(words) > 1 and (words[-1].casefold() in _MONTHS or _lowercase_word(words[-1])
                                  or any(ch.isdigit() for ch in words[-1])):
            words.pop()
        part = " ".join(words).strip(" ,:-–—•·")
        key = _fold(part)
        if (not part or key in seen or key in _NOT_NAMES or len(part) > 80
                or sum(ch.isdigit() for ch in part) > 0):
            continue
        seen.add(key)
        parts.append(part)
    return "; ".join(parts)


def _lowercase_word(w: str) -> bool:
    letters = [ch for ch in w if ch.isalpha()]
    return bool(letters) and letters[0].islower() and all(ord(ch) < 0x3000 for ch in letters)


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.casefold())
    return re.sub(r"[\W_]+", " ", "".join(ch for ch in s if not unicodedata.combining(ch))).strip()


def pick_title(candidates: list[str], site: str) -> str:
    """The first candidate that is not just the site's name (a JSON-LD "name" often is)."""
    for t in candidates:
        if t and (not site or _fold(t) != _fold(site)):
            return t
    return ""


def trim_title(title: str, site: str, byline: str = "", host: str = "") -> str:
    """Drop a trailing " | Site", " - Author" (or a leading "Site | ") that repeats what the
    byline line shows; a title is never trimmed to nothing or to a single short word."""
    names = {_fold(x) for x in (site, host, host.split(".")[0] if host else "",
                                *byline.split("; ")) if x and _fold(x)}
    if not names:
        return title
    changed = True
    while changed:
        changed = False
        for sep in _SEPARATORS:
            head, _, tail = title.rpartition(sep)
            if head.strip() and _fold(tail) in names and len(head.split()) >= 2:
                title, changed = head.strip(), True
                break
            lead, _, rest = title.partition(sep)
            if rest.strip() and _fold(lead) in names and len(rest.split()) >= 2:
                title, changed = rest.strip(), True
                break
    return title


def declared_dates(tree: etree._Element) -> set[str]:
    """Dates the page states in markup (<time datetime>, date-like <meta> and itemprop
    values): a date found elsewhere (a founding date in an infobox, a year in the prose) is
    not the article's own."""
    out: set[str] = set()
    for el in tree.xpath("//time[@datetime] | //meta[@content] | //*[@itemprop][@content]"):
        if el.tag == "time":
            value = el.get("datetime")
        else:
            key = " ".join(filter(None, (el.get("name"), el.get("property"), el.get("itemprop"))))
            value = el.get("content") if re.search(r"date|time|modified|published", key,
                                                   re.IGNORECASE) else ""
        d = iso_date(value or "")
        if d:
            out.add(d)
    return out
