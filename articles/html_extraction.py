"""Turn a real news page (HTML) into typed plain-text blocks.

Pure Python, no Django. The article body is found with trafilatura; the original DOM (parsed
once, the way trafilatura's ``load_html`` does, and shared with it) is then walked
around the article container to put figure captions and photo credits back at their place,
and to sort leftover in-article lines into ``related`` and ``boilerplate`` with small
English/German lexicons.

Block kinds (``Segment.kind``):

``headline``
    The article title (once, first).
``paragraph``
    The article body in reading order. Subheadings inside the article are kept as
    ``paragraph`` blocks too (there is no separate subheading kind); lists, quotes and table
    rows come out as one paragraph per item/row.
``caption``
    Figure captions, image titles and photo credits, at their position in the article.
``related``
    "Read more" teasers, standalone links to other stories, recommendation boxes.
``boilerplate``
    Share bars, newsletter/app prompts, comment sections, cookie and ad text found inside or
    directly around the article. Site navigation, headers and footers are not imported.

All text is plain text with normalised whitespace; no markup survives.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

KINDS = ("headline", "paragraph", "caption", "related", "boilerplate")


@dataclass(frozen=True)
class Segment:
    kind: str
    text: str
    subheading: bool = False  # a ``paragraph`` that is a subheading of the article


@dataclass(frozen=True)
class PageMetadata:
    title: str
    site_name: str
    author: str
    published: str
    language: str
    canonical_url: str
    # What the page says sums it up (description <meta> tags, JSON-LD): leads to look for.
    descriptions: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class ExtractedPage:
    metadata: PageMetadata
    segments: list[Segment]


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: these labels are decoded as windows-1252 by browsers.
_AS_CP1252 = {"iso8859-1", "latin-1", "ascii", "cp1252", "iso8859-15"}


def _codec(label: str) -> str | None:
    label = label.strip().strip("\"'").lower()
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _AS_CP1252 and name != "iso8859-15":
        return "cp1252"
    if name in {"utf-16", "utf-16-le", "utf-16-be", "utf-32"}:  # a <meta> cannot be utf-16
        return "utf-8"
    return name


_WESTERN = re.compile(
    r"[\u00c0-\u00ff\u20ac\u201a-\u201e\u2013\u2014\u2018\u2019\u2026"
    r"\u00ab\u00bb\u00b7\u00b0\u00a7\u00a0\u00a9\u00ae]"
)


def _looks_western(body: bytes) -> bool:
    """Undeclared, non-UTF-8 bytes that read as mostly-ASCII Western European text in cp1252.

    Short pages defeat statistical detection; German/English/French pages have a few accented
    letters among mostly ASCII ones, which cp1252 decodes to Latin letters and punctuation.
    """
    text = body[:200_000].decode("cp1252", errors="replace")
    high = [c for c in text if ord(c) > 127]
    if not high:
        return True
    letters = sum(1 for c in text if c.isalpha())
    return len(high) <= 0.15 * max(letters, 40) and all(_WESTERN.match(c) for c in high)


def decode_html(*, body: bytes, content_type_header: str = "") -> str:
    """Decode an HTTP response body to text.

    Order: charset in the HTTP Content-Type header, byte order mark, ``<meta charset>`` or
    ``<meta http-equiv="Content-Type">`` in the first 4 KB, detection (UTF-8 if it decodes
    cleanly, else charset_normalizer), fallback windows-1252.
    """
    encoding, bom_len = _declared_encoding(body, content_type_header)
    if encoding is None:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if _looks_western(body):
            return body[bom_len:].decode("cp1252", errors="replace")
        encoding = _detected_encoding(body)
    text = body[bom_len:].decode(encoding or "cp1252", errors="replace")
    return text.lstrip("\ufeff")


def _declared_encoding(body: bytes, content_type_header: str) -> tuple[str | None, int]:
    """The encoding the header, a byte order mark or a <meta> declares (in that order), and
    the length of the byte order mark to skip (0 when a header contradicts it)."""
    m = _HEADER_CHARSET.search(content_type_header or "")
    encoding = _codec(m.group(1)) if m else None
    bom_len = 0
    for bom, name in _BOMS:
        if body.startswith(bom):
            if encoding is None or encoding.startswith(name[:6]):
                encoding, bom_len = name, len(bom)
            break
    if encoding is None:
        meta = _META_CHARSET.search(body[:4096])
        if meta:
            encoding = _codec(meta.group(1).decode("ascii", "ignore"))
    return encoding, bom_len


def _detected_encoding(body: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None and best.encoding:
            return _codec(best.encoding)
    except Exception:  # pragma: no cover - detection must never break import
        return None
    return None


# --------------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------------

_SQUEEZE = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w+")


def _clean(text: str | None) -> str:
    if not text:
        return ""
    # str.split() splits on exactly the characters regex \s matches (str.isspace), faster
    return " ".join(text.replace("\u00ad", "").replace("\u200b", "").split())


def _squeeze(text: str) -> str:
    return _SQUEEZE.sub("", text.lower())


def _words(text: str) -> int:
    return len(_WORD.findall(text))


# --------------------------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------------------------


def _meta(tree: HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if not key:
            key = (el.get("http-equiv") or "").strip().lower()
        value = _clean(el.get("content"))
        if key and value and key not in found:
            found[key] = value
    return found


_LD_JSON = "application/ld+json"


def _json_ld(tree: HtmlElement) -> list[dict]:
    items: list[dict] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != _LD_JSON or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                items.append(obj)
                if "@graph" in obj:
                    stack.append(obj["@graph"])
    return items


def _ld_name(value) -> str:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return _ld_name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names))
    return ""


_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _iso_date(value: str) -> str:
    value = (value or "").strip()
    m = _DATE_RE.search(value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return ""
    for fmt in ("%Y/%m/%d", "%d.%m.%Y", "%Y%m%d", "%a, %d %b %Y %H:%M:%S %z", "%d %B %Y"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|WebPage|BlogPosting", re.I)
_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
)
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
)
_LANGUAGE_CODE = re.compile(r"\s*([a-zA-Z]{2})(?:[-_]|$)")


def _extract_metadata(tree: HtmlElement, url: str) -> PageMetadata:
    """Each field from <meta> tags, the first article-like JSON-LD object or the markup."""
    meta = _meta(tree)
    ld_items = _json_ld(tree)
    ld = next((i for i in ld_items if _ARTICLE_TYPES.search(str(i.get("@type", "")))), {})
    site_name = (
        meta.get("og:site_name") or meta.get("application-name") or _ld_name(ld.get("publisher"))
    )
    title = _without_site_suffix(_title(tree, meta, ld), site_name)
    return PageMetadata(
        title=title,
        site_name=site_name,
        author=_author(tree, meta, ld),
        published=_published(tree, meta, ld),
        language=_language(tree, meta),
        canonical_url=_canonical_url(tree, meta, url),
        descriptions=_lead_candidates(meta, title, ld_items),
    )


def _element_text(el: HtmlElement | None) -> str:
    return _clean(el.text_content()) if el is not None else ""


def _title(tree: HtmlElement, meta: dict[str, str], ld: dict) -> str:
    return (
        meta.get("og:title")
        or meta.get("twitter:title")
        or _ld_name(ld.get("headline"))
        or _element_text(next(tree.iter("h1"), None))
        or _element_text(tree.find(".//title"))
    )


_TITLE_TAIL = re.compile(r"^(.*\S)\s+[|–—-]\s+([^|–—]{1,40})$")
_DOMAIN_LIKE = re.compile(r"\w\.(?:com|de|net|org|co\.uk|uk|ca|ch|at|eu|info|fr|it|es)$", re.I)
_DATE_LIKE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2}")


def _without_site_suffix(title: str, site_name: str) -> str:
    """ "Ukrainische Gegenoffensive: Ziele, Chancen, Risiken | DW | 28.04.2023" → the headline:
    trailing parts after a separator that name the site (its name, a domain) or are a date."""
    site = _squeeze(site_name)
    for _ in range(3):
        m = _TITLE_TAIL.match(title)
        if m is None:
            break
        tail = m.group(2).strip()
        squeezed = _squeeze(tail)
        names_site = bool(site and squeezed and (squeezed in site or site in squeezed))
        if not (names_site or _DOMAIN_LIKE.search(tail) or _DATE_LIKE.fullmatch(tail)):
            break
        title = m.group(1)
    return title


def _author(tree: HtmlElement, meta: dict[str, str], ld: dict) -> str:
    """JSON-LD author, else the first author <meta> that is a name (not a profile link),
    else the first rel/itemprop="author" element with text."""
    author = _ld_name(ld.get("author"))
    if author:
        return author
    value = next(
        (
            v
            for v in (meta.get(key, "") for key in _AUTHOR_META)
            if v and not v.startswith(("http://", "https://", "/"))
        ),
        "",
    )
    if value:
        return re.sub(r"^(by|von)\s+", "", value, flags=re.I)
    elements = tree.xpath('//*[@rel="author" or @itemprop="author"]')
    return next((text for text in map(_element_text, elements) if text), "")


def _published(tree: HtmlElement, meta: dict[str, str], ld: dict) -> str:
    """The first readable date of: date <meta> tags, JSON-LD datePublished, <time datetime>."""
    candidates = itertools.chain(
        (meta.get(key, "") for key in _PUBLISHED_META),
        [str(ld.get("datePublished") or "")],
        _time_datetimes(tree),
    )
    return next((day for day in map(_iso_date, candidates) if day), "")


def _time_datetimes(tree: HtmlElement):
    """<time datetime> values, looked up only when no earlier source had a date."""
    yield from (el.get("datetime") for el in tree.iter("time") if el.get("datetime"))


def _language(tree: HtmlElement, meta: dict[str, str]) -> str:
    """Two-letter code from <html lang>, else Content-Language / og:locale / language <meta>."""
    lang = (
        tree.get("lang")
        or tree.get("xml:lang")
        or meta.get("content-language")
        or meta.get("og:locale")
        or meta.get("language", "")
    )
    m = _LANGUAGE_CODE.match(lang)
    return m.group(1).lower() if m else ""


def _canonical_url(tree: HtmlElement, meta: dict[str, str], url: str) -> str:
    """<link rel=canonical>, else og:url, else the page's own URL; made absolute against it."""
    canonical = next(
        (
            el.get("href").strip()
            for el in tree.iter("link")
            if "canonical" in (el.get("rel") or "").lower().split() and el.get("href")
        ),
        "",
    )
    canonical = canonical or meta.get("og:url", "") or url
    return urljoin(url, canonical) if canonical and url else canonical


# --------------------------------------------------------------------------------------------
# DOM index: a squeezed (lowercase, word characters only) text stream of the original page,
# with every element's start/end offset in it. Used to place extracted text back in the DOM.
# --------------------------------------------------------------------------------------------

_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "svg",
    "math",
    "iframe",
    "object",
    "button",
    "select",
    "option",
    "textarea",
    "input",
}


class _Index:
    def __init__(self, root: HtmlElement) -> None:
        # (the hottest loop of our own code: locals only, no attribute look-ups inside)
        elems: list[HtmlElement] = []
        starts: list[int] = []
        ends: list[int] = []
        pos: dict[HtmlElement, int] = {}
        parts: list[str] = []
        add_part, add_elem, add_start, add_end = (
            parts.append,
            elems.append,
            starts.append,
            ends.append,
        )
        offset = 0
        squeeze = _SQUEEZE.sub
        skip = _SKIP_TAGS
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, el in walker:
            if event == "start":
                tag = el.tag
                if tag.__class__ is not str or tag in skip:
                    walker.skip_subtree()
                    continue
                pos[el] = len(elems)
                add_elem(el)
                add_start(offset)
                add_end(offset)
                text = el.text
            else:
                i = pos.get(el, -1)
                if i >= 0:
                    ends[i] = offset
                text = el.tail
            if text and not text.isspace():
                squeezed = squeeze("", text.lower())
                add_part(squeezed)
                offset += len(squeezed)
        self.elems, self.starts, self.ends, self.pos = elems, starts, ends, pos
        self.stream = "".join(parts)

    def index(self, el: HtmlElement) -> int:
        return self.pos.get(el, -1)

    def element_at(self, offset: int) -> int:
        """Index of the deepest element whose text contains ``offset``."""
        i = bisect_right(self.starts, offset) - 1
        while i >= 0 and self.ends[i] <= offset:
            parent = self.elems[i].getparent()
            i = self.pos.get(parent, -1) if parent is not None else -1
        return i

    def ancestors(self, i: int):
        el = self.elems[i]
        while el is not None:
            j = self.pos.get(el, -1)
            if j >= 0:
                yield j
            el = el.getparent()

    def find(self, squeezed: str, cursor: int) -> int:
        if not squeezed:
            return -1
        for key in (squeezed[:80], squeezed[:24]):
            p = self.stream.find(key, cursor)
            if p < 0:
                p = self.stream.find(key)
            if p >= 0:
                return p
        return -1


# --------------------------------------------------------------------------------------------
# Classification rules (class/id tokens and text lexicons, English and German)
# --------------------------------------------------------------------------------------------

_CAPTION_ATTR = re.compile(
    r"caption|credit|copyright|bildunterschrift|bildtext|fotocredit|photo-?credit|legend"
    r"|(?:image|img|photo|foto|bild|media|picture|gallery|lightbox|figure|slide|carousel)[\w-]*"
    r"(?:desc|text|info|title|source|quelle|sub|author)",
    re.I,
)
_CAPTION_ITEMPROP = {"caption", "copyrightholder", "credittext", "copyrightnotice"}


def _token_re(words: str) -> re.Pattern:
    return re.compile(r"(?:^|[-_])(?:" + words + r")(?:[-_]|$)")


# Matched against class/id tokens, lowercased, with camelCase split by "-".
_RELATED_WORDS = (
    r"related\w*|teasers?|teaser-?(?:box|list|block|group)|recommend\w*|read-?more|readmore"
    r"|more-?(?:stories|articles|news|from\w*|on\w*)|weiterlesen|mehr-?zum-?thema|empfehlung\w*"
    r"|outbrain|taboola|also-?read|further-?reading|linkbox|link-?list|zum-?thema|trending"
    r"|most-?(?:read|popular|viewed)|meistgelesen\w*|popular|read-?next|up-?next|next-?article"
)
_RELATED_ATTR = _token_re(_RELATED_WORDS)
_BOILER_WORDS = (
    r"share\w*|sharing|social-?(?:bar|share|sharing|links|icons|buttons|media-?(?:share|links))"
    r"|newsletter\w*"
    r"|signup|sign-?up|subscribe\w*|subscription\w*|paywall\w*|app-?promo|download-?app"
    r"|comments?|comment-?(?:section|list|area|form)|disqus\w*|kommentare?|discussion"
    r"|cookies?|cookie-?\w+|consent\w*|gdpr|cmp|privacy-?\w*"
    r"|ad|ads|advert\w*|anzeige\w*|werbung|sponsored|sponsor|dfp|gpt-?ad|promo|banner-?ad"
    r"|toolbar|tool-?bar|print|bookmark\w*|rating|feedback|author-?bio|byline-?social"
)
_BOILER_ATTR = _token_re(_BOILER_WORDS)
_EXCLUDE_TAGS = {"nav", "header", "footer", "menu"}
_EXCLUDE_ROLE = {"navigation", "banner", "contentinfo", "menubar", "menu"}

_CREDIT_LINE = re.compile(
    r"^(?:fotos?|bilder?|photos?|photograph|image|picture|credit|illustration|grafik|"
    r"infografik|video|aufnahme|quelle\s*foto|bildquelle|fotoquelle|copyright)\s*:"
    r"|^\s*(?:©|\(c\)|copyright\b)"
    r"|\(\s*(?:photo|image|picture)?[^()]{0,80}\bvia\s+(?:getty|reuters|ap|afp)\b[^()]*\)\s*$"
    r"|^(?:photo|image|picture|foto|bild)\s*(?:by|von)\b",
    re.I,
)
# One part of a credits line: "ssi, dan; Foto [M]: Shutterstock; Erstveröffentlichung: …"
_CREDIT_PART = re.compile(r"[;|]\s*(?:fotos?|bilder?|photos?)\s*(?:\[\w{1,3}\]\s*)?:", re.I)
_CREDIT_AGENCY = re.compile(
    r"(?:getty\s*images|reuters|afp|\bap\b|\bdpa\b|imago|picture[\s-]*alliance|shutterstock|"
    r"istock\w*|keystone|epa|apa|sipa|alamy|unsplash|zuma)",
    re.I,
)

_RELATED_TEXT = re.compile(
    r"^(?:read\s+(?:more|also|next|this)|also\s+read|more\s*:|more\s+(?:on|from|about)\b|"
    r"related\s*(?:\w+\s*)?:|related\s+(?:articles?|stories|coverage|content|news)|trending$|see\s+also|"
    r"see\s+more\s*:|mehr\s+themen\b|[\w-]+\.(?:com|de|org|net|co\.uk|at|ch)\s*:\s|"
    r"recommended|you\s+(?:may|might)\s+(?:also\s+)?like|don't\s+miss|watch\s*:|listen\s*:|"
    r"click\s+here\s+to\s+read|"
    r"lesen\s+sie\s+(?:auch|mehr|hier|dazu)|mehr\s+zum\s+thema|mehr\s+dazu|auch\s+interessant|"
    r"das\s+könnte\s+sie\s+(?:auch\s+)?interessieren|weitere\s+(?:artikel|beiträge|themen)|"
    r"weiterlesen|hier\s+weiterlesen|zum\s+artikel|empfehlungen?\b|passend\s+zum\s+thema|"
    r"lesetipp|auch\s+lesen|siehe\s+auch|hören\s+sie\s+auch|sehen\s+sie\s+auch)",
    re.I,
)
_BOILER_TEXT = re.compile(
    r"^(?:share\s+(?:this|on|via|the)|share$|tweet$|email$|print$|copy\s+link|"
    r"sign\s+up\s+(?:for\s+(?:our|the|a\s+free)\s+[\w\s]{0,30}newsletter|now|today|here|to\s+(?:our|receive|get))|"
    r"subscribe\s+(?:to\s+(?:our|the)|now|today|here)|subscribe$|"
    r"get\s+(?:our|the)\s+\w+\s+newsletter|newsletter|"
    r"download\s+(?:the|our)\s+app|follow\s+us|join\s+(?:us|the\s+conversation)|"
    r"advertisement|sponsored|(?:\d+\s+)?comments?$|leave\s+a\s+comment|show\s+comments|"
    r"we\s+use\s+cookies|this\s+(?:site|website)\s+uses\s+cookies|accept\s+(?:all\s+)?cookies|"
    r"click\s+here\s+to\s+(?:sign|subscribe)|support\s+(?:our|independent)\s+journalism|"
    r"teilen$|artikel\s+teilen|diesen\s+artikel\s+teilen|jetzt\s+teilen|anzeige$|werbung$|"
    r"melden\s+sie\s+sich|jetzt\s+(?:anmelden|abonnieren|registrieren|kostenlos)|"
    r"abonnieren|newsletter|laden\s+sie\s+(?:die|unsere)\s+app|folgen\s+sie\s+uns|"
    r"kommentare?$|(?:\d+\s+)?kommentare?\b|jetzt\s+kommentieren|zu\s+den\s+kommentaren|"
    r"wir\s+verwenden\s+cookies|diese\s+(?:seite|website)\s+verwendet\s+cookies|"
    r"alle\s+akzeptieren|sendung\s*:|dieses\s+thema\s+im\s+programm\s*:|artikel\s+(?:anhören|vorlesen|merken)|merken$|drucken$|"
    r"(?:hier|jetzt)\s+(?:kostenlos\s+)?(?:anmelden|abonnieren))",
    re.I,
)


# Slideshow counters ("Image 2 of 5", "Bild 2 von 5", "2 / 5") and gallery controls: a text made
# only of these is widget chrome, not a caption.
_COUNTER_TEXT = re.compile(
    r"(?:(?:image|photo|picture|slide|bild|foto)\s*)?\d{1,3}\s*(?:of|von|/)\s*\d{1,3}", re.I
)
_CONTROL_TEXT = re.compile(
    r"(?:\s*(?:" + _COUNTER_TEXT.pattern + r"|(?:show|hide|open|close)?\s*captions?"
    r"|(?:bildunterschrift|bildtext)(?:\s+(?:ein|aus)blenden)?|close|open|expand|collapse"
    r"|next|prev(?:ious)?|back\s+to\s+(?:the\s+)?gallery|view\s+(?:all|gallery)|fullscreen"
    r"|full\s+screen|enlarge|schließen|öffnen|weiter|zurück(?:\s+zur\s+(?:bilder)?galerie)?"
    r"|vor(?:herige[sr]?)?|nächste[sr]?|vergrößern|vollbild|alle\s+bilder)\s*[|·•]?)+",
    re.I,
)


def _attr_text(el: HtmlElement) -> str:
    return " ".join(
        v
        for v in (el.get("class"), el.get("id"), el.get("data-component"), el.get("aria-label"))
        if v
    )


def _is_excluded(el: HtmlElement) -> bool:
    return el.tag in _EXCLUDE_TAGS or (el.get("role") or "").lower() in _EXCLUDE_ROLE


_CAPTION_CACHE: dict[str, bool] = {}
_WIDGET_CACHE: dict[str, str | None] = {}


def _is_caption_el(el: HtmlElement, attrs: str | None = None) -> bool:
    tag = el.tag
    if tag in ("figcaption", "figure"):
        return True
    if (el.get("itemprop") or "").lower() in _CAPTION_ITEMPROP:
        return True
    if attrs is None:
        attrs = _attr_text(el)
    if not attrs:
        return False
    found = _CAPTION_CACHE.get(attrs)
    if found is None:
        if len(_CAPTION_CACHE) > 50_000:
            _CAPTION_CACHE.clear()
        found = _CAPTION_CACHE[attrs] = bool(_CAPTION_ATTR.search(attrs))
    return found


_CONSENT_ATTR = re.compile(r"cookie|consent|gdpr|(?:^|[-_])cmp(?:[-_]|$)")
_UTILITY = re.compile(r"[:\[\]&]")
_EMBED_ATTR = re.compile(r"embed|tweet|instagram|tiktok|youtube|infobox|factbox")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
# Any hint at all, unanchored: most class/id strings have none, and skip the token loop.
_WIDGET_HINT = re.compile(
    "|".join(("cookie|consent|gdpr|cmp", _EMBED_ATTR.pattern, _RELATED_WORDS, _BOILER_WORDS))
)


def _widget_kind(el: HtmlElement, attrs: str | None = None) -> str | None:
    if attrs is None:
        attrs = _attr_text(el)
    if not attrs:
        return None
    if attrs in _WIDGET_CACHE:
        return _WIDGET_CACHE[attrs]
    if len(_WIDGET_CACHE) > 50_000:
        _WIDGET_CACHE.clear()
    kind = _WIDGET_CACHE[attrs] = _widget_kind_of(attrs)
    return kind


def _widget_kind_of(attrs: str) -> str | None:
    split = _CAMEL.sub(r"\1-\2", attrs).lower()
    if not _WIDGET_HINT.search(split):
        return None
    # utility-class tokens ("print:hidden", "md:[&]:mt-0") say nothing about the content
    tokens = [t for t in split.split() if not _UTILITY.search(t)]
    if any(_CONSENT_ATTR.search(t) for t in tokens):
        return "boilerplate"
    if any(_EMBED_ATTR.search(t) for t in tokens):
        return None
    if any(_RELATED_ATTR.search(t) for t in tokens):
        return "related"
    if any(_BOILER_ATTR.search(t) for t in tokens):
        return "boilerplate"
    return None


def _looks_like_credit(text: str) -> bool:
    """Photo credit lines ("Foto: dpa", "© Reuters", "(… via Getty Images)")."""
    if len(text) > 800:
        return False
    if not _CREDIT_LINE.search(text) and not (
        (";" in text or "|" in text) and _CREDIT_PART.search(text)
    ):
        return False
    n = _words(text)
    if n > 80:
        return False
    # long credit blocks ("Fotos: X Styling: Y Haare: Z ...") are runs of "Role: NAME" pairs
    return n <= 30 or (
        bool(re.match(r"(?:fotos?|photos?|credits?|bilder)\s*:", text, re.I))
        and len(re.findall(r"\w:\s", text)) >= 3
    )


def _text_kind(text: str) -> str | None:
    if len(text) > 400 or _words(text) > 30:
        return None
    if _words(text) <= 6 and _CONTROL_TEXT.fullmatch(text):
        return "boilerplate"
    if _RELATED_TEXT.match(text):
        return "related"
    if _BOILER_TEXT.match(text):
        return "boilerplate"
    return None


# --------------------------------------------------------------------------------------------
# Body from trafilatura
# --------------------------------------------------------------------------------------------


def _node_text(el) -> str:
    pieces = [piece for piece in el.itertext() if piece and not piece.isspace()]
    if len(pieces) >= 2 and _is_drop_cap(pieces[0], pieces[1]):
        # a drop cap in its own element ("<span>N</span>a endlich!") is part of the word
        pieces[:2] = [pieces[0].strip() + pieces[1]]
    return _clean(" ".join(pieces))


def _is_drop_cap(first: str, rest: str) -> bool:
    first = first.strip()
    return len(first) == 1 and first.isupper() and rest[:1].islower()


def _texts(elements) -> list[str]:
    """The non-empty texts of ``elements``."""
    return [text for text in map(_node_text, elements) if text]


def _body_blocks(body) -> list[tuple[str, str]]:
    """(tag, text) per block of trafilatura's output tree, in order. Text trafilatura leaves
    between its blocks (the tail of a heading: "<head>…</head>Save $31 if …") is a paragraph
    of its own; it is article text that no element of the output holds."""
    lead = _clean(body.text) if body.tag not in _EXCLUDE_TAGS else ""  # (a page of menus)
    out: list[tuple[str, str]] = [("p", lead)] if lead else []
    for child in body:
        out.extend(_child_blocks(child))
        tail = _clean(child.tail)
        if tail:
            out.append(("p", tail))
    return out


def _child_blocks(child) -> list[tuple[str, str]]:
    """One block per list item and table row, a quote's paragraphs apart, no images."""
    tag = child.tag
    if tag == "list":
        return [("item", text) for text in _texts(child.iter("item"))]
    if tag == "table":
        rows = (" ".join(_texts(row.iter("cell"))) for row in child.iter("row"))
        return [("row", text) for text in rows if text]
    if tag == "quote" and len(child) and all(c.tag in ("p", "head", "list") for c in child):
        return _body_blocks(child)
    if tag == "graphic":
        return []
    text = _node_text(child)
    return [(tag, text)] if text else []


def _fallback_blocks(tree: HtmlElement, url: str) -> list[tuple[str, str]]:
    """Body blocks for a page the precise pass finds nothing on (very short articles, old
    markup): trafilatura favouring recall, else its baseline (JSON-LD articleBody, <article>,
    then all paragraphs). A page with text is never left without a body."""
    import trafilatura

    document = trafilatura.bare_extraction(
        tree,
        url=url or None,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        with_metadata=False,
    )
    body = getattr(document, "body", None)  # a Document (with_metadata=False never gives a dict)
    blocks = _body_blocks(body) if body is not None else []
    if blocks:
        return blocks
    _, text, _ = trafilatura.baseline(tree)
    return [("p", line) for line in map(_clean, text.split("\n")) if _words(line) >= 3]


def _run_trafilatura(tree: HtmlElement, url: str):
    import trafilatura

    return trafilatura.bare_extraction(
        tree,
        url=url or None,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        with_metadata=False,
    )


# --------------------------------------------------------------------------------------------
# Main entry point
# --------------------------------------------------------------------------------------------


# lxml's C-level element classes: lxml.html's Python-level class lookup (special classes for
# form elements, which nothing here needs) runs once per element proxy and costs about 6 % of
# the whole extraction. Otherwise trafilatura's parser settings.
_PARSER = etree.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_INVALID_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
# A doctype with a slash in it on the first line makes libxml2 lose the document (lxml bug
# 1955915); so does a self-closing <html/>.
_SLASHED_DOCTYPE = re.compile(r"^< ?! ?DOCTYPE[^>]*/[^<>]*>", re.I)
_SELF_CLOSING_HTML = re.compile(r"(<html.*?)\s*/>", re.I)


def _parse(html: str) -> HtmlElement | None:
    """The page's tree, repaired and parsed as trafilatura's ``load_html`` does it but with
    ``_PARSER``; what that cannot make into an HTML document goes to ``load_html`` itself
    (trafilatura's public API), which then decides."""
    beginning = html[:50].lower()
    try:
        tree = lxml.html.document_fromstring(_repaired(html, beginning), parser=_PARSER)
    except (etree.LxmlError, ValueError):
        tree = None
    # trafilatura's own check: a "page" that does not mention html early needs two children
    if tree is not None and len(tree) and ("html" in beginning or len(tree) >= 2):
        return tree
    import trafilatura

    try:
        return trafilatura.load_html(html)
    except Exception:  # a page lxml cannot parse at all is a page without article text
        return None


def _repaired(html: str, beginning: str) -> bytes:
    """``html`` as UTF-8, without what libxml2 mis-parses: characters XML forbids, a slashed
    doctype on the first line, a self-closing ``<html/>`` among the first lines. (Checked on
    the bytes first: most pages need nothing, and a regex over the whole text costs 3 %.)"""
    data = html.encode("utf-8", "surrogatepass")
    repaired = html
    if (
        len(data.translate(None, _XML_INVALID_BYTES)) != len(data)
        or b"\xef\xbf\xbe" in data
        or b"\xef\xbf\xbf" in data
    ):  # U+FFFE, U+FFFF
        repaired = _XML_INVALID.sub("", repaired)
    end = repaired.find("\n")
    first_line = repaired if end < 0 else repaired[:end]
    if "doctype" in beginning and _SLASHED_DOCTYPE.match(first_line):
        repaired = _SLASHED_DOCTYPE.sub("", first_line, count=1) + repaired[len(first_line) :]
    if any("<html" in line and line.endswith("/>") for line in repaired[:4096].splitlines()[:4]):
        repaired = _SELF_CLOSING_HTML.sub(r"\1>", repaired, count=1)
    return data if repaired is html else repaired.encode("utf-8", "surrogatepass")


def _lca(index: _Index, items: list[int]) -> int:
    if not items:
        return -1
    chain = list(index.ancestors(items[0]))
    rank = {j: k for k, j in enumerate(chain)}
    best = 0
    for i in items[1:]:
        for j in index.ancestors(i):
            if j in rank:
                best = max(best, rank[j])
                break
    return chain[best]


def _lines(el: HtmlElement, sep: str = "") -> list[str]:
    """Plain-text lines of an element, split at block boundaries.

    Inline pieces are joined with ``sep`` ("" keeps words split by inline markup intact).
    """
    buf: list[str] = []
    lines: list[str] = []
    block = {
        "p",
        "div",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "figure",
        "figcaption",
        "br",
        "tr",
        "table",
        "aside",
        "form",
        "header",
        "footer",
        "pre",
    }
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        tag = node.tag
        if event == "start":
            if not isinstance(tag, str) or tag in _SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag in block:
                lines.append(_clean(sep.join(buf)))
                buf = []
            if node.text:
                buf.append(node.text)
        else:
            if isinstance(tag, str) and tag in block:
                lines.append(_clean(sep.join(buf)))
                buf = []
            if node.tail and node is not el:
                buf.append(node.tail)
    lines.append(_clean(sep.join(buf)))
    return [t for t in lines if t]


def _image_credit(holder: HtmlElement, caption_text: str) -> str:
    """Credit-like title/alt of images in ``holder`` that the visible caption lacks."""
    extra: list[str] = []
    lowered = caption_text.lower()
    for img in holder.iter("img"):
        for attr in ("title", "data-credit", "data-copyright"):
            value = _clean(img.get(attr))
            if (
                value
                and value.lower() not in lowered
                and (_CREDIT_LINE.search(value) or _CREDIT_AGENCY.search(value) or attr != "title")
            ):
                extra.append(value)
                lowered += " " + value.lower()
    return " ".join(extra)


def _unit_text(el: HtmlElement) -> str:
    """Caption text of a caption unit (figure, figcaption or caption-like element)."""
    if el.tag == "figure":
        lines, holder = _figure_lines(el), el
    else:
        lines, holder = _lines(el, " "), _credit_holder(el)
    text = _clean(" ".join(_dedupe_lines(lines)))
    credit = _image_credit(holder, text)
    text = _clean(f"{text} {credit}") if credit else text
    counter = _counter_before(el) if el.tag != "figure" else ""
    return f"{counter} {text}" if counter else text


def _figure_lines(figure: HtmlElement) -> list[str]:
    """A figure's caption-like parts; else all its text when short; else an image title or alt
    text that reads like words rather than a file name."""
    subs: list[HtmlElement] = []
    for sub in figure.iterdescendants():
        if not isinstance(sub.tag, str) or not _is_caption_el(sub):
            continue
        if any(s in subs for s in sub.iterancestors()):
            continue
        subs.append(sub)
    lines = [line for sub in subs for line in _lines(sub, " ")]
    if lines:
        return lines
    lines = _lines(figure, " ")
    if lines and _words(" ".join(lines)) <= 80:
        return lines
    return _image_text(figure)


def _image_text(figure: HtmlElement) -> list[str]:
    """A figure's or its image's data-caption, title or alt text, when it reads like words."""
    for img in [figure, *figure.iter("img")]:
        # a caption kept for a lightbox or lazy loader in a data attribute is the editor's
        # own text; it wins over a title or alt written for screen readers
        alt = _clean(
            _TAG.sub(" ", img.get("data-caption") or img.get("title") or img.get("alt") or "")
        )
        if _words(alt) >= 2 and not _IMAGE_FILE.search(alt):
            return [alt]
    return []


_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp)$", re.I)
_TAG = re.compile(r"<[^>]*>")


def _credit_holder(el: HtmlElement) -> HtmlElement:
    """Where a caption's image credit may sit: the caption's parent when that holds at most two
    images (the caption's own image), else the caption itself."""
    parent = el.getparent()
    if parent is not None and sum(1 for _ in parent.iter("img")) <= 2:
        return parent
    return el


def _counter_before(el: HtmlElement) -> str:
    """A slideshow counter ("Image 2 of 5") just before a caption: it belongs to the caption."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None or len(prev) >= 8:
        return ""
    counter = _clean(prev.text_content())
    if counter and len(counter) <= 24 and _COUNTER_TEXT.fullmatch(counter):
        return counter
    return ""


_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.|\[…\]|\(…\))\s*$")


def _dedupe_lines(lines: list[str]) -> list[str]:
    """Drop repeated lines and truncated twins ("full" and "short" versions of a caption)."""
    unique = list(dict.fromkeys(lines))
    if len(unique) < 2:
        return unique
    out: list[str] = []
    for k, line in enumerate(unique):
        stem = _ELLIPSIS.sub("", line)
        if len(stem) >= 20 and any(
            j != k and len(other) > len(stem) and other.startswith(stem)
            for j, other in enumerate(unique)
        ):
            continue
        out.append(line)
    return out


_BYLINE = re.compile(r"(?:by|von|text:)\s", re.I)
_HOLDER_TAGS = {"div", "section", "picture"}
_PLAIN_INTERESTING = {"figure", "figcaption", "div", "section", "picture"}


def _is_image_holder(index: _Index, i: int, inside: int) -> bool:
    """A small box holding one image and a short text (caption/credit) without a class hint."""
    size = index.ends[i] - index.starts[i]
    if not size or size > 600 or (inside and (inside > 2 or size > 400)):
        return False
    el = index.elems[i]
    if el.find(".//img") is None:
        return False
    images = [img for img in el.iter("img") if index.index(img) >= 0]
    if not 1 <= len(images) <= 2:
        return False
    if _link_share(el) >= 0.5 or el.find(".//h1") is not None:
        return False
    text = _clean(el.text_content())
    return _words(text) <= (25 if inside else 60) and not _BYLINE.match(text)


def _echoes_alt(el: HtmlElement) -> bool:
    """A box right after an image that repeats the image's alt text, then at most a credit."""
    before = el.getprevious()
    if before is None or el.find(".//img") is not None:
        return False
    image = before if before.tag == "img" else before.find(".//img")
    alt = _clean(image.get("alt")) if image is not None else ""
    # a teaser card repeats its picture's alt in a linked title: that is no caption
    if _words(alt) < 4 or _link_share(el) >= 0.5 or _in_link(el) or _in_link(image):
        return False
    if el.find(".//h2") is not None or el.find(".//h3") is not None:
        return False
    # the alt text, then at most a photo credit: a teaser goes on with a summary or byline
    text = _clean(el.text_content())
    return _words(text) - _words(alt) <= 8 and _squeeze(text).startswith(_squeeze(alt))


def _in_link(el: HtmlElement) -> bool:
    return any(up.tag == "a" for up in el.iterancestors())


def _link_share(el: HtmlElement) -> float:
    total = len(_squeeze(el.text_content()))
    if not total:
        return 0.0
    linked = sum(len(_squeeze(a.text_content())) for a in el.iter("a"))
    return linked / total


@dataclass
class _Block:
    kind: str
    text: str
    start: int
    end: int
    elem: int
    order: int
    subheading: bool = False


@dataclass(frozen=True)
class _Unit:
    """An element shown as one piece: a caption, or a widget (``related``/``boilerplate``)."""

    kind: str
    start: int
    end: int
    el: HtmlElement


def _assemble(
    tree: HtmlElement, metadata: PageMetadata, raw_blocks: list[tuple[str, str]]
) -> list[Segment]:
    """Place trafilatura's body blocks back in the page, add what lies around them in the
    article (captions, related teasers, boilerplate) and return everything in page order."""
    index = _Index(tree)
    h1 = next(
        (el for el in tree.iter("h1") if index.index(el) >= 0 and _clean(el.text_content())), None
    )
    headlines = {_squeeze(metadata.title), _squeeze(h1.text_content()) if h1 is not None else ""}
    blocks = _place_blocks(index, raw_blocks, headlines)
    lead = _article_lead(index, blocks, metadata, h1)
    if lead is not None:
        blocks.insert(0, lead)
    region = _article_region(index, blocks, h1)
    units = _units_outside(
        _find_units(index, region, sorted(b.start for b in blocks if b.elem >= 0)), lead
    )
    out = (
        _classify_body(index, blocks, units)
        + _unit_blocks(units, metadata.title, metadata.author)
        + _missing_subheadings(index, region, blocks, units, headlines)
    )
    out.sort(key=lambda b: (b.start, b.order if b.order >= 0 else -1))
    _mark_teaser_runs(index, out)
    _mark_appeal_headings(out)
    _mark_after_labels(out)
    _mark_author_lines(out, metadata.author)
    return _segments(metadata.title, out)


def _mark_author_lines(blocks: list[_Block], author: str) -> None:
    """A body line that is only the author's name (the byline repeated under the text) is
    about the writer, not article text."""
    if _words(author) < 2 or "," in author:
        return
    name = _squeeze(author)
    for b in blocks:
        if b.kind == "paragraph" and len(b.text) <= 2 * len(author) and _squeeze(b.text) == name:
            b.kind = "boilerplate"


def _article_lead(
    index: _Index, blocks: list[_Block], metadata: PageMetadata, h1: HtmlElement | None
) -> _Block | None:
    lead = _find_lead(index, blocks, metadata.descriptions, h1)
    if lead is not None and metadata.language == "en" and _is_dek(lead.text):
        return None
    return lead


def _segments(title: str, out: list[_Block]) -> list[Segment]:
    """The headline, then the blocks in page order (a script dump collapsed into one)."""
    segments: list[Segment] = []
    if title:
        segments.append(Segment("headline", title))
    for b in out:
        text = _clean(b.text)
        if not text:
            continue
        if _continues_script_dump(segments, b.kind, text):
            # "showPaywall:", "false", "isSubscriber:", ... : one collapsed block, not eight
            segments[-1] = Segment("boilerplate", f"{segments[-1].text} {text}")
            continue
        segments.append(Segment(b.kind, text, b.kind == "paragraph" and b.subheading))
    return segments


# --------------------------------------------------------------------------------------------
# The lead (standfirst, Vorspann): article text that trafilatura often leaves out because it
# sits in the article's header, next to the headline, rather than in the body container.
# --------------------------------------------------------------------------------------------

_LEAD_ATTR = _token_re(
    r"lead|lede|intro\w*|teaser-?text|standfirst|summary|abstract|excerpt|sub-?title|subtitle"
    r"|dek|deck|description|vorspann|einleitung|article-?teaser|header-?teaser|kurztext"
)
# A dek of a few words ("The LC 500 looks good even with the roof chopped off") is not a lead.
_LEAD_MIN_WORDS = 12
_LEAD_GAP = 3000  # squeezed characters allowed between the lead and the first body block


def _lead_candidates(meta: dict[str, str], title: str, ld_items: list[dict]) -> tuple[str, ...]:
    """Texts the page says sum it up: its description <meta> tags and JSON-LD description,
    and the beginning of JSON-LD articleBody. Used only where they also appear in the page."""
    found = [meta.get(k, "") for k in ("og:description", "description", "twitter:description")]
    for item in ld_items:
        if _ARTICLE_TYPES.search(str(item.get("@type", ""))):
            found.append(_clean(str(item.get("description") or "")))
            found.append(_clean(str(item.get("articleBody") or ""))[:300])
    out = []
    for text in found:
        text = _ELLIPSIS.sub("", text)
        if _words(text) >= 8 and text not in out and _squeeze(text) != _squeeze(title):
            out.append(text)
    return tuple(out)


def _find_lead(
    index: _Index, blocks: list[_Block], candidates: tuple[str, ...], h1: HtmlElement | None
) -> _Block | None:
    """The lead paragraph, when the body lacks it: an element before the first body block
    (and after the headline) whose text a description repeats, or one marked as a lead."""
    placed = [b for b in blocks if b.elem >= 0]
    if not placed:
        return None
    first = placed[0].start
    floor = index.ends[index.index(h1)] if h1 is not None and index.index(h1) >= 0 else 0
    floor = floor if floor <= first else 0
    body = _squeeze(" ".join(b.text for b in placed[:3]))
    for text in candidates:
        key = _squeeze(text)[:60]
        if key in body:
            return None  # the body starts with it already
        p = index.stream.find(key, max(0, floor, first - _LEAD_GAP))
        if 0 <= p < first:
            block = _lead_block(index, p, first, len(_squeeze(text)))
            if block is not None:
                return block
    return _marked_lead(index, max(floor, first - _LEAD_GAP), first)


def _lead_block(index: _Index, p: int, first: int, length: int) -> _Block | None:
    """The largest element starting at (or just before: a dateline) offset ``p`` that ends
    before the body and is not much longer than the description found there."""
    i = index.element_at(p)
    best = -1
    for j in index.ancestors(i) if i >= 0 else ():
        s, e = index.starts[j], index.ends[j]
        if (
            s < p - 40
            or e > first
            or e - s > max(2 * length, length + 600)
            or _holds_media(index.elems[j])
        ):
            break
        best = j
    if best < 0:
        return None
    return _lead_from(index, best)


_DEK_MAX_WORDS = 20  # style guides keep a dek to one line of 10-20 words
_SENTENCE_STOP = re.compile(r"(?<![.])[.!?][\"”’)]?(?=\s|$)")


def _is_dek(text: str) -> bool:
    """A one-sentence summary under an English headline (a dek): English papers keep it apart
    from the article, where a German Vorspann is the article's first paragraph."""
    return _words(text) <= _DEK_MAX_WORDS and len(_SENTENCE_STOP.findall(text)) < 2


def _holds_media(el: HtmlElement) -> bool:
    """Images, figures, captions or headings inside: a lead is text alone."""
    return any(
        sub.tag in _NOT_IN_LEAD or _is_caption_el(sub)
        for sub in el.iter()
        if isinstance(sub.tag, str)
    )


_NOT_IN_LEAD = {"img", "figure", "picture", "video", "h1", "h2", "h3", "h4", "time", "address"}


def _lead_from(index: _Index, j: int) -> _Block | None:
    el = index.elems[j]
    text = _clean(" ".join(_lines(el)))
    if (
        _words(text) < _LEAD_MIN_WORDS
        or _link_share(el) >= 0.5
        or _looks_like_credit(text)
        or _holds_media(el)
        or any(_is_caption_el(up) for up in el.iterancestors())
    ):
        return None
    return _Block("paragraph", text, index.starts[j], index.ends[j], j, -1)


def _is_lead_el(el: HtmlElement) -> bool:
    tokens = _CAMEL.sub(r"\1-\2", _attr_text(el)).lower().split()
    return any(_LEAD_ATTR.search(t) for t in tokens)


def _marked_lead(index: _Index, low: int, first: int) -> _Block | None:
    """An element marked as a lead/intro/teaser text between ``low`` and the body."""
    k = bisect_left(index.starts, low)
    while k < len(index.elems) and index.starts[k] < first:
        el = index.elems[k]
        if (
            index.ends[k] <= first
            and el.attrib
            and el.tag not in ("a", "img", "figure")
            and not _is_caption_el(el)
            and _is_lead_el(el)
        ):
            block = _lead_from(index, k)
            if block is not None and _words(block.text) <= 150:
                return block
        k += 1
    return None


# A teaser: a short title-like line, often with a kicker ("Demenz: Ab wann Gedächtnislücken
# besorgniserregend sind"); a run of them after the article's last real paragraph is a
# "more on this" list, whatever its markup.
_KICKER = re.compile(r"^[^.:!?]{2,60}:\s+\S")
_TEASER_MAX_WORDS = 16
_TEASER_RUN = 3
_LONG_PARAGRAPH = 25


def _is_teaser_line(b: _Block) -> bool:
    text = b.text.rstrip()
    return (
        b.kind == "paragraph"
        and not b.subheading
        and len(text) <= 250
        and _words(text) <= _TEASER_MAX_WORDS
        and not text.startswith("(")
        and not text.endswith((".", ".“", '."', ".”", ".«", ".»"))
    )


def _mark_teaser_runs(index: _Index, blocks: list[_Block]) -> None:
    """Runs of three or more teaser lines are a "more on this" list (``related``) when half of
    them are links, or, after the article's last long paragraph, when half have a kicker."""
    body = [b for b in blocks if b.kind == "paragraph"]
    last_long = max(
        (
            k
            for k, b in enumerate(body)
            if len(b.text) >= 2 * _LONG_PARAGRAPH and _words(b.text) >= _LONG_PARAGRAPH
        ),
        default=-1,
    )
    for first, run in _teaser_runs(body):
        if _is_teaser_list(index, run, trailing=first > last_long):
            for b in run:
                b.kind = "related"


_SENTENCE_END = (".", "!", "?", ".“", '."', ".”", "!“", "?“", ".«", ".»", ":")


_APPEAL_HEADING_MAX_WORDS = 8


def _mark_appeal_headings(blocks: list[_Block]) -> None:
    """After the article's last long paragraph, a short line that is no sentence right before
    an appeal ("Links lesen, Rechts bekämpfen" above a donation box) is the appeal's heading."""
    last_long = max(
        (k for k, b in enumerate(blocks) if b.kind == "paragraph" and _words(b.text) >= 25),
        default=len(blocks),
    )
    for b, after in itertools.pairwise(blocks[last_long + 1 :]):
        if (
            b.kind == "paragraph"
            and after.kind == "boilerplate"
            and _words(b.text) <= _APPEAL_HEADING_MAX_WORDS
            and not b.text.rstrip().endswith(_SENTENCE_END)
            and _is_junk_text(after.text)
        ):
            b.kind = "boilerplate"


def _mark_after_labels(blocks: list[_Block]) -> None:
    """A list label standing alone ("DON'T MISS", "Mehr zum Thema") heads a teaser list: the
    body block right after it that is no sentence (teaser titles run together) is ``related``."""
    for prev, b in itertools.pairwise(blocks):
        if (
            b.kind == "paragraph"
            and prev.kind == "related"
            and _words(prev.text) <= 4
            and _RELATED_TEXT.match(prev.text)
            and _words(b.text) <= 80
            and not b.text.rstrip().endswith(_SENTENCE_END)
        ):
            b.kind = "related"


def _teaser_runs(body: list[_Block]) -> list[tuple[int, list[_Block]]]:
    """Runs of at least three consecutive teaser lines, with the position of each run's first."""
    runs: list[tuple[int, list[_Block]]] = []
    current: list[_Block] = []
    for k, b in enumerate([*body, None]):
        if b is not None and _is_teaser_line(b):
            current.append(b)
            continue
        if len(current) >= _TEASER_RUN:
            runs.append((k - len(current), current))
        current = []
    return runs


def _is_teaser_list(index: _Index, run: list[_Block], *, trailing: bool) -> bool:
    links = sum(1 for b in run if _mostly_link(index, b))
    kickers = sum(1 for b in run if _KICKER.match(b.text))
    return 2 * links >= len(run) or (trailing and 2 * kickers >= len(run))


def _mostly_link(index: _Index, b: _Block) -> bool:
    """The smallest element holding the whole block is mostly link text."""
    if b.elem < 0:
        return False
    for j in index.ancestors(b.elem):
        if index.ends[j] >= b.end:
            return _link_share(index.elems[j]) >= 0.4
    return False


def _continues_script_dump(segments: list[Segment], kind: str, text: str) -> bool:
    if kind != "boilerplate" or not segments or segments[-1].kind != "boilerplate":
        return False
    last = segments[-1].text
    return bool(_SCRIPT_LIKE.fullmatch(text)) and bool(
        _SCRIPT_LIKE.fullmatch(last.rsplit(" ", 1)[-1]) and len(text) <= 80
    )


def _units_outside(units: list[_Unit], lead: _Block | None) -> list[_Unit]:
    """The units that do not overlap the lead (the lead is text, not a caption)."""
    if lead is None:
        return units
    return [u for u in units if u.end <= lead.start or u.start >= lead.end]


def _place_blocks(
    index: _Index, raw_blocks: list[tuple[str, str]], headlines: set[str]
) -> list[_Block]:
    """Find each body block in the page's text stream, in order; a block not found keeps the
    position of the one before it. A headline among the first blocks is left out: the headline
    is emitted on its own."""
    blocks: list[_Block] = []
    cursor = 0
    last = 0
    for n, (tag, text) in enumerate(raw_blocks):
        sq = _squeeze(text)
        if not sq or (n < 3 and _is_headline_again(sq, headlines)):
            continue
        p = index.find(sq, cursor)
        if p >= 0:
            cursor = p + 1
            last = p
            text = _joined_drop_cap(index, text, p)
            blocks.append(
                _Block("paragraph", text, p, p + len(sq), index.element_at(p), n, tag == "head")
            )
        else:
            blocks.append(_Block("paragraph", text, last, last, -1, n, tag == "head"))
    return blocks


_KICKER_MAX_CHARS = 60  # squeezed


def _is_headline_again(squeezed: str, headlines: set[str]) -> bool:
    """The headline, alone or after its kicker ("Umbau des Weissen Hauses Trump plant …")."""
    return squeezed in headlines or any(
        h and squeezed.endswith(h) and len(squeezed) - len(h) <= _KICKER_MAX_CHARS
        for h in headlines
    )


_SUBHEADING_TAGS = ("h2", "h3", "h4")
_SUBHEADING_MAX_WORDS = 20
_SUBHEADING_GAP = 600  # squeezed characters between a subheading and the text it heads


def _missing_subheadings(
    index: _Index, region: int, blocks: list[_Block], units: list[_Unit], headlines: set[str]
) -> list[_Block]:
    """Subheadings of the article that the body lacks: h2-h4 elements in the body's container
    (not merely the article region: teaser boxes beside the text have headings too) between
    its first and last body block, outside captions and widgets, short and not mostly a link."""
    placed = sorted(b.start for b in blocks if b.elem >= 0)
    container = _body_container(index, blocks)
    if region < 0 or container < 0 or len(placed) < 2:
        return []
    low, high = min(placed), max(placed)
    taken = {b.start for b in blocks}
    spans = sorted((u.start, u.end) for u in units)
    span_starts = [s for s, _ in spans]
    out = []
    for el in index.elems[container].iter(*_SUBHEADING_TAGS):
        i = index.index(el)
        if not _between(index, i, low, high) or index.starts[i] in taken:
            continue
        text = _clean(" ".join(_lines(el, " ")))
        following = placed[bisect_right(placed, index.starts[i])]
        if (
            following - index.ends[i] > _SUBHEADING_GAP
            or _in_a_span(spans, span_starts, index.starts[i])
            or not _reads_like_subheading(el, text, headlines)
        ):
            continue
        out.append(_Block("paragraph", text, index.starts[i], index.ends[i], i, -1, True))
    return out


def _between(index: _Index, i: int, low: int, high: int) -> bool:
    return i >= 0 and low < index.starts[i] < high


def _reads_like_subheading(el: HtmlElement, text: str, headlines: set[str]) -> bool:
    """Short, not a link, no teaser or boilerplate label, not the headline again."""
    return (
        bool(text)
        and _words(text) <= _SUBHEADING_MAX_WORDS
        and _link_share(el) < 0.5
        and not _text_kind(text)
        and _squeeze(text) not in headlines
    )


_DROP_CAP_TEXT = re.compile(r"([A-ZÄÖÜ]) ([a-zäöüß])")


def _joined_drop_cap(index: _Index, text: str, p: int) -> str:
    """ "N a endlich!" → "Na endlich!" when the first letter sits alone in its own element
    (a drop cap). "A", "I" and "O" are words of their own and are left as they are."""
    m = _DROP_CAP_TEXT.match(text)
    if m is None or m.group(1) in "AIO":
        return text
    i = index.element_at(p)
    if i < 0 or index.ends[i] - index.starts[i] != 1:
        return text
    return m.group(1) + text[2:]


def _article_region(index: _Index, blocks: list[_Block], h1: HtmlElement | None) -> int:
    """The element that holds the article: its body container, joined with the headline when
    that adds little, grown over wrappers that add little text (header, lead image, credits)."""
    container = _body_container(index, blocks)
    region = container
    if container >= 0 and h1 is not None:
        both = _lca(index, [container, index.index(h1)])
        # (element 0 is the whole page)
        if both > 0 and _size(index, both) <= 2 * _size(index, container) + 3000:
            region = both
    while region >= 0:
        parent = index.elems[region].getparent()
        j = index.index(parent) if parent is not None else -1
        if j < 0 or parent.tag in ("body", "html") or _is_excluded(parent):
            return region
        if _size(index, j) > 1.25 * _size(index, region) + 1000:
            return region
        region = j
    return region


def _size(index: _Index, i: int) -> int:
    return index.ends[i] - index.starts[i]


def _body_container(index: _Index, blocks: list[_Block]) -> int:
    """The deepest element holding at least 85 % of the body text found in the page."""
    weight: dict[int, int] = {}
    total = 0
    for b in blocks:
        if b.elem < 0:
            continue
        size = b.end - b.start
        total += size
        for j in index.ancestors(b.elem):
            weight[j] = weight.get(j, 0) + size
    return max((j for j, w in weight.items() if w >= 0.85 * total), default=-1)


def _find_units(index: _Index, region: int, body_starts: list[int]) -> list[_Unit]:
    """Captions and widgets in the article region, and widgets right next to it."""
    if region < 0:
        return []
    finder = _UnitFinder(index, body_starts)
    region_el = index.elems[region]
    finder.walk(region_el, widgets_only=False)
    for sib in (region_el.getprevious(), region_el.getnext()):
        if (
            sib is not None
            and isinstance(sib.tag, str)
            and not _is_excluded(sib)
            and _widget_kind(sib)
        ):
            finder.walk(sib, widgets_only=True)
    return finder.units


_DESCRIBER_TAGS = {"div", "p", "span", "small", "section", "aside"}
_MEDIA_TAGS = {"img", "figure", "picture", "video", "audio", "svg", "canvas", "iframe"}


class _UnitFinder:
    """Walks a subtree and collects its units; a unit's subtree is not entered."""

    def __init__(self, index: _Index, body_starts: list[int]) -> None:
        self.index = index
        self.body_starts = body_starts
        self.units: list[_Unit] = []
        self._described: set[str] | None = None

    def walk(self, root: HtmlElement, *, widgets_only: bool) -> None:
        pos = self.index.pos
        walker = etree.iterwalk(root, events=("start",))
        for _, el in walker:
            i = pos.get(el, -1)
            if i < 0:
                walker.skip_subtree()
                continue
            attrib = el.attrib
            if not attrib and el.tag not in _PLAIN_INTERESTING:
                continue
            if el.tag in ("nav", "menu") or (attrib.get("role") or "").lower() in _EXCLUDE_ROLE:
                walker.skip_subtree()
                continue
            kind = self._unit_kind(el, i, is_root=el is root, widgets_only=widgets_only)
            if kind:
                self.units.append(_Unit(kind, self.index.starts[i], self.index.ends[i], el))
                walker.skip_subtree()

    def _body_inside(self, i: int) -> int:
        """How many body blocks start inside element ``i``."""
        s, e = self.index.starts[i], self.index.ends[i]
        starts = self.body_starts
        return bisect_right(starts, e - 1) - bisect_right(starts, s - 1) if e > s else 0

    def _unit_kind(
        self, el: HtmlElement, i: int, *, is_root: bool, widgets_only: bool
    ) -> str | None:
        size = _size(self.index, i)
        if size <= 0 and el.tag not in ("figure", "img") and not len(el):
            return None
        inside = self._body_inside(i)
        attrs = _attr_text(el)
        if not widgets_only and _is_caption_el(el, attrs) and self._caption_sized(size, inside):
            return "caption"
        kind = None if is_root else _widget_kind(el, attrs)
        if kind and self._is_widget(el, kind, inside):
            return kind
        if not widgets_only and self._is_unmarked_caption(el, i, size, inside):
            return "caption"
        return None

    def _is_unmarked_caption(self, el: HtmlElement, i: int, size: int, inside: int) -> bool:
        """A caption without a caption class: an image box, or text tied to its image."""
        if el.tag in _HOLDER_TAGS and _is_image_holder(self.index, i, inside):
            return True
        return self._caption_sized(size, inside) and self._describes_image(el, size)

    def _describes_image(self, el: HtmlElement, size: int) -> bool:
        """A caption without a class hint that the markup ties to its image: the target of an
        image's ``aria-describedby``, or a box right after the image repeating its alt text
        (captions that a button folds out are often only that)."""
        if size > 600 or el.tag not in _DESCRIBER_TAGS:
            return False
        el_id = el.get("id")
        if el_id and el_id in self._described_ids(el):
            return True
        return _echoes_alt(el)

    def _described_ids(self, el: HtmlElement) -> set[str]:
        """Ids named by media elements' ``aria-describedby``, read once per page."""
        if self._described is None:
            self._described = {
                ref
                for media in el.getroottree().iterfind(".//*[@aria-describedby]")
                if media.tag in _MEDIA_TAGS
                for ref in (media.get("aria-describedby") or "").split()
            }
        return self._described

    def _caption_sized(self, size: int, inside: int) -> bool:
        """A caption holds no body text, or very little in a small element."""
        return not inside or (inside <= 2 and size <= 700 and inside < 0.2 * len(self.body_starts))

    def _is_widget(self, el: HtmlElement, kind: str, inside: int) -> bool:
        """Not mostly article text; a related box is mostly links."""
        if inside > 0.3 * max(1, len(self.body_starts)):
            return False
        return kind != "related" or _link_share(el) >= 0.5


def _classify_body(index: _Index, blocks: list[_Block], units: list[_Unit]) -> list[_Block]:
    """Body blocks that fall inside a unit go (the unit stands for them); the others get a kind
    by their text: credit lines, teaser and boilerplate lexicons, standalone links."""
    spans = sorted((u.start, u.end) for u in units)
    span_starts = [s for s, _ in spans]
    out: list[_Block] = []
    for b in blocks:
        if b.elem >= 0 and _in_a_span(spans, span_starts, b.start):
            continue
        b.kind = _body_block_kind(index, b)
        out.append(b)
    return out


def _in_a_span(spans: list[tuple[int, int]], span_starts: list[int], offset: int) -> bool:
    k = bisect_right(span_starts, offset) - 1
    while k >= 0:
        s, e = spans[k]
        if s <= offset < e:
            return True
        if s < offset - 200_000:  # no unit is that long
            return False
        k -= 1
    return False


# Script and state dumps shown as text ("showPaywall:", "false", "{…}"), and consent, paywall
# and donation appeals that sit inside the article container.
_SCRIPT_LIKE = re.compile(
    r"[A-Za-z_$][\w$]*\s*:|true|false|null|undefined|nan|[\[\]{}(),;:=\d\s\"'.-]+", re.I
)
_APPEAL_TEXT = re.compile(
    r"(?:unterstützen\s+(?-i:Sie)\b|jetzt\s+unterstützen|spenden\s+(?-i:Sie)\b|freiwillig\s+(?:unterstützen|zahlen)"
    r"|support\s+(?:us|our\s+work|(?:independent|quality)\s+journalism)|make\s+a\s+(?:donation|contribution)"
    r"|become\s+a\s+(?:member|subscriber|supporter)|already\s+a\s+subscriber|bereits\s+abonnent"
    r"|(?:accept|akzeptieren)\s+(?:all\s+)?(?:cookies|alle)|cookie-?einstellungen|consent\s+preferences"
    r"|zustimmung\s+(?:zu|für)\s+(?:externen|alle)|externe(?:r|n)?\s+inhalte?\s+(?:laden|anzeigen)"
    r"|externe[rn]?\s+inhalt|damit\s+einverstanden,\s+dass|empfohlener\s+redaktioneller\s+inhalt"
    r"|kostenlos\s+testen|testen\s+(?-i:Sie)\s+(?:für|jetzt|\w+\s+wochen)|jetzt\s+bestellen"
    r"|newsletter\s+(?:informiert|abonnieren)|sign\s+up\s+for\s+(?:our|the)\s+\w+\s+newsletter)",
    re.I,
)


# Words one of which every appeal holds: a cheap test before the regex, which most paragraphs
# (no appeal) would otherwise cost the whole extraction a few per cent.
_APPEAL_HINTS = (
    "unterstütz",
    "spende",
    "freiwillig",
    "support",
    "donation",
    "contribution",
    "member",
    "subscri",
    "abonnent",
    "akzeptier",
    "accept",
    "cookie",
    "consent",
    "zustimm",
    "extern",
    "einverstanden",
    "redaktionell",
    "testen",
    "bestellen",
    "newsletter",
)


# "Übersetzung: X, Redaktion: Y, Schlussredaktion: Z": the production credits of a piece.
_CREDITS_ROLL = re.compile(r"(?:^|[,;|]\s*)[A-ZÄÖÜ][\wäöüß-]+:\s")


def _is_junk_text(text: str) -> bool:
    if len(text) <= 80 and _SCRIPT_LIKE.fullmatch(text):
        return True
    if len(text) <= 400 and len(_CREDITS_ROLL.findall(text)) >= 3:
        return True
    if len(text) > 1500:
        return False
    lowered = text.lower()
    return (
        any(hint in lowered for hint in _APPEAL_HINTS)
        and _words(text) <= 120
        and _APPEAL_TEXT.search(text) is not None
    )


# Lines around an article that are about it, not of it: who contributed ("Keith Bradsher
# contributed reporting", "(Reporting by …; editing by …)", "Mitarbeit: …"), when it changed
# ("Updated at 1:23 p.m."), prompts to follow, click, comment or subscribe, shop disclaimers
# and WordPress shortcodes left as text ("[button link=…]…[/button]").
# (Split in two so that most paragraphs cost one anchored match and a few substring tests:
# the parts that can only start the text, and the parts found inside it after a hint word.)
_ABOUT_START = re.compile(
    r"\(?(?:additional\s+)?(?:reporting|writing|editing|research)\s+by\b"
    r"|\(?(?:mitarbeit|mit\s+material\s+von)\b"
    r"|(?:last\s+)?(?:updated|aktualisiert|zuletzt\s+aktualisiert)\b[^.]{0,40}\d"
    r"|(?:this|the)\s+(?:article|story|piece)\s+(?:was\s+(?:first|originally)|originally|first)\b"
    r"|(?:dieser|der)\s+(?:artikel|beitrag|text)\s+(?:ist\s+eine\s+übersetzung|erschien\s+zuerst)",
    re.I,
)
_ABOUT_INSIDE = re.compile(
    r"\bcontributed\s+(?:reporting|research|to\s+(?:this|the)\s+(?:report|story|article))\b"
    r"|(?:^|[.!?…]\s+)follow\s+(?:us|him|her|them|@\w+"
    r"|[^.!?]{0,60}?\b(?:on|at)\s+(?:twitter|facebook|instagram|linkedin|threads|bluesky|tiktok))"
    r"|(?:^|[.!?…]\s+)folgen\s+sie\s+(?:uns|ihm|ihr)\b"
    r"|keine\s+aufforderung\s+zum\s+kauf|(?:is|are)\s+not\s+(?:investment|financial)\s+advice"
    r"|(?:^|[.!?…]\s+)click\s+here\b|(?:^|[.!?…]\s+)tell\s+us\s+what\s+you\s+think"
    r"|prices?\s+(?:are\s+)?subject\s+to\s+change|delivered\s+(?:straight\s+)?to\s+your\s+inbox"
    r"|sign\s+up\s+(?:for|to)\s+[^.!?]{0,60}\bnewsletter|totalverlust\s+des\s+eingesetzten"
    r"|\[/[a-z_][\w-]*\]",
    re.I,
)
_ABOUT_HINTS = (
    "contributed",
    "follow",
    "folgen sie",
    "aufforderung",
    "advice",
    "click here",
    "tell us",
    "subject to change",
    "your inbox",
    "newsletter",
    "totalverlust",
    "[/",
)
_ABOUT_MAX_WORDS = 80
# A line marked as a link to elsewhere (">> Hier finden Sie …", "→ Alle Termine").
_ARROW_LINK = re.compile(r"^(?:>>|→|►|▶|➤|➔)\s*\S")


def _is_about_text(text: str) -> bool:
    if len(text) > 12 * _ABOUT_MAX_WORDS:
        return False
    if _ABOUT_START.match(text) is None:
        lowered = text.lower()
        if not any(hint in lowered for hint in _ABOUT_HINTS) or not _ABOUT_INSIDE.search(text):
            return False
    return _words(text) <= _ABOUT_MAX_WORDS


def _is_labelled_list(text: str) -> bool:
    """A teaser list run into one paragraph after its label ("DON'T MISS Plague warning
    [WARNING] BLACK DEATH fears [INSIGHT]"): label first, no sentence at its end."""
    if _ARROW_LINK.match(text) is not None:
        return _words(text) <= _TEASER_MAX_WORDS * 2
    return (
        _RELATED_TEXT.match(text) is not None
        and not text.rstrip().endswith(_SENTENCE_END)
        and _words(text) <= 80
    )


def _body_block_kind(index: _Index, b: _Block) -> str:
    if _is_junk_text(b.text) or _is_about_text(b.text):
        return "boilerplate"
    if _looks_like_credit(b.text):
        return "caption"
    kind = _text_kind(b.text) or ("related" if _is_labelled_list(b.text) else None)
    if kind:
        return kind
    if b.elem >= 0 and _words(b.text) <= 25 and _standalone_link(index, b):
        return "related"
    return b.kind


_WORD_LETTER = re.compile(r"[^\W\d_]")


def _unit_blocks(units: list[_Unit], title: str, author: str = "") -> list[_Block]:
    """One block per caption (repeats dropped; gallery chrome is boilerplate), one per line of
    a widget."""
    out: list[_Block] = []
    seen_captions: set[str] = set()
    for unit in units:
        if unit.kind != "caption":
            out.extend(  # (a line without a letter is a counter: "0" shares)
                _Block(unit.kind, line, unit.start, unit.end, -1, -1)
                for line in _lines(unit.el)
                if _WORD_LETTER.search(line)
            )
            continue
        text = _unit_text(unit.el)
        key = _squeeze(text)
        if not key or key in seen_captions:
            continue
        seen_captions.add(key)
        chrome = _is_caption_chrome(text, title) or _is_author_box(text, author)
        kind = "boilerplate" if chrome else "caption"
        out.append(_Block(kind, text, unit.start, unit.end, -1, -1))
    return out


def _is_caption_chrome(text: str, title: str) -> bool:
    """What sits in a caption box but describes no image: gallery controls, ids ("6236752
    5928990"), share prompts ("Diesen Artikel teilen")."""
    return _is_control_text(text, title) or _is_junk_text(text) or _text_kind(text) == "boilerplate"


def _is_author_box(text: str, author: str) -> bool:
    """The author's picture with their name and bio ("Nicole Opitz Redakteurin seit 2019 …"):
    about the writer, not an image of the story."""
    return _words(author) >= 2 and "," not in author and text.startswith(author)


def _is_control_text(text: str, title: str) -> bool:
    """Gallery chrome: counters and control labels, possibly after the gallery's title."""
    if _words(text) > 30:
        return False
    if title and text.startswith(title):
        text = text[len(title) :].strip()
    return bool(text) and _CONTROL_TEXT.fullmatch(text) is not None


def _standalone_link(index: _Index, b: _Block) -> bool:
    for j in index.ancestors(b.elem):
        el = index.elems[j]
        if el.tag == "a":
            return index.starts[j] <= b.start and index.ends[j] >= b.end
        if index.ends[j] - index.starts[j] > (b.end - b.start) * 2:
            return False
    return False


def _drop_inert(tree: HtmlElement) -> None:
    """Remove elements that never hold article text, once metadata has been read.

    Every later pass (trafilatura's XPath prunes and tree copies, our index and walk) would
    otherwise go over them again. JSON-LD stays: trafilatura looks for forum markup in it.
    """
    scripts = [s for s in tree.iter("script") if (s.get("type") or "").lower() != _LD_JSON]
    for script in scripts:
        script.tag = "sourcemark-drop"
    etree.strip_elements(
        tree,
        "sourcemark-drop",
        "style",
        "svg",
        "link",
        "meta",
        "iframe",
        "object",
        "button",
        "select",
        "textarea",
        "input",
        "noscript",
        with_tail=False,
    )
    # Site navigation, menus and page footers: never imported (see the module docstring), and
    # on most pages a large share of the tree. One that holds the headline or an <article>
    # is a page built oddly, and stays.
    chrome = [
        el
        for el in tree.iter("nav", "menu", "footer")
        if el.find(".//h1") is None
        and el.find(".//article") is None
        and (el.tag != "footer" or not _in_content(el))
    ]
    for el in chrome:
        if el.getparent() is not None:
            el.drop_tree()


def _in_content(el: HtmlElement) -> bool:
    """Inside an article, a figure or the main content: a footer there holds credits."""
    return any(up.tag in ("article", "figure", "main", "section") for up in el.iterancestors())


def extract_page(*, html: str, url: str = "") -> ExtractedPage:
    """Extract metadata and typed plain-text segments from one HTML page."""
    tree = _parse(html)
    if tree is None:
        return ExtractedPage(PageMetadata("", "", "", "", "", url), [])
    metadata = _extract_metadata(tree, url)
    _drop_inert(tree)
    document = _run_trafilatura(tree, url)
    blocks = _body_blocks(document.body) if document is not None else []
    if not blocks:
        blocks = _fallback_blocks(tree, url)
    return ExtractedPage(metadata=metadata, segments=_assemble(tree, metadata, blocks))
