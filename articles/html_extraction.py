"""Turn a real news page (HTML) into typed plain-text blocks.

Pure Python, no Django. The article body is found with trafilatura; the original DOM (parsed
once with lxml and shared with trafilatura) is then walked around the article container to put
figure captions and photo credits back at their place, and to sort leftover in-article lines
into ``related`` and ``boilerplate`` with small English/German lexicons.

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
import json
import re
from bisect import bisect_right
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PageMetadata:
    title: str
    site_name: str
    author: str
    published: str
    language: str
    canonical_url: str


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


_WESTERN = re.compile(r"[\u00c0-\u00ff\u20ac\u201a-\u201e\u2013\u2014\u2018\u2019\u2026"
                      r"\u00ab\u00bb\u00b7\u00b0\u00a7\u00a0\u00a9\u00ae]")


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
    encoding = None
    m = _HEADER_CHARSET.search(content_type_header or "")
    if m:
        encoding = _codec(m.group(1))
    bom_len = 0
    for bom, name in _BOMS:
        if body.startswith(bom):
            bom_len = len(bom)
            if encoding is None or encoding.startswith(name[:6]):
                encoding = name
            else:
                bom_len = 0
            break
    if encoding is None:
        m = _META_CHARSET.search(body[:4096])
        if m:
            encoding = _codec(m.group(1).decode("ascii", "ignore"))
    if encoding is None:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if _looks_western(body):
            return body[bom_len:].decode("cp1252", errors="replace")
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(body[:200_000]).best()
            if best is not None and best.encoding:
                encoding = _codec(best.encoding)
        except Exception:  # pragma: no cover - detection must never break import
            encoding = None
    text = body[bom_len:].decode(encoding or "cp1252", errors="replace")
    return text.lstrip("\ufeff")


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


def _extract_metadata(tree: HtmlElement, url: str) -> PageMetadata:
    meta = _meta(tree)
    ld = [i for i in _json_ld(tree) if _ARTICLE_TYPES.search(str(i.get("@type", "")))]
    ld_first = ld[0] if ld else {}

    h1 = next((el for el in tree.iter("h1")), None)
    title = (
        meta.get("og:title")
        or meta.get("twitter:title")
        or _ld_name(ld_first.get("headline"))
        or (_clean(h1.text_content()) if h1 is not None else "")
    )
    if not title:
        t = tree.find(".//title")
        title = _clean(t.text_content()) if t is not None else ""

    site_name = meta.get("og:site_name") or meta.get("application-name") or ""
    if not site_name and ld_first:
        site_name = _ld_name(ld_first.get("publisher"))

    author = ""
    if ld_first:
        author = _ld_name(ld_first.get("author"))
    if not author:
        for key in ("author", "article:author", "byl", "dc.creator", "parsely-author",
                    "sailthru.author"):
            value = meta.get(key, "")
            if value and not value.startswith(("http://", "https://", "/")):
                author = re.sub(r"^(by|von)\s+", "", value, flags=re.I)
                break
    if not author:
        for el in tree.xpath('//*[@rel="author" or @itemprop="author"]'):
            author = _clean(el.text_content())
            if author:
                break

    published = ""
    for key in ("article:published_time", "og:published_time", "datepublished",
                "date", "pubdate", "publishdate", "dc.date", "dc.date.issued",
                "sailthru.date", "parsely-pub-date"):
        published = _iso_date(meta.get(key, ""))
        if published:
            break
    if not published and ld_first:
        published = _iso_date(str(ld_first.get("datePublished") or ""))
    if not published:
        for el in tree.xpath("//time[@datetime]"):
            published = _iso_date(el.get("datetime"))
            if published:
                break

    lang = tree.get("lang") or tree.get("xml:lang") or ""
    if not lang:
        lang = meta.get("content-language") or meta.get("og:locale") or meta.get("language", "")
    m = re.match(r"\s*([a-zA-Z]{2})(?:[-_]|$)", lang)
    language = m.group(1).lower() if m else ""

    canonical = ""
    for el in tree.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            canonical = el.get("href").strip()
            break
    canonical = canonical or meta.get("og:url", "") or url
    if canonical and url:
        canonical = urljoin(url, canonical)

    return PageMetadata(
        title=title,
        site_name=site_name,
        author=author,
        published=published,
        language=language,
        canonical_url=canonical,
    )


# --------------------------------------------------------------------------------------------
# DOM index: a squeezed (lowercase, word characters only) text stream of the original page,
# with every element's start/end offset in it. Used to place extracted text back in the DOM.
# --------------------------------------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe",
              "object", "button", "select", "option", "textarea", "input"}


class _Index:
    def __init__(self, root: HtmlElement) -> None:
        self.elems: list[HtmlElement] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.pos: dict[HtmlElement, int] = {}
        parts: list[str] = []
        offset = 0
        squeeze = _SQUEEZE.sub
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, el in walker:
            if event == "start":
                tag = el.tag
                if not isinstance(tag, str) or tag in _SKIP_TAGS:
                    walker.skip_subtree()
                    self.pos[el] = -1
                    continue
                i = len(self.elems)
                self.pos[el] = i
                self.elems.append(el)
                self.starts.append(offset)
                self.ends.append(offset)
                text = el.text
                if text and not text.isspace():
                    s = squeeze("", text.lower())
                    parts.append(s)
                    offset += len(s)
            else:
                i = self.pos.get(el, -1)
                if i >= 0:
                    self.ends[i] = offset
                text = el.tail
                if text and not text.isspace():
                    s = squeeze("", text.lower())
                    parts.append(s)
                    offset += len(s)
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
_CREDIT_AGENCY = re.compile(
    r"(?:getty\s*images|reuters|afp|\bap\b|\bdpa\b|imago|picture[\s-]*alliance|shutterstock|"
    r"istock\w*|keystone|epa|apa|sipa|alamy|unsplash|zuma)",
    re.I,
)

_RELATED_TEXT = re.compile(
    r"^(?:read\s+(?:more|also|next|this)|also\s+read|more\s*:|more\s+(?:on|from|about)\b|"
    r"related\s*(?:\w+\s*)?:|related\s+(?:articles?|stories|coverage|content)|see\s+also|"
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
    r"alle\s+akzeptieren|artikel\s+(?:anhören|vorlesen|merken)|merken$|drucken$|"
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
        v for v in (el.get("class"), el.get("id"), el.get("data-component"), el.get("aria-label"))
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
    n = _words(text)
    if n > 80 or not _CREDIT_LINE.search(text):
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
    return _clean(" ".join(el.itertext()))


def _body_blocks(body) -> list[tuple[str, str]]:
    """(tag, text) per block of trafilatura's output tree, in order."""
    out: list[tuple[str, str]] = []
    for child in body:
        tag = child.tag
        if tag == "list":
            items = [_node_text(i) for i in child.iter("item")]
            out.extend(("item", t) for t in items if t)
            continue
        if tag == "table":
            for row in child.iter("row"):
                cells = [_node_text(c) for c in row.iter("cell")]
                text = " ".join(c for c in cells if c)
                if text:
                    out.append(("row", text))
            continue
        if tag == "quote" and len(child) and all(c.tag in ("p", "head", "list") for c in child):
            out.extend(_body_blocks(child))
            continue
        if tag == "graphic":
            continue
        text = _node_text(child)
        if text:
            out.append((tag, text))
    return out


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


# trafilatura's parser settings, but with lxml's C-level class lookup: lxml.html's Python-level
# lookup (special classes for form elements, which nothing here needs) runs once per element
# proxy and costs several percent of the whole extraction.
_PARSER = etree.HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
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


# Characters trafilatura's repair_faulty_html removes (XML-invalid controls), as UTF-8 bytes.
_XML_INVALID_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _parse(html: str) -> HtmlElement | None:
    """Parse like trafilatura's ``load_html`` (same repairs and checks), with ``_PARSER``."""
    from trafilatura.utils import is_dubious_html, load_html, repair_faulty_html

    beginning = html[:50].lower()
    try:
        data = html.encode("utf-8", "surrogatepass")
        cut = html.rfind("\n", 0, 4096)
        if (
            cut <= 0
            or len(data.translate(None, _XML_INVALID_BYTES)) != len(data)
            or b"\xef\xbf\xbe" in data  # U+FFFE
            or b"\xef\xbf\xbf" in data  # U+FFFF
        ):
            data = repair_faulty_html(html, beginning).encode("utf-8", "surrogatepass")
        else:
            # No invalid characters, so only the other repairs are left: they touch the
            # doctype line and an <html/> tag in the first lines, i.e. whole lines of the
            # first 4 KB. (An added line break can only land next to an existing one.)
            head = html[:cut]
            fixed = repair_faulty_html(head, beginning)
            if fixed != head:
                data = (fixed + html[cut:]).encode("utf-8", "surrogatepass")
        tree = lxml.html.document_fromstring(data, parser=_PARSER)
    except Exception:
        tree = None
    if tree is not None and len(tree) and not (is_dubious_html(beginning) and len(tree) < 2):
        return tree
    try:
        return load_html(html)
    except Exception:
        return None


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
    block = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
             "ul", "ol", "dl", "dt", "dd", "blockquote", "figure", "figcaption", "br", "tr",
             "table", "aside", "form", "header", "footer", "pre"}
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
            if value and value.lower() not in lowered and (
                _CREDIT_LINE.search(value) or _CREDIT_AGENCY.search(value) or attr != "title"
            ):
                extra.append(value)
                lowered += " " + value.lower()
    return " ".join(extra)


def _unit_text(el: HtmlElement) -> str:
    """Caption text of a caption unit (figure, figcaption or caption-like element)."""
    if el.tag == "figure":
        subs: list[HtmlElement] = []
        for sub in el.iterdescendants():
            if not isinstance(sub.tag, str) or not _is_caption_el(sub):
                continue
            if any(s in subs for s in sub.iterancestors()):
                continue
            subs.append(sub)
        lines = [line for sub in subs for line in _lines(sub, " ")]
        if not lines:
            lines = _lines(el, " ")
            if _words(" ".join(lines)) > 80:
                lines = []
        if not lines:
            for img in el.iter("img"):
                alt = _clean(img.get("title") or img.get("alt"))
                if _words(alt) >= 2 and not re.search(r"\.(?:jpe?g|png|gif|webp)$", alt, re.I):
                    lines = [alt]
                    break
        holder = el
    else:
        lines = _lines(el, " ")
        parent = el.getparent()
        holder = el
        if parent is not None and sum(1 for _ in parent.iter("img")) <= 2:
            holder = parent
    text = _clean(" ".join(_dedupe_lines(lines)))
    credit = _image_credit(holder, text)
    text = _clean(f"{text} {credit}") if credit else text
    if el.tag != "figure":
        # a slideshow counter ("Image 2 of 5") just before the caption belongs to it
        prev = el.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        if prev is not None:
            counter = _clean(prev.text_content()) if len(prev) < 8 else ""
            if counter and len(counter) <= 24 and _COUNTER_TEXT.fullmatch(counter):
                text = f"{counter} {text}"
    return text


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


def _assemble(tree: HtmlElement, metadata: PageMetadata,
              raw_blocks: list[tuple[str, str]]) -> list[Segment]:
    index = _Index(tree)
    blocks: list[_Block] = []
    cursor = 0
    last = 0
    title_sq = _squeeze(metadata.title)
    h1 = next((el for el in tree.iter("h1") if index.index(el) >= 0 and _clean(el.text_content())),
              None)
    h1_sq = _squeeze(h1.text_content()) if h1 is not None else ""
    for n, (_tag, text) in enumerate(raw_blocks):
        sq = _squeeze(text)
        if not sq:
            continue
        if n < 3 and sq in (title_sq, h1_sq):
            continue  # the headline is emitted on its own
        p = index.find(sq, cursor)
        if p >= 0:
            cursor = p + 1
            last = p
            blocks.append(_Block("paragraph", text, p, p + len(sq), index.element_at(p), n))
        else:
            blocks.append(_Block("paragraph", text, last, last, -1, n))

    # The article container: deepest element holding most of the body text.
    weight: dict[int, int] = {}
    total = 0
    for b in blocks:
        if b.elem < 0:
            continue
        size = b.end - b.start
        total += size
        for j in index.ancestors(b.elem):
            weight[j] = weight.get(j, 0) + size
    container = max((j for j, w in weight.items() if w >= 0.85 * total), default=-1)
    region = container
    if container >= 0 and h1 is not None:
        hi = index.index(h1)
        both = _lca(index, [container, hi])
        if both >= 0 and both not in (0,) and (
            index.ends[both] - index.starts[both]
            <= 2 * (index.ends[container] - index.starts[container]) + 3000
        ):
            region = both
    # Grow the region over wrappers that add little text (article header, lead image, credits).
    while region >= 0:
        parent = index.elems[region].getparent()
        j = index.index(parent) if parent is not None else -1
        if j < 0 or parent.tag in ("body", "html") or _is_excluded(parent):
            break
        size = index.ends[region] - index.starts[region]
        if index.ends[j] - index.starts[j] > 1.25 * size + 1000:
            break
        region = j
    starts = sorted(b.start for b in blocks if b.elem >= 0)

    def body_inside(i: int) -> int:
        s, e = index.starts[i], index.ends[i]
        return bisect_right(starts, e - 1) - bisect_right(starts, s - 1) if e > s else 0

    units: list[tuple[str, int, int, HtmlElement]] = []  # kind, start, end, element

    pos, ends = index.pos, index.ends

    def walk(root: HtmlElement, widgets_only: bool) -> None:
        walker = etree.iterwalk(root, events=("start",))
        for _, el in walker:
            i = pos.get(el, -1)
            if i < 0:
                walker.skip_subtree()
                continue
            tag = el.tag
            attrib = el.attrib
            if not attrib and tag not in _PLAIN_INTERESTING:
                continue
            if tag in ("nav", "menu") or (attrib.get("role") or "").lower() in _EXCLUDE_ROLE:
                walker.skip_subtree()
                continue
            if ends[i] <= index.starts[i] and tag not in ("figure", "img") and not len(el):
                continue
            inside = body_inside(i)
            attrs = _attr_text(el)
            if not widgets_only and _is_caption_el(el, attrs) and (
                not inside
                or (inside <= 2 and index.ends[i] - index.starts[i] <= 700
                    and inside < 0.2 * len(starts))
            ):
                units.append(("caption", index.starts[i], index.ends[i], el))
                walker.skip_subtree()
                continue
            kind = _widget_kind(el, attrs) if el is not root else None
            if kind and (
                (kind == "related" and _link_share(el) < 0.5)
                or inside > 0.3 * max(1, len(starts))  # mostly article text: not a widget
            ):
                kind = None
            if kind:
                units.append((kind, index.starts[i], index.ends[i], el))
                walker.skip_subtree()
                continue
            if not widgets_only and el.tag in _HOLDER_TAGS and _is_image_holder(index, i, inside):
                units.append(("caption", index.starts[i], index.ends[i], el))
                walker.skip_subtree()

    if region >= 0:
        region_el = index.elems[region]
        walk(region_el, False)
        # widgets directly around the article: adjacent siblings of the region
        for sib in (region_el.getprevious(), region_el.getnext()):
            if (sib is not None and isinstance(sib.tag, str) and not _is_excluded(sib)
                    and _widget_kind(sib)):
                walk(sib, True)

    # Reclassify body blocks that fall inside a unit, or match the lexicons.
    unit_spans = sorted((u[1], u[2], k) for k, u in enumerate(units))
    unit_starts = [u[0] for u in unit_spans]
    out: list[_Block] = []
    for b in blocks:
        owner = -1
        if b.elem >= 0:
            k = bisect_right(unit_starts, b.start) - 1
            while k >= 0:
                s, e, u = unit_spans[k]
                if s <= b.start < e:
                    owner = u
                    break
                if unit_starts[k] < b.start - 200_000:
                    break
                k -= 1
        if owner >= 0:
            continue
        if _looks_like_credit(b.text):
            b.kind = "caption"
        else:
            kind = _text_kind(b.text)
            if kind:
                b.kind = kind
            elif b.elem >= 0 and _words(b.text) <= 25 and _standalone_link(index, b):
                b.kind = "related"
        out.append(b)

    seen_captions: set[str] = set()
    for kind, s, e, el in units:
        if kind == "caption":
            text = _unit_text(el)
            key = _squeeze(text)
            if not key or key in seen_captions:
                continue
            seen_captions.add(key)
            if _is_control_text(text, metadata.title):
                out.append(_Block("boilerplate", text, s, e, -1, -1))
                continue
            out.append(_Block("caption", text, s, e, -1, -1))
        else:
            for line in _lines(el):
                out.append(_Block(kind, line, s, e, -1, -1))
    out.sort(key=lambda b: (b.start, b.order if b.order >= 0 else -1))

    segments: list[Segment] = []
    if metadata.title:
        segments.append(Segment("headline", metadata.title))
    for b in out:
        text = _clean(b.text)
        if text:
            segments.append(Segment(b.kind, text))
    return segments


def _is_control_text(text: str, title: str) -> bool:
    """Gallery chrome: counters and control labels, possibly after the gallery's title."""
    if _words(text) > 30:
        return False
    if title and text.startswith(title):
        text = text[len(title):].strip()
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
        tree, "sourcemark-drop", "style", "svg", "link", "meta", "iframe", "object", "button",
        "select", "textarea", "input", "noscript", with_tail=False,
    )


def extract_page(*, html: str, url: str = "") -> ExtractedPage:
    """Extract metadata and typed plain-text segments from one HTML page."""
    tree = _parse(html)
    if tree is None:
        return ExtractedPage(PageMetadata("", "", "", "", "", url), [])
    metadata = _extract_metadata(tree, url)
    _drop_inert(tree)
    document = _run_trafilatura(tree, url)
    blocks = _body_blocks(document.body) if document is not None else []
    return ExtractedPage(metadata=metadata, segments=_assemble(tree, metadata, blocks))
