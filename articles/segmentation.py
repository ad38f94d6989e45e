"""Split an imported plain-text article into ordered, typed blocks.

Pure Python (no Django imports) so it can be used by import code, management
commands and tests alike.

Splitting (:func:`split_blocks`)
    Line endings, BOMs, zero-width characters and exotic spaces are normalised
    and runs of spaces collapsed.  If the text separates paragraphs with blank
    lines *and* some paragraph is hard-wrapped over several lines, blank lines
    are the separators and wrapped lines are joined with a space (a line well
    short of the wrap width, or far longer than any wrap width, still ends its
    block).  Otherwise every non-empty line is its own block -- the common
    "one paragraph per line" export, as in the seed article.

Classifying (:func:`classify_blocks`) -- every block gets exactly one kind of
:data:`BLOCK_KINDS`.  The rules are applied in this order; the first that
matches wins:

1. ``boilerplate`` -- calls to action and site chrome, in English and German:
   app/newsletter/subscribe prompts, "click here", share bars, comment chrome
   ("Leave a Reply", "3 Kommentare"), "source site", ad labels, cookie
   banners, separator lines without letters ("___").  Phrase lexicons only
   fire on *short* lines that do not report speech, so a body sentence that
   merely mentions a newsletter stays a paragraph.  This rule comes first so
   that an all-caps CTA ("CLICK HERE TO GET THE ... APP") is not taken for an
   all-caps teaser.
2. ``related`` by label -- lines opening with "READ MORE:", "RELATED:",
   "Lesen Sie auch", "Mehr zum Thema", "Das könnte Sie auch interessieren"...
   A label standing alone is a list heading: the title-like lines that follow
   it are teasers too.
3. ``caption`` by photo credit -- "(NAME/AGENCY via Getty Images)",
   "(AP Photo/...)", "Photograph: X/Reuters", "Foto: ...", "Bild: dpa",
   "© ...", "REUTERS/Name", "Image source, ...", "Quelle: dpa".  Credits must
   sit in a trailing parenthesis, at the end of the line or as a line prefix,
   so "Reuters reported on Tuesday ..." stays a paragraph.
4. ``headline`` -- the first block not claimed above, when it is short-ish and
   has no final period (or is short and followed by longer body text).
5. ``related`` by capitals -- Fox-style teasers: fully upper-case lines, or
   lines that start with an ALL-CAPS lead word/phrase and carry no final
   sentence punctuation (a machine translation often keeps only the first word
   in capitals).  Agency datelines ("WASHINGTON (AP) —") are excluded.
6. ``caption`` by position -- a short title line (few words, no final
   punctuation) directly before a captioned photo; a longer caption text
   directly before a bare credit line ("Foto: Kay Nietfeld / dpa") unless it
   reads like reporting (a verb of saying, "according to", "laut", "zufolge").
7. ``paragraph`` -- everything else, including subheadings inside the body.

The rules use layout and generic lexicons only -- nothing here knows the words
of any particular article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

BLOCK_KINDS: tuple[str, ...] = ("headline", "paragraph", "caption", "related", "boilerplate")

HEADLINE: Final = "headline"
PARAGRAPH: Final = "paragraph"
CAPTION: Final = "caption"
RELATED: Final = "related"
BOILERPLATE: Final = "boilerplate"


@dataclass(frozen=True)
class Segment:
    """One classified block of an article."""

    kind: str
    text: str
    # A subheading inside the body: still a ``paragraph`` (the five kinds are a contract),
    # shown as a subheading.
    subheading: bool = False

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}; expected one of {BLOCK_KINDS}")


# ---------------------------------------------------------------------------
# Splitting
# ---------------------------------------------------------------------------

# Characters that carry no text: byte-order mark, zero-width (non-)joiners and
# spaces, word joiner, soft hyphen.  Copy-paste from web pages is full of them.
_INVISIBLE_RE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad]")
# Exotic spaces (no-break, narrow no-break, en/em/thin spaces, ideographic) and
# tabs become ordinary spaces.
_ODD_SPACE_RE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUN_RE = re.compile(r" {2,}")
# A wrapped line is "full" if it reaches this share of the wrap width; a
# shorter line ended its paragraph (or is a standalone line like "Share").
_FULL_LINE_SHARE: Final = 0.6
# Below this width, multi-line groups are lists of short lines, not wrapping.
_MIN_WRAP_WIDTH: Final = 40
# Hard wraps happen at 60-100 columns; a longer line is a paragraph that was
# never wrapped, so it never continues onto the next line.
_MAX_WRAP_WIDTH: Final = 120
# "Nordrhein-\nWestfalen": a hyphen at a line end before a capital is a German
# compound split by the wrapper, so it is joined without a space.
_COMPOUND_BREAK_RE = re.compile(r"[^\W\d_]-$")


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Unicode line/paragraph separators, vertical tab and form feed are line breaks.
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = text.replace("\v", "\n").replace("\f", "\n")
    text = _INVISIBLE_RE.sub("", text)
    text = _ODD_SPACE_RE.sub(" ", text)
    # NFC so that "u" + combining diaeresis matches "ü" in the lexicons.
    text = unicodedata.normalize("NFC", text)
    return "\n".join(_SPACE_RUN_RE.sub(" ", line).strip() for line in text.split("\n"))


def _join_wrapped(lines: list[str]) -> str:
    joined = lines[0]
    for line in lines[1:]:
        if _COMPOUND_BREAK_RE.search(joined) and line[:1].isupper():
            joined += line
        else:
            joined += " " + line
    return joined


def split_blocks(*, text: str) -> list[str]:
    """Split ``text`` into stripped, non-empty block texts, in order."""
    groups = _line_groups(_normalise(text).split("\n"))
    wrap_width = _wrap_width(groups)
    if len(groups) <= 1 or wrap_width < _MIN_WRAP_WIDTH:
        # One paragraph per line: never join.
        return [line for group in groups for line in group]
    return [block for group in groups for block in _unwrap(group, wrap_width)]


def _line_groups(lines: list[str]) -> list[list[str]]:
    """Runs of non-empty lines, separated by blank lines."""
    groups: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _wrap_width(groups: list[list[str]]) -> int:
    """The longest line followed by another line without a blank line in between: if the text
    is hard-wrapped, these are the full lines and show the wrap width."""
    continued = [
        len(line) for group in groups for line in group[:-1] if len(line) <= _MAX_WRAP_WIDTH
    ]
    return max(continued, default=0)


def _unwrap(group: list[str], wrap_width: int) -> list[str]:
    """A group's paragraphs: a line well short of the wrap width ends a paragraph, as does an
    overlong one; a full line continues onto the next one."""
    blocks: list[str] = []
    pending: list[str] = []
    for line in group:
        pending.append(line)
        if not _FULL_LINE_SHARE * wrap_width <= len(line) <= _MAX_WRAP_WIDTH:
            blocks.append(_join_wrapped(pending))
            pending = []
    if pending:
        blocks.append(_join_wrapped(pending))
    return blocks


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

# Closing quotes/brackets are ignored when looking at how a line ends.
_TRAILING_CLOSERS: Final = " \"'“”„«»‹›’)]"
_SENTENCE_END_CHARS: Final = ".!?…:;,"


def _word_count(text: str) -> int:
    return len(text.split())


def _last_char(text: str) -> str:
    stripped = text.rstrip(_TRAILING_CLOSERS)
    return stripped[-1:] if stripped else ""


def _ends_like_sentence(text: str) -> bool:
    last = _last_char(text)
    return bool(last) and last in _SENTENCE_END_CHARS


def _ends_with_period(text: str) -> bool:
    return _last_char(text) in (".", "…")


# ---------------------------------------------------------------------------
# Rule 1: boilerplate
# ---------------------------------------------------------------------------

# Phrase lexicons only apply to lines up to this length: real CTAs are short,
# body sentences that mention a newsletter or an app are usually not.
_MAX_CTA_WORDS: Final = 25
# A line this short that merely mentions a newsletter is a promo label.
_MAX_NEWSLETTER_LABEL_WORDS: Final = 5

_SOCIAL = (
    r"share|teilen|facebook|twitter|x|whatsapp|linkedin|xing|pinterest|reddit|telegram|"
    r"threads|bluesky|mastodon|flipboard|messenger|instagram|e-?mail|mail|print|drucken|"
    r"tweet|copy link|link kopieren|link copied|save|speichern|merken"
)

# Share bars ("Share", "Share this:", "Twitter · Facebook · Email") are lines
# made only of these words; separators are folded to single spaces first so the
# pattern stays linear.
_SHARE_BAR_SEPARATORS_RE = re.compile(r"[\s:·|•/,]+")
_SHARE_ITEM = rf"(?:{_SOCIAL})(?: this(?: (?:page|article|story|post))?)?"
_SHARE_BAR_RE = re.compile(rf"^{_SHARE_ITEM}(?: {_SHARE_ITEM})*$", re.IGNORECASE)

# Chrome lines are short; longer lines are never matched as a whole.
_MAX_CHROME_WORDS: Final = 12
# Lines that are chrome in their entirety.
_CHROME_LINE_RE = re.compile(
    r"^(?:"
    r"(?:artikel|beitrag|seite|story)\s+teilen"
    # Comment chrome: "Comments", "Comments (412)", "3 Kommentare", "Kommentare anzeigen".
    r"|\d+\s+(?:comments?|kommentare?|replies|antworten|responses)"
    r"|(?:comments?|kommentare|leserkommentare|discussion|diskussion)(?:\s*\(\d+\))?"
    r"|(?:show|view|load|hide)\s+(?:all\s+)?comments|kommentare\s+(?:anzeigen|einblenden|lesen)"
    # Ad labels: "Advertisement", "Advertisement · Scroll to continue", "Anzeige".
    r"|(?:advertisement|anzeige|werbung|sponsored|gesponsert|promoted|ad)(?:\s*[·|:•–—-].*)?"
    # WordPress-style aggregator chrome ("Like this:", "Like Loading...").
    r"|like this|like loading.*|loading\.*"
    r"|newsletter"
    r")\s*:?$",
    re.IGNORECASE,
)


def _is_chrome_line(text: str) -> bool:
    if _word_count(text) > _MAX_CHROME_WORDS:
        return False
    if _SHARE_BAR_RE.match(_SHARE_BAR_SEPARATORS_RE.sub(" ", text).strip()):
        return True
    return bool(_CHROME_LINE_RE.match(text))


# Phrases that mark a short line as a call to action or chrome, anywhere in it.
_CTA_PHRASE_RES: Final = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # --- English
        r"\bclick here\b",
        r"\btap here\b",
        r"\b(?:download|get|install)\s+(?:the|our)\b.{0,40}\bapp\b",
        r"^sign[ -]up\b",
        r"\bsign up (?:here|now|today|for free)\b",
        r"\bsign up\b.{0,60}\b(?:newsletters?|alerts?|briefings?|emails?|updates)\b",
        r"\b(?:newsletters?|briefing)\b.{0,80}\bsign up\b",
        r"^subscribe\b",
        r"\bsubscribe (?:now|today|here|for free)\b",
        r"\bsubscribe to (?:our|the)\b.{0,40}\b(?:newsletters?|channel|podcast|alerts?)\b",
        r"\bour\b.{0,40}\bnewsletters?\b",
        r"\b(?:to|in) your inbox\b",
        r"\bfollow us\b",
        r"^share this\b",
        r"\bshare on (?:facebook|twitter|x|whatsapp|linkedin)\b",
        r"\bleave a (?:reply|comment)\b",
        r"\b(?:cancel|post a|add a) (?:reply|comment)\b",
        r"\bjoin the (?:conversation|discussion)\b",
        r"\byour email address will not be published\b",
        r"^source (?:site|link)\b",
        r"^(?:view|read) (?:the )?original (?:article|post)\b",
        r"\b(?:continue|keep) reading\b",
        r"\b(?:story|article) continues (?:below|after)\b",
        r"\bskip (?:advertisement|ad)\b",
        r"\bscroll to continue\b",
        r"^(?:learn|read|see|show|load) more$",
        r"\ball rights reserved\b",
        r"\b(?:privacy (?:policy|notice)|terms of (?:use|service)|cookie (?:policy|settings))\b",
        r"\bsupport (?:our|independent) journalism\b",
        # --- German
        r"\bklicken sie hier\b",
        r"\bhier klicken\b",
        r"\bapp\b.{0,40}\b(?:herunterladen|downloaden|installieren|laden)\b",
        r"\b(?:laden|holen) sie sich\b.{0,40}\bapp\b",
        # "Newsletter abonnieren", "Jetzt abonnieren!" -- but not "... nicht mehr abonnieren."
        r"\babonnieren\s*!?$",
        r"\babonnieren sie\b",
        r"\b(?:unseren?|zum|unserem)\s+[\w-]*newsletter\b",
        r"\bnewsletter\b.{0,40}\b(?:abonnieren|bestellen|anmelden)\s*!?$",
        r"\bfolgen sie uns\b",
        r"\bfolge uns\b",
        r"\bteilen sie (?:diesen|den) (?:artikel|beitrag)\b",
        r"\bkommentar (?:schreiben|verfassen|abgeben)\b",
        r"\bschreiben sie einen kommentar\b",
        r"\bmehr erfahren$",
        r"\bweiterlesen\b",
        r"\balle rechte vorbehalten\b",
        r"\b(?:datenschutzerklärung|datenschutzhinweise|nutzungsbedingungen|impressum)\b",
        r"\bunterstützen sie (?:unseren|unabhängigen) journalismus\b",
        # "Jetzt ..." prompts: "Jetzt abonnieren", "Jetzt 4 Wochen kostenlos testen".
        r"^jetzt\b.{0,60}\b(?:abonnieren|testen|lesen|anmelden|registrieren|herunterladen|"
        r"downloaden|sichern|bestellen|kaufen|entdecken|ansehen|anhören|spenden|unterstützen|"
        r"installieren|kostenlos|gratis)\b",
    )
)

# Cookie banners need "cookie" plus consent vocabulary: "The cookie maker said
# ..." is news, "We use cookies to improve ..." is chrome.
_COOKIE_RE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_CONSENT_RE = re.compile(
    r"\b(?:we use|wir (?:verwenden|nutzen|setzen)|accept|akzeptier\w*|consent|zustimm\w*|"
    r"einwillig\w*|settings|einstellungen|policy|richtlinie|datenschutz|privacy)\b",
    re.IGNORECASE,
)
_NEWSLETTER_WORD_RE = re.compile(r"newsletter", re.IGNORECASE)
# A call to action addresses the reader; a line that reports speech ("..., the
# minister said") is news even when it mentions apps, newsletters or sign-ups.
_REPORTED_SPEECH_RE = re.compile(
    r"\b(?:said|says|told|according to|reported|sagte|sagt|sagten|erklärte|teilte|warnte|"
    r"berichtete|hieß es|zufolge)\b",
    re.IGNORECASE,
)


def _is_boilerplate(text: str) -> bool:
    if not any(char.isalnum() for char in text):
        return True  # separators such as "___" or "* * *"
    if _is_chrome_line(text):
        return True
    words = _word_count(text)
    if words > _MAX_CTA_WORDS or _REPORTED_SPEECH_RE.search(text):
        return False
    if any(pattern.search(text) for pattern in _CTA_PHRASE_RES):
        return True
    if _COOKIE_RE.search(text) and _CONSENT_RE.search(text):
        return True
    return words <= _MAX_NEWSLETTER_LABEL_WORDS and bool(_NEWSLETTER_WORD_RE.search(text))


# ---------------------------------------------------------------------------
# Rule 2: related, by label
# ---------------------------------------------------------------------------

_RELATED_LABELS = (
    r"read more|read also|also read|more|related|related (?:stories|articles|coverage|content|"
    r"topics|links|reading)|see also|recommended(?: reading| for you)?|"
    r"more on this (?:story|topic)|more from [\w ]{1,30}|you (?:may|might) also like|"
    r"top stories|most (?:read|popular|viewed)|watch|video|listen|"
    r"mehr zum thema|mehr dazu|zum thema|lesen sie (?:auch|mehr|hier)|siehe auch|"
    r"auch interessant|das (?:könnte|dürfte) sie auch interessieren|"
    r"weitere (?:artikel|beiträge|nachrichten|themen)|empfehlungen|meistgelesen|"
    r"meistgelesene artikel|beliebte artikel|top-?themen"
)
# A label, then either nothing (a list heading) or a separator and a title.
_RELATED_LABEL_RE = re.compile(rf"^(?:{_RELATED_LABELS})\s*(?P<rest>[:|»›>–—-].*)?$", re.IGNORECASE)
# Teaser titles in a list are short and do not end with a period.
_MAX_TEASER_TITLE_WORDS: Final = 15


def _related_label(text: str) -> str | None:
    """Return "heading" for a bare label, "teaser" for a labelled teaser."""
    match = _RELATED_LABEL_RE.match(text)
    if not match:
        return None
    return "teaser" if (match.group("rest") or "").strip(" :|»›>–—-") else "heading"


def _is_teaser_title(text: str) -> bool:
    return _word_count(text) <= _MAX_TEASER_TITLE_WORDS and not _ends_with_period(text)


# ---------------------------------------------------------------------------
# Rule 3: caption, by photo credit
# ---------------------------------------------------------------------------

_AGENCIES = (
    r"getty images|getty|reuters|ap photo|ap|associated press|afp|dpa|dpa-infocom|epa|"
    r"epa-efe|efe|ansa|apa|picture[ -]alliance|imago(?: images)?|shutterstock|alamy|"
    r"bloomberg|nurphoto|anadolu(?: agency)?|xinhua|keystone|ddp(?: images)?|sipa(?: usa)?|"
    r"zuma(?: press)?|sopa images|redux|laif|ullstein ?bild|westend61|istock(?:photo)?|"
    r"wikimedia commons|kyodo|yonhap|tass|sputnik|ria novosti|pa images|pa wire|"
    r"the associated press|afp via getty images"
)
_AGENCY_RE = re.compile(rf"\b(?:{_AGENCIES})\b", re.IGNORECASE)
_PHOTO_WORDS = r"photo(?:graph)?s?|foto(?:s|grafie)?|bild(?:er)?|image|credit|courtesy|handout"
# "(SERGEI BOBYLYOV/POOL/AFP über Getty Images)", "(Photo by X/Agency)", "(AP Photo/X)".
_TRAILING_PAREN_RE = re.compile(r"[(\[]([^()\[\]]{2,160})[)\]]\s*$")
_PHOTO_WORD_RE = re.compile(rf"\b(?:{_PHOTO_WORDS})\b|©", re.IGNORECASE)
# "Foto: ...", "Photograph: ...", "Bild: dpa", "Image source, Getty Images".
_CREDIT_PREFIX_RE = re.compile(
    r"^(?:(?:photo(?:graph)?s?|fotos?|bild(?:er)?|bildquelle|image|images|credit|credits|"
    r"illustration|grafik|fotograf(?:ie)?|quelle|quellen|source|sources)\s*:"
    r"|image (?:source|caption|copyright)\s*[,:]|bildunterschrift\s*:|©)",
    re.IGNORECASE,
)
# A credit glued to the end of a caption: "... Rome. Photograph: Remo Casilli/Reuters".
_CREDIT_SUFFIX_RE = re.compile(
    r"(?:^|[\s.!?])(?:photo(?:graph)?s?|fotos?|bild|image|credit|illustration)\s*:\s*"
    r"(?P<credit>[^:]{2,100})$",
    re.IGNORECASE,
)
_COPYRIGHT_SUFFIX_RE = re.compile(r"©\s*(?P<credit>[^©]{2,100})$")
# The part of a line after its last sentence end, or after a "|" separator.
_TAIL_RE = re.compile(r"(?:^|[.!?…»“”\"]\s+|\s\|\s*)(?P<tail>[^.!?…|]*)$")
# A line that is only agency names: "dpa", "AFP/dpa", "Reuters, AP".
_AGENCIES_ONLY_RE = re.compile(
    rf"^(?:{_AGENCIES})(?:\s*(?:[/,&]|und|and)\s*(?:{_AGENCIES}))*$", re.IGNORECASE
)
_SOURCE_LINE_RE = re.compile(r"^(?:quellen?|sources?)\s*:", re.IGNORECASE)
# Credits are short; a long tail is prose that happens to mention an agency.
_MAX_CREDIT_WORDS: Final = 12


def _is_short_credit(credit: str) -> bool:
    return 0 < _word_count(credit) <= _MAX_CREDIT_WORDS


def _has_photo_credit(text: str) -> bool:
    if _CREDIT_PREFIX_RE.match(text) or _AGENCIES_ONLY_RE.match(text.strip(" .")):
        return True
    paren = _TRAILING_PAREN_RE.search(text)
    if paren and (_AGENCY_RE.search(paren.group(1)) or _PHOTO_WORD_RE.search(paren.group(1))):
        return True
    for suffix_re in (_CREDIT_SUFFIX_RE, _COPYRIGHT_SUFFIX_RE):
        suffix = suffix_re.search(text)
        if suffix and _is_short_credit(suffix.group("credit")):
            return True
    return _has_credit_tail(text)


def _has_credit_tail(text: str) -> bool:
    """A credit after the line's last sentence end or "|" separator."""
    tail = _TAIL_RE.search(text)
    if not tail:
        return False
    credit = tail.group("tail").strip()
    # "REUTERS/Amr Alfiky/File Photo", "Chip Somodevilla/Getty Images",
    # "| picture alliance/dpa": an agency joined by a slash, at the very end.
    if (
        _is_short_credit(credit)
        and "/" in credit
        and _AGENCY_RE.search(credit)
        and not _ends_like_sentence(credit)
    ):
        return True
    return bool(_AGENCIES_ONLY_RE.match(credit)) and credit != text


# Credit lines that stand alone *below* the photo caption they belong to
# (Spiegel style "Foto: Kay Nietfeld / dpa").  Not "Image source, ..." (BBC puts
# it above the caption), not "Quelle: dpa" or a bare "dpa/AFP" (those sign the
# whole article).
_CREDIT_BELOW_RE = re.compile(
    r"^(?:(?:photo(?:graph)?s?|fotos?|bild(?:er)?|credits?|fotograf(?:ie)?|illustration|"
    r"grafik)\s*:|©)",
    re.IGNORECASE,
)


def _is_bare_credit(text: str) -> bool:
    """A line that is only a photo credit ("Foto: Kay Nietfeld / dpa")."""
    return bool(_CREDIT_BELOW_RE.match(text)) and _is_short_credit(text)


# ---------------------------------------------------------------------------
# Rule 4: headline
# ---------------------------------------------------------------------------

_MAX_HEADLINE_WORDS: Final = 25
# A headline ending in a period is still accepted when it is this short and
# the next block is longer body text.
_MAX_PERIOD_HEADLINE_WORDS: Final = 15


def _is_headline(text: str, next_text: str | None) -> bool:
    words = _word_count(text)
    if words > _MAX_HEADLINE_WORDS:
        return False
    if not _ends_with_period(text):
        return True
    return (
        words <= _MAX_PERIOD_HEADLINE_WORDS
        and next_text is not None
        and _word_count(next_text) > 2 * words
    )


# ---------------------------------------------------------------------------
# Rule 5: related, by capitals
# ---------------------------------------------------------------------------

# Share of upper-case letters for a line to count as written in capitals.
_UPPERCASE_SHARE: Final = 0.9
_MIN_CAPS_TEASER_WORDS: Final = 3
_MIN_LEAD_CAPS_TEASER_WORDS: Final = 5
# A single all-caps lead word must be this long, so that acronyms such as
# "NATO", "USA" or "CDU" opening an ordinary sentence do not count.
_MIN_LEAD_WORD_LETTERS: Final = 5
# "WASHINGTON (AP) —", "LONDON, Jan 12 (Reuters) -", "Berlin (dpa) -", "BERLIN -".
_DATELINE_RE = re.compile(
    r"^[^\W\d_][^()\n]{0,60}\([^()]{1,30}\)\s*[-–—]\s|^[A-ZÄÖÜ][A-ZÄÖÜ .,'-]{2,40}\s[-–—]\s"
)


def _letters(text: str) -> list[str]:
    # "ß" has no upper-case form in common use, so it is neutral.
    return [char for char in text if char.isalpha() and char != "ß"]


def _is_caps_word(token: str) -> bool:
    letters = _letters(token)
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def _is_caps_teaser(text: str) -> bool:
    if _DATELINE_RE.match(text):
        return False
    letters = _letters(text)
    words = text.split()
    if not letters:
        return False
    upper_share = sum(char.isupper() for char in letters) / len(letters)
    if upper_share >= _UPPERCASE_SHARE and len(words) >= _MIN_CAPS_TEASER_WORDS:
        return True
    if len(words) < _MIN_LEAD_CAPS_TEASER_WORDS or _ends_like_sentence(text):
        return False
    lead: list[str] = []
    for word in words:
        if not _is_caps_word(word):
            break
        lead.append(word)
    if len(lead) >= 2:
        return True
    return len(lead) == 1 and len(_letters(lead[0])) >= _MIN_LEAD_WORD_LETTERS


# ---------------------------------------------------------------------------
# Rule 6: caption, by position
# ---------------------------------------------------------------------------

# Image titles ("Putin begrüßt den iranischen Präsidenten im Kreml") are short;
# a longer line before a photo is a standfirst or subheading and stays text.
_MAX_CAPTION_TITLE_WORDS: Final = 10
# Caption text on its own line above a bare credit line may be a sentence.
_MAX_CAPTION_TEXT_WORDS: Final = 25


# A sentence that reports (a verb of saying, "according to", "laut", "zufolge") is article
# text that people tag, not a photo's description, even right above a credit line.
_REPORTING_RE = re.compile(
    r"\b(?:said|says|say|told|tells|reported|reports|announced|stated|added|according\s+to|"
    r"confirmed|claimed|insisted|warned|wrote|sagte|sagten|sagt|erklärte|erklärt|teilte|"
    r"teilt|berichtete|berichtet|betonte|kündigte|hieß\s+es|zufolge|laut|so\s+(?:der|die)\b)",
    re.IGNORECASE,
)


def _reads_like_caption(text: str) -> bool:
    """Caption text: short, and not a reported sentence (no verb of saying, no attribution)."""
    return _word_count(text) <= _MAX_CAPTION_TEXT_WORDS and not _REPORTING_RE.search(text)


def _is_caption_lead_in(text: str, next_text: str) -> bool:
    if _is_bare_credit(next_text):
        return _reads_like_caption(text)
    return _word_count(text) <= _MAX_CAPTION_TITLE_WORDS and not _ends_like_sentence(text)


# ---------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------


def _clean(block: str) -> str:
    return _SPACE_RUN_RE.sub(" ", _ODD_SPACE_RE.sub(" ", _INVISIBLE_RE.sub("", block))).strip()


def classify_blocks(*, blocks: Sequence[str], language: str | None = None) -> list[str]:
    """Return one kind from :data:`BLOCK_KINDS` per block, in order.

    ``language`` ("de", "en", ...) is accepted for symmetry with
    :func:`segment_text`; the English and German lexicons are always applied
    together because scraped pages mix them (the German seed article ends with
    an English "Leave a Reply").
    """
    texts = [_clean(block) for block in blocks]
    kinds = _local_kinds(texts)
    _mark_headline(texts, kinds)
    _mark_caps_teasers(texts, kinds)
    _mark_caption_lead_ins(texts, kinds)
    # Rule 7: the rest is body text.
    return [kind or PARAGRAPH for kind in kinds]


def _local_kinds(texts: list[str]) -> list[str | None]:
    """Rules 1-3: local evidence in the line itself (and the teaser list it may be in)."""
    kinds: list[str | None] = []
    in_teaser_list = False
    for text in texts:
        kind, in_teaser_list = _local_kind(text, in_teaser_list)
        kinds.append(kind)
    return kinds


def _local_kind(text: str, in_teaser_list: bool) -> tuple[str | None, bool]:
    """The kind of one line by rules 1-3, and whether a teaser list goes on after it."""
    if not text or _is_boilerplate(text):
        return BOILERPLATE, False  # an empty block has nothing to read
    label = _related_label(text)
    if label is not None:
        return RELATED, label == "heading"
    if in_teaser_list and _is_teaser_title(text):
        return RELATED, True
    if _has_photo_credit(text):
        return CAPTION, False
    return None, False


def _mark_headline(texts: list[str], kinds: list[str | None]) -> None:
    """Rule 4: the first unclaimed block is the headline if it looks like one."""
    first = next((index for index, kind in enumerate(kinds) if kind is None), None)
    if first is None:
        return
    next_text = texts[first + 1] if first + 1 < len(texts) else None
    if _is_headline(texts[first], next_text):
        kinds[first] = HEADLINE


def _mark_caps_teasers(texts: list[str], kinds: list[str | None]) -> None:
    """Rule 5: all-caps teasers."""
    for index, text in enumerate(texts):
        if kinds[index] is None and _is_caps_teaser(text):
            kinds[index] = RELATED


def _mark_caption_lead_ins(texts: list[str], kinds: list[str | None]) -> None:
    """Rule 6: titles and caption texts that lead into a credited photo."""
    for index in range(len(texts) - 1):
        if (
            kinds[index] is None
            and kinds[index + 1] == CAPTION
            and _leads_into_photo(texts, kinds, index)
        ):
            kinds[index] = CAPTION


def _leads_into_photo(texts: list[str], kinds: list[str | None], index: int) -> bool:
    following = texts[index + 1]
    if _SOURCE_LINE_RE.match(following):
        return False  # "Quelle: dpa" credits the whole article, not a photo
    if _is_bare_credit(following) and index + 2 < len(texts) and kinds[index + 2] == CAPTION:
        # BBC style "Image source, EPA" / "Image caption, ...": a bare
        # credit followed by caption text belongs to what follows it.
        return False
    return _is_caption_lead_in(texts[index], following)


def segment_text(*, text: str, language: str | None = None) -> list[Segment]:
    """Split ``text`` into blocks and classify them."""
    blocks = split_blocks(text=text)
    kinds = classify_blocks(blocks=blocks, language=language)
    return [Segment(kind=kind, text=block) for kind, block in zip(kinds, blocks, strict=True)]
