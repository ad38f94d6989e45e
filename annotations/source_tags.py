"""Parsing source tags such as "WSJ citing US officials" into outlet, cited source and
whether the cited source is anonymous.

A label is matched against *shapes* (``_SHAPE_SOURCES``, tried in order, English and German), each a
pattern with an ``outlet`` part, a ``cited`` part, or an ``either`` part that the outlet
gazetteer (``annotations/data/outlets.txt``) assigns: a news medium goes to ``outlet``
("laut dpa", "according to Reuters", "per Axios"), anything else to ``cited`` ("laut
Regierungskreisen"). Shapes:

* prefixed frames: "wie X unter Berufung auf Y berichtet", "according to a report by X",
  "nach Informationen des X", "einem Bericht der X zufolge", "Quelle: X", "laut X",
  "according to X", "per X", "nach Angaben von X";
* source before outlet: "Y told X", "Y sagte der X", "Y gegenüber X", "Y, zitiert nach X",
  "Y as cited by X", "Y zitiert von X" (passive), "Y via X", "X zufolge";
* relative clauses: "X, which cited Y", "X, das sich auf Y beruft";
* outlet before source: "X citing Y", "X quoting Y", "X unter Berufung auf Y", "X laut Y",
  "X, per Y", "X berichtet unter Berufung auf Y" (the reporting verb is dropped);
* what a source released: "nach Angaben der Polizei", "laut einer Mitteilung der X",
  "according to data from X" (the source is X unless X is a medium), "nach dpa-Informationen";
* documents and posts: "court documents seen by Reuters", "Dokumente, die dem Spiegel
  vorliegen", "Selenskyj auf Telegram", "Elon Musk posted on X" (the platform is the outlet),
  "Scholz in den Tagesthemen", "Peskov told reporters" (no outlet);
* a frame before a relay: "laut Tagesspiegel unter Berufung auf Y", "as reported by X, citing Y";
* the German verb first: "sagte ein Sprecher der Polizei der dpa", "so der Spiegel".

The first connector wins: a source or outlet that itself relays ("Politico, citing a draft seen
by the outlet") does not make a later shape. Lists of media ("dpa/AFP", "NDR, WDR und SZ"), a
medium's publication ("a Reuters report", "ein Spiegel-Bericht") and its kind ("state news
agency TASS") name the medium. Before matching, kickers ("Exclusive:"), hedges ("reportedly"),
abbreviations ("lt.", "acc. to"), a colon after a frame ("laut: AFP"), a bracketed connector
("FAZ (unter Berufung auf Insider)"), a trailing date and a link's path are normalised.
Connector words with one typo ("citng", "acording to", "Berfung") are read as the connector.
A label that matches no shape is one source: an outlet when it names a medium, else cited.

``outlet`` and ``cited`` are the label's own words, trimmed of connectors, articles and
punctuation; nothing is expanded, translated or lemmatised ("laut Regierungsvertretern" ->
cited "Regierungsvertretern"). An outlet keeps its article where the gazetteer lists the name
with it ("Der Spiegel", "The Guardian").

``anonymous`` is judged on the cited part (see ``is_anonymous_source``): the source is not named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext

from .outlets import is_news_outlet, outlet_names, strip_article

__all__ = [
    "MAX_TAG_LENGTH",
    "ParsedSourceTag",
    "SourceTagError",
    "has_personal_name",
    "is_anonymous_source",
    "normalise_label",
    "parse_source_tag",
]

MAX_TAG_LENGTH = 200


class SourceTagError(ValueError):
    """An invalid source tag label; ``str(error)`` is a user-facing English sentence."""


@dataclass(frozen=True)
class ParsedSourceTag:
    """A source tag split into who reported (outlet) and whom they cite."""

    outlet: str
    cited: str
    anonymous: bool


_ANY = r"(?P<{}>.+?)"
_OUT, _CIT, _EITHER = _ANY.format("outlet"), _ANY.format("cited"), _ANY.format("either")
# An outlet or cited source that must not itself relay: in "Politico, citing a draft seen by
# the outlet" the first connector ("citing") wins, so "seen by" does not make a shape.
_REP, _SRC = _ANY.format("reporter"), _ANY.format("source")
_ART = r"(?:(?:der|die|das|dem|den|des|the)\s+)?"
_REPORT_DE = (
    r"(?:berichtet|berichtete|berichten|berichteten|meldet|meldete|meldeten|schreibt|schrieb|"
    r"schreiben|schrieben|erfahren\s+haben\s+will|erfuhr|mitteilte|sagte|erklärte)"
)
_REPORT_EN = r"(?:reported|reports|reporting|said|says|say|wrote|writes|stated|announced)"
_SAY_DE = (
    r"(?:sagte|sagten|sagt|sagen|erklärte|erklärten|bestätigte|bestätigten|teilte|teilten|"
    r"berichtete|berichteten|schilderte|schilderten|verriet|verrieten)"
)
_BERUFUNG = (
    r"(?:(?:unter|mit)\s+(?:Berufung|Verweis|Bezug)\s+auf|"
    r"(?:beruft|berief|berufen|beriefen)\s+sich\s+auf)"
)
_ZUFOLGE_FRAME = (
    r"(?:einem|einer|eines|dem|der|des|laut\s+einem|laut\s+einer|laut\s+eines)?\s*"
    r"(?:Bericht|Berichten|Berichts|Berichtes|Meldung|Meldungen|Recherche|Recherchen|Informationen)"
)

# "said in a statement", "reported Tuesday", "erklärte am Montag": when and how, not who.
_WHEN_OR_HOW = (
    r"(?:\s+(?:in\s+a\s+(?:statement|post|briefing|press\s+release|news\s+conference)|"
    r"in\s+einer\s+(?:Erklärung|Mitteilung|Pressemitteilung)|on\s+\w+|am\s+\w+|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|yesterday|today|gestern|heute))?"
)
# A message to a medium: "in a statement to CNN", "in einer Mitteilung an die dpa"
_MESSAGE_TO = (
    r"(?:(?:said|told|wrote|sagte|erklärte|schrieb)\s+)?in\s+(?:a|an|einer|einem)\s+"
    r"(?:statement|email|e-mail|comment|comments|message|letter|interview|Erklärung|"
    r"Mitteilung|Stellungnahme|E-Mail|Nachricht|Interview)\s+(?:to|with|an|gegenüber|mit)|"
    r"in\s+comments\s+to"
)
# "mit Material von dpa", "im Interview mit dem ZDF", "zitiert nach dpa": a frame naming who
# published, with no one before it.
_PUBLISHED_BY = (
    r"(?:zitiert\s+(?:nach|von|vom|bei)|mit\s+Material\s+(?:von|vom|der|des)|"
    r"in\s+an\s+interview\s+with|im\s+(?:Gespräch|Interview)\s+mit|"
    r"in\s+einem\s+(?:Gespräch|Interview)\s+mit|told|speaking\s+to|gegenüber|"
    r"(?:auf|nach)\s+(?:eine\s+)?(?:Anfrage|Nachfrage)\s+(?:von|vom|der|des|bei)|"
    rf"{_MESSAGE_TO})"
)
# Nouns for what a source released ("nach Angaben der Polizei", "laut einer Mitteilung der
# Staatsanwaltschaft", "according to data from the Census Bureau"): the frame is dropped and
# the one who released it is the source, unless that is a medium.
_RELEASE_DE = (
    r"(?:Angaben|Zahlen|Daten|Mitteilung|Mitteilungen|Erklärung|Aussage|Aussagen|Bericht|"
    r"Berichten|Berichte|Berichts|Berichtes|Umfrage|Analyse|Auswertung|Prognose|Meldung|Meldungen|Schätzungen|Statistik|Statistiken|Studie|"
    r"Untersuchung|Unterlagen|Dokumenten|Informationen)"
)
_RELEASE_EN = (
    r"(?:data|figures|numbers|statistics|estimates|statement|report|study|analysis|survey|poll|"
    r"filing|filings|documents|records)"
)
_RELEASED_BY_DE = r"(?:des|der|von|vom|aus|eines|einer)"
# Social media a source posts on: the platform is where it was published (like "via Telegram").
_PLATFORM = (
    r"(?P<outlet>Telegram|X|Twitter|Facebook|Instagram|TikTok|YouTube|Truth\s+Social|Bluesky|"
    r"Threads|Mastodon|LinkedIn|VK|VKontakte|Weibo|WhatsApp|Substack|Rumble)"
    r"(?:\s+(?:platform|account|channel|page|feed)|-(?:Kanal|Account|Profil|Seite))?"
)
_POSTED = (
    r"(?:(?:posted|wrote|said|posts|writes|announced|posting|writing|schrieb|schreibt|postete|"
    r"erklärte|sagte|teilte\s+mit)\s+)?"
    # "in a post on X", "in einem Video auf Telegram"
    r"(?:in\s+(?:a|an|einem|einer|seinem|seiner|ihrem|ihrer)\s+(?:[\w-]+\s+)?"
    r"(?:post|video|statement|message|tweet|thread|Post|Beitrag|Video|Videobotschaft|"
    r"Erklärung|Tweet|Nachricht|Botschaft)\s+)?"
)
_OWN_CHANNEL = (
    r"(?:(?:his|her|its|their|seinem|seiner|ihrem|ihrer|dem|der|the|einem|a)\s+)?"
    r"(?:(?:official\s+|offiziellen\s+)?(?:Kanal|Account|Profil|channel|account|page|feed)\s+"
    r"(?:on|auf|bei)\s+)?"
)
# People a source spoke to that are no medium: "told reporters", "vor Journalisten".
_AUDIENCE = (
    r"(?:(?:the|den|der|dem|a|an)\s+)?(?:reporters|journalists|press|media|lawmakers|"
    r"senators|parliament|Congress|Bundestag|Parlament|court|supporters|Journalisten|"
    r"Journalistinnen|Reportern|Presse|Medien|Medienvertretern|Abgeordneten|Gericht)"
    # where they were told: "told reporters at the White House"
    r"(?:\s+(?:at|in|on|during|after|aboard|outside|im|in|bei|am|nach)\s+.+)?"
)
# A German verb before the speaker: "sagte ein Sprecher der Polizei der dpa"
_SAY_DE_FIRST = r"(?:sagte|sagten|erklärte|erklärten|bestätigte|bestätigten|schrieb|so)"
# When, between speaker and verb: "wie Regierungssprecher Hebestreit am Montag mitteilte"
_WHEN_DE = r"(?:\s+(?:am\s+\w+|gestern|heute|zuvor|bereits|auch))?"
# "speaking on condition of anonymity to", "speaking anonymously with"
_SPOKE_TO = r"(?:told|tells|tell|telling|said\s+to|speaking(?:\s+[\w-]+){0,5}?\s+(?:to|with))"

# (pattern, roles): groups name the outlet, the cited source, or "either" (sorted by the
# gazetteer); "medium" is an outlet and "nonmedium" a cited source that the gazetteer must
# confirm, else the shape does not apply.
_SHAPE_SOURCES: tuple[str, ...] = (
    # prefixed frames around a relayed report
    rf"(?:wie|as)\s+{_ART}{_OUT}\s+{_BERUFUNG}\s+{_CIT}(?:\s+{_REPORT_DE})?",
    rf"(?:wie|as)\s+{_ART}{_OUT}\s+{_REPORT_DE}\s*,?\s*{_BERUFUNG}\s+{_CIT}",
    # the longest medium first: "wie Scholz der Bild am Sonntag sagte" is not "am Sonntag"
    rf"(?:wie|as)\s+{_CIT}\s+(?:der|dem|den|gegenüber\s+(?:der|dem|den))\s+(?P<medium>.+)\s+(?:{_REPORT_DE}|{_SAY_DE})",
    rf"(?:wie|as)\s+{_CIT}\s+(?:der|dem|den|gegenüber\s+(?:der|dem|den))\s+(?P<medium>.+?){_WHEN_DE}\s+(?:{_REPORT_DE}|{_SAY_DE})",
    rf"(?:wie|as)\s+{_CIT}{_WHEN_DE}\s+(?:on|auf|bei)\s+{_OWN_CHANNEL}{_PLATFORM}{_WHEN_DE}\s+(?:{_REPORT_DE}|{_REPORT_EN}|{_SAY_DE})",
    rf"(?:wie|as)\s+{_EITHER}{_WHEN_DE}\s+(?:{_REPORT_DE}|{_REPORT_EN})",
    # the verb first: "sagte ein Sprecher der Polizei der dpa", "sagte Kremlsprecher Peskow"
    rf"{_SAY_DE_FIRST}\s+(?P<cited>.+)\s+(?:der|dem|den)\s+(?P<medium>[^\s]+(?:\s[^\s]+)?)",
    rf"{_SAY_DE_FIRST}\s+{_EITHER}",
    rf"(?:laut|nach|gemäß)\s+(?:(?:einem|einer|den|dem|der|eines|des)\s+)?{_RELEASE_DE}\s+{_RELEASED_BY_DE}\s+(?P<nonmedium>.+?)(?:\s+zufolge)?",
    rf"(?:(?:einem|einer|den|dem|der)\s+)?{_RELEASE_DE}\s+{_RELEASED_BY_DE}\s+(?P<nonmedium>.+?)\s+zufolge",
    # the same frames around a medium: "laut Angaben des Spiegel", "Angaben der FAZ zufolge"
    rf"(?:laut|nach|gemäß)\s+(?:(?:einem|einer|den|dem|der|eines|des)\s+)?{_RELEASE_DE}\s+{_RELEASED_BY_DE}\s+(?P<medium>.+?)(?:\s+zufolge)?",
    rf"(?:(?:einem|einer|den|dem|der)\s+)?{_RELEASE_DE}\s+{_RELEASED_BY_DE}\s+(?P<medium>.+?)\s+zufolge",
    # compounds: "nach dpa-Informationen", "laut einer ZDF-Umfrage" (the medium's own findings);
    # "nach UN-Angaben", "laut einer Forsa-Umfrage" (the one who released them)
    r"(?:laut|nach|gemäß)\s+(?:(?:einer|einem|den)\s+)?(?P<medium>[^\s-]+(?:\s[^\s-]+)?)-(?:Informationen|Recherchen|Angaben|Bericht|Berichten|Zahlen|Daten|Umfrage|Studie|Analyse)(?:\s+zufolge)?",
    r"(?:laut|nach|gemäß)\s+(?:(?:einer|einem|den)\s+)?(?P<nonmedium>[^\s-]+(?:\s[^\s-]+)?)-(?:Angaben|Zahlen|Daten|Umfrage|Studie|Analyse)(?:\s+zufolge)?",
    r"(?P<nonmedium>[^\s-]+)-(?:Angaben|Zahlen|Daten)\s+zufolge",
    rf"according\s+to\s+(?:(?:a|an|the)\s+)?(?:new\s+|latest\s+|official\s+)?{_RELEASE_EN}\s+(?:from|by|of|released\s+by|published\s+by|issued\s+by)\s+(?P<nonmedium>.+?)",
    rf"according\s+to\s+(?:a|an|the)\s+(?:new\s+)?(?:report|story|article|investigation|analysis)\s+(?:by|in|from|of)\s+{_OUT}(?:\s*,?\s+(?:citing|quoting|which\s+cited)\s+{_CIT})?",
    rf"(?:laut\s+|nach\s+)?{_ZUFOLGE_FRAME}\s+(?:des|der|von|vom|im|in)\s+{_OUT}(?:\s+zufolge)?(?:\s*,?\s*{_BERUFUNG}\s+{_CIT})?",
    rf"(?:Quelle|Quellen|Source|Sources)\s*(?::|[-–—]\s)\s*{_EITHER}",
    rf"(?:as\s+)?(?:first\s+|originally\s+|earlier\s+|previously\s+|zuerst\s+|exklusiv\s+)?(?:reported|revealed|disclosed|confirmed|berichtet|gemeldet|enthüllt|bestätigt)(?:\s+first|\s+zuerst)?\s+(?:by|in|von|vom|bei|im)\s+{_ART}{_EITHER}",
    # "Politico was first to report", "Bloomberg, which first reported"
    rf"{_EITHER}\s*,?\s+(?:(?:which|that|who)\s+)?(?:was\s+(?:the\s+)?)?first\s+(?:to\s+report|reported)(?:\s+(?:it|this|the\s+story|the\s+news))?",
    rf"{_PUBLISHED_BY}\s+{_ART}{_EITHER}",
    # source before outlet
    rf"{_SRC}\s*,?\s+(?:{_SPOKE_TO}|{_SAY_DE}|sagte\s+vor|vor|gegenüber)\s+{_AUDIENCE}{_WHEN_OR_HOW}",
    rf"{_SRC}\s*,?\s+(?:{_SPOKE_TO}|in\s+an\s+interview\s+with|{_MESSAGE_TO})\s+{_OUT}",
    rf"{_SRC}\s*,?\s+{_SAY_DE}{_WHEN_DE}\s+(?:der|dem|den)\s+{_OUT}(?:\s+mit)?",
    # answers to a request: "ein Sprecher auf Anfrage von Correctiv", "Polizei auf Anfrage"
    rf"{_SRC}\s*,?\s+(?:auf|nach)\s+(?:eine\s+)?(?:Anfrage|Nachfrage)\s+(?:von|vom|der|des|bei)\s+{_ART}{_OUT}",
    rf"{_SRC}\s*,?\s+(?:auf|nach)\s+(?:eine\s+)?(?:Anfrage|Nachfrage)",
    rf"{_SRC}\s*,?\s+(?:in\s+response\s+to\s+(?:a\s+)?(?:request|questions|an\s+inquiry)\s+from|(?:when\s+)?asked\s+by|responding\s+to)\s+{_ART}{_OUT}",
    rf"{_SRC}\s*,?\s+(?:gegenüber|im\s+Gespräch\s+mit|im\s+Interview\s+mit|in\s+einem\s+Interview\s+mit)\s+{_OUT}",
    rf"{_SRC}\s*,?\s+(?:zitiert|zitierte|zitierten|wird\s+zitiert|wurde\s+zitiert|eingesehen)\s+(?:nach|von|vom|bei|in|im)\s+{_OUT}",
    # documents: "court documents seen by Reuters", "emails obtained by the Washington Post"
    rf"{_SRC}\s*,?\s+(?:as\s+)?(?:cited|quoted|reported|relayed|seen|obtained|reviewed|viewed|verified|published|leaked)\s+(?:by|in|to)\s+{_OUT}",
    rf"{_SRC}\s*,\s*(?:die|das|der)\s+{_ART}(?P<medium>.+?)\s+(?:vorliegen|vorliegt|vorlagen|vorlag|vorliegen\s+sollen)",
    rf"{_SRC}\s+(?:liegen|liegt|lagen|lag)\s+{_ART}(?P<medium>.+?)\s+vor",
    rf"{_ART}(?P<medium>.+?)\s*,?\s+(?:dem|der|denen)\s+{_CIT}\s+(?:vorliegen|vorliegt|vorlagen|vorlag)",
    rf"{_ART}(?P<medium>.+?)\s+(?:liegen|liegt|lagen|lag)\s+{_CIT}\s+vor",
    # "Selenskyj auf Telegram", "Elon Musk posted on X"
    rf"{_SRC}\s*,?\s+{_POSTED}(?:on|auf|bei|in)\s+{_OWN_CHANNEL}{_PLATFORM}",
    # "Kremlin via TASS" (relayed by TASS); "WSJ via Pentagon" (a medium via its source)
    r"(?P<via_first>.+?)\s*,?\s+(?:via|über)\s+(?P<via_second>.+?)",
    rf"{_EITHER}\s+(?:zufolge|gemäß)",
    # relative clauses
    rf"{_REP}\s*,\s*(?:which|that|who)\s+(?:cited|cites|quoted|quotes|relied\s+on|spoke\s+(?:to|with)|talked\s+to|interviewed|(?:has\s+|had\s+)?(?:seen|obtained|reviewed)|saw)\s+{_CIT}",
    rf"{_REP}\s*,\s*(?:das|der|die|welche|welcher|welches)\s+sich\s+(?:dabei\s+)?(?:auf|bei)\s+{_CIT}\s+(?:beruft|berief|berufen|beriefen|bezieht|bezog)",
    rf"{_REP}\s*,\s*(?:das|der|die|welche|welcher|welches)\s+{_CIT}\s+(?:zitiert|zitierte|zitieren)",
    # a frame alone: the part after it names an outlet or a cited source
    rf"(?:laut|according\s+to|per|nach\s+Angaben(?:\s+vo[nm])?|gemäß)\s+{_EITHER}",
    # "heißt es in Regierungskreisen", "aus Sicherheitskreisen verlautete"
    rf"(?:(?:es\s+)?(?:heißt|hieß)(?:\s+es)?\s+)?(?:aus|in)\s+{_ART}{_EITHER}(?:\s+(?:verlautete|verlautet|hieß\s+es|heißt\s+es))?",
    # outlet before source, with a connector
    rf"{_OUT}\s*(?:,\s*|\s+)(?:{_REPORT_DE}|{_REPORT_EN})?\s*,?\s*{_BERUFUNG}\s+{_CIT}",
    rf"{_OUT}\s*(?:,\s*|\s+)(?:{_REPORT_EN}{_WHEN_OR_HOW}\s*,?\s*)?(?:citing|cites|cited|quoting|quotes|quoted)\s+{_CIT}",
    rf"{_OUT}\s*(?:,\s*|\s+)(?:{_REPORT_DE}\s*,?\s*)?(?:zitiert|zitierte|zitierten|zitieren)\s+{_CIT}",
    rf"{_OUT}\s*(?:,\s*|\s+)(?:{_REPORT_DE}\s*,?\s*|{_REPORT_EN}\s*,?\s*)?(?:according\s+to|laut|nach\s+Angaben(?:\s+vo[nm])?)\s+{_CIT}",
    # "Axios: two officials"; a medium before a colon reports what follows
    rf"(?P<medium>[^:]+?)\s*:\s*{_CIT}",
    # "Axios, per two sources" and "people briefed on the talks, per Axios"
    r"(?P<per_first>.+?)\s*,\s*per\s+(?P<per_second>.+?)",
    # a source appearing in a medium: "Scholz in den Tagesthemen", "Peskov on CNN"
    rf"{_SRC}\s*,?\s+(?:in|im|bei|beim|on|zur|zum)\s+{_ART}(?P<medium>.+?)",
)


@lru_cache(maxsize=1)
def _shapes() -> tuple[re.Pattern[str], ...]:
    """Compiled on first use: the suggest command imports this module but parses no tags."""
    return tuple(re.compile(source, re.IGNORECASE) for source in _SHAPE_SOURCES)


# Connector words that a typo should not hide ("citng", "acording", "Berfung").
_CONNECTOR_WORDS = (
    "citing", "quoting", "according", "berufung", "zitiert", "zufolge", "angaben", "verweis",
    "informationen",
)  # fmt: skip
_REPORTING_TAIL = re.compile(
    rf"(?:\s*,)?\s+(?:{_REPORT_DE}|{_REPORT_EN}){_WHEN_OR_HOW}\Z", re.IGNORECASE
)
_LEADING_FRAME = re.compile(
    r"\A(?:laut|according\s+to|per|nach\s+Angaben(?:\s+vo[nm])?|via|citing|zitiert|quoting|"
    r"(?:unter|mit)\s+(?:Berufung|Verweis|Bezug)\s+auf)\s+",
    re.IGNORECASE,
)
_TRAILING_CONNECTOR = re.compile(
    r"\s*,?\s+(?:citing|cites|quoting|quotes|zitiert|zitierte|laut|according\s+to|via|"
    r"unter\s+Berufung\s+auf|mit\s+Berufung\s+auf|zufolge)\Z",
    re.IGNORECASE,
)
_TRIM = " ,:;.!?\u2013\u2014-\"'“”„‚‘’«»()[]"
_LOWER_ARTICLES = frozenset(
    {"the", "a", "an", "der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "eines",
     "einem", "einen"}
)  # fmt: skip


def normalise_label(*, label: str) -> str:
    """Strip and collapse whitespace; reject empty, too long and ';'-containing labels."""
    normalised = " ".join(label.split())
    if not normalised:
        raise SourceTagError(gettext("A source tag cannot be empty."))
    if len(normalised) > MAX_TAG_LENGTH:
        raise SourceTagError(
            gettext("A source tag can be at most %(limit)s characters long.")
            % {"limit": MAX_TAG_LENGTH}
        )
    # The CSV export joins a claim's labels with "; ", so a ';' would split one label.
    if ";" in normalised:
        raise SourceTagError(gettext("A source tag cannot contain a semicolon (;)."))
    return normalised


def parse_source_tag(*, label: str, known_outlets: Iterable[str] = ()) -> ParsedSourceTag:
    """Split a label into outlet and cited source; see the module docstring.

    ``known_outlets`` adds names to treat as media (e.g. the outlets of a workspace's articles).
    """
    normalised = normalise_label(label=label)
    text = _normalise_frames(_fix_connector_typos(normalised))
    outlets = tuple(known_outlets)
    return (
        _relayed_after_frame(text, known_outlets=outlets)
        or _match_shapes(text, known_outlets=outlets)
        or _single_source(text, known_outlets=outlets)
    )


def _match_shapes(text: str, *, known_outlets: tuple[str, ...]) -> ParsedSourceTag | None:
    for shape in _shapes():
        match = shape.fullmatch(text)
        if match is None:
            continue
        parsed = _from_match(match.groupdict(), known_outlets=known_outlets)
        if parsed is not None:
            return parsed
    return None


# A frame before a medium that itself cites someone: "laut Tagesspiegel unter Berufung auf
# Koalitionskreise", "as reported by the Guardian, citing government sources".
_MEDIUM_FRAME = re.compile(
    r"\A(?:laut|according\s+to|per|(?:as\s+)?(?:first\s+)?reported\s+by|"
    r"zuerst\s+berichtet\s+vo[nm])\s+",
    re.IGNORECASE,
)


def _relayed_after_frame(text: str, *, known_outlets: tuple[str, ...]) -> ParsedSourceTag | None:
    frame = _MEDIUM_FRAME.match(text)
    if frame is None:
        return None
    inner = _match_shapes(text[frame.end() :], known_outlets=known_outlets)
    if inner is None or not inner.outlet or not inner.cited:
        return None
    return inner if _is_medium(inner.outlet, known_outlets=known_outlets) else None


# Label openers that say how the claim was flagged, not who said it.
_KICKER = re.compile(
    r"\A(?:exclusive|exklusiv|breaking|eilmeldung|update|scoop)\s*(?::|[-–—|])\s*|"
    r"\s*[-–—(]?\s*\b(?:exclusive|exklusiv)\)?\Z",
    re.IGNORECASE,
)
# Hedges: "officials reportedly told Axios" is "officials told Axios".
_HEDGE = re.compile(r"\b(?:reportedly|allegedly|angeblich)\b\s*,?\s*", re.IGNORECASE)
# "lt. dpa" (but not "Lt. Gen. ..."), "acc. to Reuters", "acc to the AP"
_LT = re.compile(r"\Alt(?:\.|\s)(?!\s*(?:Gen|Col|Cmdr|Cdr|Cpt|Capt)\b)\s*", re.IGNORECASE)
_ACC = re.compile(r"\bacc\.?\s*to\b", re.IGNORECASE)
# "laut: AFP", "According to: Bloomberg": the colon only sets off the name
_FRAME_COLON = re.compile(r"\A(laut|according\s+to|per|via|gemäß)\s*:\s*", re.IGNORECASE)
# "FAZ (unter Berufung auf Insider)", "Axios (citing two US officials)"
_BRACKETED_CONNECTOR = re.compile(
    r"\s*\(\s*((?:citing|cites|quoting|quotes|unter|mit|laut|according|per|via|zitiert|"
    r"nach)\b[^()]*)\)\Z",
    re.IGNORECASE,
)


# "X (formerly Twitter)": a reminder of the old name, not a second source
# and "(unverified)", "(paywall)": notes on the link, not sources
_FORMERLY = re.compile(
    r"\s*\((?:(?:formerly|ehemals|früher|vormals)\s+[^()]*|unverified|unbestätigt|paywall|"
    r"Bezahlschranke|archived|archiviert|updated|aktualisiert)\)",
    re.IGNORECASE,
)
# "as per Reuters" is "per Reuters"; "h/t Axios" credits Axios like "via Axios"
_AS_PER = re.compile(r"\Aas\s+per\b", re.IGNORECASE)
_HAT_TIP = re.compile(r"\A(?:h/t|hat\s+tip(?:\s+to)?)\s+", re.IGNORECASE)


# A date after the source: "Reuters, Oct. 12", "Spiegel, 12.03.2024", "dpa (12.3.)"
_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Januar|Februar|März|Mai|Juni|"
    r"Juli|Oktober|Dezember|January|February|March|April|June|July|August|September|October|"
    r"November|December)\.?"
)
_DATE_TAIL = re.compile(
    r"\s*[,(–-]?\s*(?:\d{1,2}\.\s?\d{1,2}\.(?:\d{2,4})?|\d{4}-\d{2}-\d{2}|"
    rf"\d{{1,2}}\.?\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?)\)?\Z",
    re.IGNORECASE,
)
# A link for a source: "https://www.reuters.com/world/..." is the site's host
_URL = re.compile(r"\A(?:https?://(?P<host>[^/\s]+)(?:/\S*)?|(?P<site>[\w-]+(?:\.[\w-]+)+)/\S*)\Z")


def _normalise_frames(text: str) -> str:
    """Spell abbreviated, bracketed and decorated frames the way the shapes expect."""
    text = _FORMERLY.sub("", _KICKER.sub("", text))
    text = _DATE_TAIL.sub("", text) or text
    url = _URL.match(text)
    if url is not None:
        text = url.group("host") or url.group("site")
    text = _HEDGE.sub("", text).strip(" ,")
    text = _LT.sub("laut ", text)
    text = _HAT_TIP.sub("via ", _AS_PER.sub("per", text))
    text = _ACC.sub("according to", text)
    text = _FRAME_COLON.sub(lambda match: match.group(1) + " ", text)
    return _BRACKETED_CONNECTOR.sub(lambda match: ", " + match.group(1), text) or text


def _from_match(
    groups: dict[str, str | None], *, known_outlets: tuple[str, ...]
) -> ParsedSourceTag | None:
    if groups.get("via_first") is not None:
        return _via(groups["via_first"] or "", groups["via_second"] or "", known_outlets)
    if groups.get("per_first") is not None:
        return _per(groups["per_first"] or "", groups["per_second"] or "", known_outlets)
    if groups.get("either") is not None:
        return _either(groups["either"] or "", known_outlets)
    if groups.get("nonmedium") is not None:
        return _non_medium(groups["nonmedium"] or "", known_outlets)
    plain = _plain_roles(groups)
    if plain is None:
        return None
    groups = plain
    if groups.get("medium") is not None:
        confirmed = _confirm_medium(groups, known_outlets=known_outlets)
        if confirmed is None:
            return None
        groups = confirmed
    return _outlet_and_cited(groups, known_outlets=known_outlets)


_CONNECTOR_INSIDE = re.compile(
    r"\b(?:citing|cites|cited|quoting|quotes|quoted|according\s+to|laut|zitiert|zitierte|"
    r"Berufung|Verweis)\b",
    re.IGNORECASE,
)


def _plain_roles(groups: dict[str, str | None]) -> dict[str, str | None] | None:
    """``reporter`` and ``source`` as outlet and cited, unless they relay themselves."""
    plain = dict(groups)
    for group, role in (("reporter", "outlet"), ("source", "cited")):
        part = groups.get(group)
        if part is None:
            continue
        if _CONNECTOR_INSIDE.search(part):
            return None
        plain[role] = part
    return plain


def _confirm_medium(
    groups: dict[str, str | None], *, known_outlets: tuple[str, ...]
) -> dict[str, str | None] | None:
    """The ``medium`` group as the outlet, if the gazetteer knows it as a medium."""
    medium = _clean_part(groups["medium"] or "")
    if not _is_medium(medium, known_outlets=known_outlets):
        return None
    confirmed = {**groups, "outlet": medium}
    if _clean_cited(_clean_part(groups.get("cited") or "")).casefold() in _PUBLICATIONS:
        confirmed["cited"] = None  # "a report in Politico" is Politico's own report
    return confirmed


def _outlet_and_cited(
    groups: dict[str, str | None], *, known_outlets: tuple[str, ...]
) -> ParsedSourceTag | None:
    outlet = _clean_outlet(_publisher(_clean_part(groups.get("outlet") or ""), known_outlets))
    cited = _clean_cited(_clean_part(groups.get("cited") or ""))
    if groups.get("outlet") is not None and not outlet:
        return None
    if groups.get("cited") is not None and not cited:
        return None
    return ParsedSourceTag(outlet=outlet, cited=cited, anonymous=is_anonymous_source(cited))


def _either(text: str, known_outlets: tuple[str, ...]) -> ParsedSourceTag | None:
    either = _publisher(_clean_part(text), known_outlets)
    if not either:
        return None
    if _is_medium(either, known_outlets=known_outlets):
        return ParsedSourceTag(outlet=_clean_outlet(either), cited="", anonymous=False)
    cited = _clean_cited(either)
    return ParsedSourceTag(outlet="", cited=cited, anonymous=is_anonymous_source(cited))


# "a Reuters report", "WSJ scoop", "CNN's reporting", "ein Spiegel-Bericht", "a report in
# Haaretz": the medium that published it.
_PUBLICATION_OF = re.compile(
    r"\A(?:(?:a|an|the|ein|einem|einen|einer)\s+)?(?P<name>.+?)(?:['’]s?)?[\s-]+"
    r"(?:report|reports|reporting|story|article|scoop|exclusive|investigation|piece|Bericht|"
    r"Berichte|Berichten|Berichts|Recherche|Recherchen|Artikel)\Z",
    re.IGNORECASE,
)
_PUBLICATION_IN = re.compile(
    r"\A(?:(?:a|an|the)\s+)?(?:new\s+)?(?:report|story|article|scoop|investigation|piece)\s+"
    r"(?:in|by|from)\s+(?P<name>.+)\Z",
    re.IGNORECASE,
)


_POSSESSIVE = re.compile(r"\A(?P<name>.+?)['’]s?\Z")


def _publisher(name: str, known_outlets: tuple[str, ...]) -> str:
    """The medium behind "a Reuters report"; any other name unchanged."""
    for pattern in (_PUBLICATION_OF, _PUBLICATION_IN, _POSSESSIVE):
        match = pattern.match(name)
        if match is not None and _is_medium(match.group("name"), known_outlets=known_outlets):
            return match.group("name")
    return _without_kind(name)


# What a medium publishes: in "a report in Politico" it names no source of its own.
_PUBLICATIONS = frozenset(
    {"report", "story", "article", "piece", "interview", "investigation", "analysis",
     "bericht", "artikel", "beitrag", "recherche", "recherchen", "meldung"}
)  # fmt: skip


# A released-by part that goes on to cite someone is a relay, not one source.
_RELAY_INSIDE = re.compile(
    r",|\b(?:citing|cites|cited|quoting|quoted|Berufung|Verweis|zitiert)\b", re.IGNORECASE
)


def _non_medium(text: str, known_outlets: tuple[str, ...]) -> ParsedSourceTag | None:
    """ "nach Angaben der Polizei": the source, unless a medium or a relay is named there."""
    part = _clean_part(text)
    if not part or _RELAY_INSIDE.search(part) or _is_medium(part, known_outlets=known_outlets):
        return None
    cited = _clean_cited(part)
    return ParsedSourceTag(outlet="", cited=cited, anonymous=is_anonymous_source(cited))


def _via(first: str, second: str, known_outlets: tuple[str, ...]) -> ParsedSourceTag | None:
    """ "Y via X": X relayed Y, so X is the outlet, unless only Y is a medium."""
    first, second = _clean_part(first), _clean_part(second)
    if not first or not second:
        return None
    second_is_medium = _is_medium(second, known_outlets=known_outlets)
    if not second_is_medium and _is_medium(first, known_outlets=known_outlets):
        first, second = second, first
    outlet, cited = _clean_outlet(_publisher(second, known_outlets)), _clean_cited(first)
    return ParsedSourceTag(outlet=outlet, cited=cited, anonymous=is_anonymous_source(cited))


def _per(first: str, second: str, known_outlets: tuple[str, ...]) -> ParsedSourceTag | None:
    """ "X, per Y": X reported per its source Y, unless only Y is a medium ("officials, per
    Axios")."""
    first, second = _clean_part(first), _clean_part(second)
    if not first or not second:
        return None
    if _is_medium(second, known_outlets=known_outlets) and not _is_medium(
        first, known_outlets=known_outlets
    ):
        first, second = second, first
    outlet, cited = _clean_outlet(_publisher(first, known_outlets)), _clean_cited(second)
    return ParsedSourceTag(outlet=outlet, cited=cited, anonymous=is_anonymous_source(cited))


# Agency credits and joint reports: "dpa/AFP", "Reuters/jW", "NDR, WDR und SZ".
_MEDIA_LIST_SEPARATOR = re.compile(r"\s*(?:/|,|&|\+|\s+und\s+|\s+and\s+|\s+sowie\s+)\s*")


# An agency's desk after its name: "dpa/lnw", "dpa/lby" (regional services), "AFP/red".
_DESK_CODE = re.compile(r"[a-zäöü]{2,4}")


def _is_medium(name: str, *, known_outlets: tuple[str, ...]) -> bool:
    """A listed medium, or a list of media naming nothing else."""
    if is_news_outlet(name, known_outlets=known_outlets):
        return True
    parts = [part for part in _MEDIA_LIST_SEPARATOR.split(name) if part]
    if len(parts) == 1:
        parts = name.split()  # a medium and its programme: "ARD Tagesthemen"
        if len(parts) != 2:
            return False
    return len(parts) >= 2 and all(
        is_news_outlet(part, known_outlets=known_outlets)
        or (index > 0 and _DESK_CODE.fullmatch(part) is not None)
        for index, part in enumerate(parts)
    )


def _single_source(text: str, *, known_outlets: tuple[str, ...]) -> ParsedSourceTag:
    """A label without a shape: "Reuters", "a Pentagon spokesperson", "Reuters citing"."""
    name = _TRAILING_CONNECTOR.sub("", text)
    name = _publisher(_clean_part(_LEADING_FRAME.sub("", name)) or text, known_outlets)
    if _names_medium(name, known_outlets=known_outlets):
        return ParsedSourceTag(outlet=_clean_outlet(name), cited="", anonymous=False)
    cited = _clean_cited(name)
    return ParsedSourceTag(outlet="", cited=cited, anonymous=is_anonymous_source(cited))


def _names_medium(name: str, *, known_outlets: tuple[str, ...]) -> bool:
    if _is_medium(name, known_outlets=known_outlets):
        return True
    # "Der Standard per E-Mail", "Laut.de": a listed outlet opening a label that names no
    # person or unnamed source is still the medium.
    lowered = name.casefold()
    return not is_anonymous_source(name) and any(
        lowered.startswith(form.casefold() + " ") for form in _multiword_outlets()
    )


@lru_cache(maxsize=1)
def _multiword_outlets() -> tuple[str, ...]:
    return tuple(form for form in outlet_names() if " " in form or len(form) >= 4)


# "media reports", "Presseberichte": the noun, not a medium that reports
# ("multiple reports", "unconfirmed reports": no capital, so no medium names itself there)
_GENERIC_REPORTS = re.compile(r"\A[^A-ZÄÖÜ]*\s+reports\Z")


# "AP quoted Peskov as saying", "dpa zitiert Peskow mit den Worten": what follows is the quote
# ("gegenüber" left over from "so ein Sprecher gegenüber der dpa")
# (and when or how it was said: "told Reuters on Tuesday", "on condition of anonymity")
_QUOTE_TAIL = re.compile(
    r"\s+(?:as\s+saying|mit\s+den\s+Worten|with\s+the\s+words|gegenüber|anonymously|"
    r"(?:on|under)\s+(?:the\s+)?condition\s+of\s+anonymity|"
    # not "am Sonntag": "Welt am Sonntag" is a paper
    r"on\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|yesterday|today|gestern|heute)\Z",
    re.IGNORECASE,
)


def _clean_part(text: str) -> str:
    part = _QUOTE_TAIL.sub("", _trim(text))
    if _GENERIC_REPORTS.search(part):
        return part
    return _trim(_REPORTING_TAIL.sub("", part))


def _trim(text: str) -> str:
    """Strip punctuation around a part, but keep a closing bracket that closes one inside."""
    part = text.strip(_TRIM)
    for opening, closing in ("()", "[]"):
        if opening in part and text.rstrip().endswith(closing) and not part.endswith(closing):
            part += closing
    return part


# "der Nachrichtenagentur dpa", "the news agency Reuters": the kind of medium before its name
_MEDIUM_KINDS = re.compile(
    # up to two words describing it first: "state news agency TASS", "der staatlichen Agentur"
    r"\A(?:(?:der|die|das|dem|den|des|the)\s+)?(?:[\w-]+\s+){0,2}?(?:Nachrichtenagentur|"
    r"Presseagentur|Agentur|"
    r"Zeitung|Tageszeitung|Wochenzeitung|Zeitschrift|Magazin|Nachrichtenmagazin|Sender|"
    r"Fernsehsender|Radiosender|Rundfunksender|news\s+agency|newspaper|broadcaster|network|"
    r"magazine|wire\s+service|agency)\s+(?P<name>.+)\Z",
    re.IGNORECASE,
)
# ... or after it: "the state-run RIA Novosti agency"
_MEDIUM_KIND_AFTER = re.compile(
    r"\A(?P<name>.+?)\s+(?:news\s+agency|agency|newspaper|"
    r"broadcaster|channel|network|daily|tabloid)\Z",
    re.IGNORECASE,
)


def _without_kind(text: str) -> str:
    """ "state news agency TASS", "the state-run RIA Novosti agency" -> the listed name."""
    for pattern in (_MEDIUM_KINDS, _MEDIUM_KIND_AFTER):
        kind = pattern.match(text)
        if kind is None:
            continue
        words = kind.group("name").split()
        for start in range(min(3, len(words))):  # "state-run", "the" before the name
            if is_news_outlet(" ".join(words[start:])):
                return " ".join(words[start:])
    return text


def _clean_outlet(text: str) -> str:
    """Trim a leading article unless the gazetteer spells the name with it ("Der Spiegel"),
    and the kind of medium before a listed name ("Nachrichtenagentur dpa" -> "dpa")."""
    text = _without_kind(text)
    words = text.split(maxsplit=1)
    keep = len(words) < 2 or words[0].casefold() not in _LOWER_ARTICLES
    lowered = text.casefold()
    listed = any(
        lowered == form or lowered.startswith(form + " ") for form in _listed_with_article()
    )
    if keep or (words[0][0].isupper() and listed):
        return text
    return words[1].strip(_TRIM)


@lru_cache(maxsize=1)
def _listed_with_article() -> frozenset[str]:
    return frozenset(form.casefold() for form in outlet_names() if strip_article(form) != form)


def _clean_cited(text: str) -> str:
    words = text.split(maxsplit=1)
    if len(words) == 2 and words[0][0].isupper() and text.casefold() in _listed_with_article():
        return text  # a medium cited by another: "Der Standard via APA"
    if len(words) == 2 and words[0].casefold() in _LOWER_ARTICLES:
        return words[1].strip(_TRIM)
    return text


def _within_one_edit(word: str, target: str) -> bool:
    """Damerau-Levenshtein distance <= 1 (one insertion, deletion, substitution or swap)."""
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diff = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diff) <= 1:
            return True
        first, second = diff[0], diff[-1]
        return (
            len(diff) == 2
            and second == first + 1
            and word[first] == target[second]
            and word[second] == target[first]
        )
    shorter, longer = sorted((word, target), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _fix_word(word: str) -> str:
    lowered = word.casefold()
    if len(lowered) < 5 or lowered in _CONNECTOR_WORDS or not lowered.isalpha():
        return word
    for target in _CONNECTOR_WORDS:
        if _within_one_edit(lowered, target):
            return target.capitalize() if word[0].isupper() else target
    return word


# Four-letter words one typo away from "laut" that are words of their own.
_NOT_LAUT = frozenset({"last", "lauf", "haut", "laus", "lust", "saut", "baut", "kaut", "raut"})


def _fix_connector_typos(text: str) -> str:
    words = [_fix_word(word) for word in text.split(" ")]
    first = words[0].casefold()
    if (
        len(words) > 1
        and len(first) >= 3
        and first not in _NOT_LAUT | {"laut"}
        and first.isalpha()
        and _within_one_edit(first, "laut")
    ):
        words[0] = "laut"  # "laur dpa", "luat Reuters": a frame only opens a label
    # "untr Berufung auf": "unter" is too common a word to fix anywhere but before "Berufung"
    for index, word in enumerate(words[:-1]):
        if words[index + 1].casefold() in {"berufung", "verweis", "bezug"} and _within_one_edit(
            word.casefold(), "unter"
        ):
            words[index] = "unter" if word[:1].islower() else "Unter"
    return " ".join(words)


_UNNAMED_SOURCE_WORDS = frozenset(
    {
        # English
        "official",
        "officials",
        "officer",
        "officers",
        "source",
        "sources",
        "person",
        "persons",
        "people",
        "insider",
        "insiders",
        "diplomat",
        "diplomats",
        "aide",
        "aides",
        "anonymous",
        "unnamed",
        "unidentified",
        "whistleblower",
        "whistleblowers",
        "investigators",
        # other unnamed people in a role: "a senior Ukrainian commander", "ein Offizier",
        # "Mitarbeiter des Ministeriums", "analysts", "local residents"
        "commander",
        "commanders",
        "soldier",
        "soldiers",
        "employee",
        "employees",
        "staffer",
        "staffers",
        "resident",
        "residents",
        "members",
        "participants",
        "negotiator",
        "negotiators",
        "adviser",
        "advisers",
        "advisor",
        "advisors",
        "confidant",
        "confidants",
        "expert",
        "experts",
        "analyst",
        "analysts",
        "observers",
        "offizier",
        "offiziere",
        "offizieren",
        "kommandeur",
        "kommandeure",
        "kommandeuren",
        "soldat",
        "soldaten",
        "anwohner",
        "anwohnern",
        "anwohnerin",
        "mitglieder",
        "mitgliedern",
        "teilnehmer",
        "teilnehmern",
        "unterhändler",
        "unterhändlern",
        "beobachter",
        "beobachtern",
        "experte",
        "experten",
        "expertin",
        "analysten",
        "analystin",
        # unnamed witnesses ("laut Augenzeugen"); not a suffix: "Fahrzeugen", "Flugzeugen"
        "witness",
        "witnesses",
        "eyewitness",
        "eyewitnesses",
        "zeuge",
        "zeugen",
        "zeugin",
        "augenzeuge",
        "augenzeugen",
        "augenzeugin",
        # unnamed spokespeople and representatives speak for an institution but are not named
        "spokesperson",
        "spokespersons",
        "spokespeople",
        "spokesman",
        "spokesmen",
        "spokeswoman",
        "spokeswomen",
        "representative",
        "representatives",
        "familiar",
        # German ("person" is shared with English)
        "ungenannte",
        "ungenannten",
        "ungenannter",
        "anonyme",
        "anonymen",
        "anonymer",
        "personen",
        "informant",
        "informanten",
        "eingeweihte",
        "eingeweihten",
        "vertraute",
        "vertrauten",
        "umfeld",
        "sprecher",
        "sprecherin",
        "vertreter",
        "vertreterin",
        "vertretern",
    }
)
# German compounds: "Regierungskreise", "Sicherheitskreisen", "US-Beamte", "Insidern".
_UNNAMED_SOURCE_SUFFIXES = (
    "kreise",
    "kreisen",
    "quelle",
    "quellen",
    "beamte",
    "beamten",
    "beamter",
    "beamtin",
    "beamtinnen",
    "diplomat",
    "diplomaten",
    "insider",
    "insidern",
    # "Regierungssprecher", "Regierungsvertretern", "Ministeriumssprecherin"
    "sprecher",
    "sprecherin",
    "vertreter",
    "vertretern",
    "vertreterin",
    # genitives ("nach Angaben eines Polizeisprechers") and unnamed investigators
    "sprechers",
    "vertreters",
    "insiders",
    "ermittler",
    "ermittlern",
    "ermittlerin",
    # "Regierungsmitarbeiter", "Armeeoffizier", "Militärexperten", "Scholz-Vertrauter"
    "mitarbeiter",
    "mitarbeitern",
    "mitarbeiterin",
    "mitarbeiterinnen",
    "offizier",
    "offiziere",
    "offizieren",
    "experten",
    "berater",
    "beratern",
    "beraterin",
    "vertrauter",
)
# A capitalised run after one of these is a place or reference point, not a source. "of" is
# not one: "Secretary of State Antony Blinken" names a person.
_FUNCTION_WORDS = frozenset(
    {
        "the", "a", "an", "at", "in", "on", "to", "from", "for", "with", "within",
        "inside", "near", "by", "close", "around", "about", "and", "or",
        "der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "eines", "einem",
        "im", "am", "aus", "von", "vom", "beim", "bei", "zum", "zur", "nahe",
        "um", "innerhalb", "und", "oder", "mit",
    }
)  # fmt: skip
# Capitalised words that make a run an institution or place rather than a person.
_INSTITUTION_WORDS = frozenset(
    {
        "house", "haus", "hauses", "department", "ministry", "office", "council",
        "commission", "kommission", "bank", "agency", "service", "staff", "army", "forces",
        "force", "government", "regierung", "administration", "committee", "parliament",
        "parlament", "union", "nations", "court", "police", "polizei", "party", "partei",
        "street", "hill", "states", "kingdom", "republic", "republik", "kremlin", "kreml",
        "pentagon", "institute", "institut", "university", "universität", "group",
        "company", "corporation", "times", "post", "news",
    }
)  # fmt: skip
_INSTITUTION_SUFFIXES = (
    "ministerium",
    "ministeriums",
    "amt",
    "amts",
    "amtes",
    "behörde",
    "behörden",
    "regierung",
    "gericht",
    "gerichts",
    "kommission",
    "partei",
)
_TOKEN_PUNCTUATION = ".,;:!?()[]{}\"'“”„‚‘’«»"  # noqa: S105 - not a password
_RUN_BREAKING_PUNCTUATION = ",;:()[]{}"
_WORD_PART = re.compile(r"[^\W\d_]+")
# Figures and documents are not sources that could be anonymous ("official figures").
_NON_PERSON_HEADS = frozenset(
    {
        "figures", "data", "statistics", "documents", "document", "numbers", "estimates",
        "records", "report", "reports", "statement", "statements", "filings", "filing",
        "results", "count", "tally", "polls", "poll", "survey", "memo", "emails",
        "zahlen", "daten", "dokumente", "dokumenten", "angaben", "statistik", "statistiken",
        "unterlagen", "bericht", "berichte", "berichten", "schätzungen", "berechnungen",
        "umfrage", "umfragen", "papier", "papiere", "papieren", "mitteilung", "erklärung",
    }
)  # fmt: skip


def _word_parts(word: str) -> list[str]:
    """Lower-cased letter runs of a word: "US-Beamte" -> ["us", "beamte"]."""
    return [part.lower() for part in _WORD_PART.findall(word)]


def _is_unnamed_source_word(word: str) -> bool:
    return any(
        part in _UNNAMED_SOURCE_WORDS or part.endswith(_UNNAMED_SOURCE_SUFFIXES)
        for part in _word_parts(word)
    )


def _is_institution_word(word: str) -> bool:
    return any(
        part in _INSTITUTION_WORDS or part.endswith(_INSTITUTION_SUFFIXES)
        for part in _word_parts(word)
    )


def _is_capitalised(word: str) -> bool:
    """ "Kirby", "O'Brien", "Kramp-Karrenbauer" yes; "US", "U.S", "EU-Beamte", "said" no."""
    return (
        len(word) > 1
        and word[0].isupper()
        and not word[1].isupper()
        and any(character.islower() for character in word)
    )


def _capitalised_runs(text: str) -> list[tuple[str | None, list[str]]]:
    """Runs of consecutive capitalised words, each with the lower-cased word before it."""
    runs: list[tuple[str | None, list[str]]] = []
    previous: str | None = None
    run: list[str] = []
    run_previous: str | None = None
    for raw in text.split():
        word = raw.strip(_TOKEN_PUNCTUATION)
        # Punctuation such as a comma ends a name: "Kirby, Blinken" are two runs.
        if run and (raw[0] in _RUN_BREAKING_PUNCTUATION or not _is_capitalised(word)):
            runs.append((run_previous, run))
            run = []
        if _is_capitalised(word):
            if not run:
                run_previous = previous
            run.append(word)
            if raw[-1] in _RUN_BREAKING_PUNCTUATION:
                runs.append((run_previous, run))
                run = []
        previous = word.lower() if word else previous
    if run:
        runs.append((run_previous, run))
    return runs


def _is_name_run(previous: str | None, run: list[str]) -> bool:
    """Two or more capitalised words that are neither an institution nor an unnamed source,
    or one surname right after a role word ("spokesman Kirby", "Sprecher Seibert")."""
    name = [word for word in run if not _is_unnamed_source_word(word)]
    if not name or any(_is_institution_word(word) for word in name):
        return False
    if len(run) >= 2 and len(name) >= 1 and _is_unnamed_source_word(run[0]):
        return True  # German role compound + name: "Regierungssprecher Steffen Hebestreit"
    if previous is not None and _is_unnamed_source_word(previous):
        return True  # "spokesman Kirby"
    return len(run) >= 2 and len(name) == len(run) and previous not in _FUNCTION_WORDS


def has_personal_name(text: str) -> bool:
    """Whether ``text`` names a person: "Kremlin spokesman Dmitry Peskov", "Sprecher Seibert"."""
    return _has_personal_name(text)


def _has_personal_name(text: str) -> bool:
    return any(_is_name_run(previous, run) for previous, run in _capitalised_runs(text))


# An unnamed press secretary is a spokesperson; "Secretary of State" alone is an office.
_UNNAMED_ROLE_PHRASES = re.compile(r"\bpress\s+secretar(?:y|ies)\b", re.IGNORECASE)


def is_anonymous_source(cited: str) -> bool:
    """Whether a cited source is unnamed: "US officials", "ein Regierungssprecher",
    "Sicherheitskreise" yes; "Kremlin spokesman Dmitry Peskov", "the Pentagon", "official
    figures", "officials including Secretary of State Antony Blinken" no."""
    words = cited.split()
    if not words:
        return False
    if not _UNNAMED_ROLE_PHRASES.search(cited) and not any(
        _is_unnamed_source_word(word) for word in words
    ):
        return False
    head = words[-1].strip(_TOKEN_PUNCTUATION).casefold()
    if head in _NON_PERSON_HEADS:
        return False
    return not _has_personal_name(cited)
