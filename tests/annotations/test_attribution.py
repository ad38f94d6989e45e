"""Attribution suggestions (annotations.attribution) on articles written for these tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from factories import SEED_PATH

from annotations.attribution import Suggestion, suggest

TEXTS = Path(__file__).resolve().parent / "attribution_texts"


def _suggestions(name: str, language: str) -> tuple[str, list[Suggestion]]:
    text = (TEXTS / name).read_text(encoding="utf-8")
    return text, suggest(text=text, language=language)


def _find(suggestions: list[Suggestion], quote_part: str) -> Suggestion:
    matches = [s for s in suggestions if quote_part in s.quote]
    assert matches, f"no suggestion for {quote_part!r}: {[s.quote for s in suggestions]}"
    return matches[0]


# (part of the reported content, outlet, cited, anonymous, resolved)
ENGLISH = [
    ("Senate negotiators are close", "", "two people familiar with the talks", True, False),
    ("the outline of the deal", "Wall Street Journal", "congressional aides", True, False),
    ("disaster aid", "Wall Street Journal", "", False, False),  # "The Journal said"
    ("We are not there yet", "", "Senate Majority Leader Chuck Schumer", False, False),
    ("spending levels were still too high", "", "Senator John Thune", False, False),
    ("had to pass the House first", "", "Senator John Thune", False, True),  # "He added"
    ("sign a clean extension", "Reuters", "White House spokesperson", True, False),
    ("delay tax refunds", "", "Treasury Department", False, False),
    ("the responsible thing to do", "", "Representative Maria Lopez", False, False),
]

TARIFFS = [
    ("considering tariffs", "", "three officials familiar with the deliberations", True, False),
    ("Nothing has been decided", "", "Karine Brooks", False, False),
    ("looking at every option", "", "Karine Brooks", False, False),  # a quote that goes on
    ("a decision could come next week", "", "officials", True, False),  # subject, who-clause
    ("drafted a proclamation", "", "One official", True, False),
    ("the move", "", "Steel industry groups", False, False),  # a reported speech act
    ("that the tariffs would protect", "", "American Iron and Steel Institute", False, False),
    ("a tax on American workers", "", "Senator Mark Ellison", False, True),
    ("steel imports rose", "", "Commerce Department", False, False),
    ("that the Pentagon had raised concerns", "Washington Post", "internal memos", False, False),
]

GERMAN = [
    ("einen neuen Warnstreik", "", "Gewerkschaft", False, False),  # verb-final "angekündigt"
    ("Pendler in Bayern", "dpa", "", False, False),  # "Laut dpa"
    (
        "die Geduld der Beschäftigten sei am Ende",
        "",
        "Vorsitzende der Gewerkschaft, Martin Keller",
        False,
        False,
    ),
    (
        "kein neues Angebot vorgelegt",
        "",
        "Vorsitzende der Gewerkschaft, Martin Keller",
        False,
        False,
    ),  # Konjunktiv: the next sentence goes on with the same speaker
    ("Wir wollen keinen Streik", "Süddeutschen Zeitung", "Keller", False, False),
    ("weitere Aktionen folgen", "Süddeutschen Zeitung", "Keller", False, True),  # "Er"
    ("ein neues Angebot vorlegen", "Spiegel", "Konzernkreise", True, False),
    ("zu Zugeständnissen", "Spiegel", "", False, False),  # "Das Magazin schreibt"
    ("die Pläne der Gewerkschaft", "", "Bahnsprecher", True, False),  # a speech act
    ("Verkehrsministerium einschalten", "", "Regierungskreisen", True, False),
]


@pytest.mark.parametrize(("part", "outlet", "cited", "anonymous", "resolved"), ENGLISH)
def test_english_article(part: str, outlet: str, cited: str, anonymous: bool, resolved: bool):
    _, suggestions = _suggestions("senate-budget.en.txt", "en")
    found = _find(suggestions, part)
    assert (found.outlet, found.cited, found.anonymous, found.resolved) == (
        outlet,
        cited,
        anonymous,
        resolved,
    )


@pytest.mark.parametrize(("part", "outlet", "cited", "anonymous", "resolved"), TARIFFS)
def test_english_article_with_appositions_and_statements(
    part: str, outlet: str, cited: str, anonymous: bool, resolved: bool
):
    _, suggestions = _suggestions("tariffs.en.txt", "en")
    found = _find(suggestions, part)
    assert (found.outlet, found.cited, found.anonymous, found.resolved) == (
        outlet,
        cited,
        anonymous,
        resolved,
    )


@pytest.mark.parametrize(("part", "outlet", "cited", "anonymous", "resolved"), GERMAN)
def test_german_article(part: str, outlet: str, cited: str, anonymous: bool, resolved: bool):
    _, suggestions = _suggestions("bahnstreik.de.txt", "de")
    found = _find(suggestions, part)
    assert (found.outlet, found.cited, found.anonymous, found.resolved) == (
        outlet,
        cited,
        anonymous,
        resolved,
    )


@pytest.mark.parametrize(
    ("name", "language"),
    [("senate-budget.en.txt", "en"), ("tariffs.en.txt", "en"), ("bahnstreik.de.txt", "de")],
)
def test_offsets_point_into_the_text(name: str, language: str) -> None:
    text, suggestions = _suggestions(name, language)
    assert suggestions
    for suggestion in suggestions:
        assert text[suggestion.start : suggestion.end] == suggestion.quote
        cue = text[suggestion.cue_start : suggestion.cue_end]
        assert cue.split()[0] == suggestion.cue.split()[0]


def test_no_suggestion_without_attribution() -> None:
    text = "The bridge opened in 1932.\n\nIt carries four lanes of traffic and a railway."
    assert suggest(text=text, language="en") == []


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="Unsupported language"):
        suggest(text="Bonjour.", language="fr")


def test_seed_article_relays_the_journal() -> None:
    """The demo article: the Wall Street Journal relays unnamed US officials; "das Journal"
    later refers back to it; the Russian Foreign Ministry is quoted directly."""
    text = SEED_PATH.read_text(encoding="utf-8")
    suggestions = suggest(text=text, language="de")
    first = _find(suggestions, "berief sich dabei auf ungenannte US-Beamte")
    assert (first.outlet, first.cited, first.anonymous) == (
        "Wall Street Journal",
        "ungenannte US-Beamte",
        True,
    )
    told = [
        s for s in suggestions if s.cue.startswith("sagte") and "Vereinigten Staaten" in s.quote
    ]
    assert told and told[0].outlet == "Wall Street Journal" and told[0].anonymous
    reported = _find(suggestions, "viele Drohnen vom Iran erhalten")
    assert (reported.outlet, reported.cited) == ("Wall Street Journal", "")
    ministry = _find(suggestions, "UN-Verbot")
    assert (ministry.outlet, ministry.cited, ministry.anonymous) == (
        "",
        "russische Außenministerium",
        False,
    )


# --- English US political news, annotated by hand for this project (attribution_texts/en_eval):
# each NAME.en.txt has NAME.en.json listing its attributed statements (quote, cue, speaker as
# written, type, whether the speaker is only a pronoun) and whether the article was used to tune
# the English rules ("tune") or never looked at for errors ("held-out"; "held-out-2": four
# more, written in a later round and measured once). Measured like
# ../shared/attribution/score.py's source F1: a statement counts when a suggestion that overlaps
# it (claim span or cue) names its speaker as cited or outlet; pronoun-only speakers are skipped.
EVAL = TEXTS / "en_eval"
_PUNCT = ".,;:!?()[]{}\"'`“”„‚‘’«»‹›–—-/ "
_ARTICLES = {"the", "der", "die", "das", "dem", "den", "des"}
_FUNCTION = _ARTICLES | {"a", "an", "of", "in", "on", "to", "for", "and", "or", "at", "by", "s"}


def _norm(value: str) -> str:
    text = " ".join(value.split()).casefold().strip(_PUNCT)
    words = text.split(" ")
    if len(words) > 1 and words[0] in _ARTICLES:
        text = " ".join(words[1:]).strip(_PUNCT)
    return text


def _names(prediction: str, gold: str) -> bool:
    """Equal, a contiguous run of the gold words with a content word, or word F1 >= 0.5."""
    p, g = re.findall(r"[^\W_]+", _norm(prediction)), re.findall(r"[^\W_]+", _norm(gold))
    if not p or not g:
        return False
    if any(w not in _FUNCTION and len(w) > 1 for w in p) and any(
        g[i : i + len(p)] == p for i in range(len(g) - len(p) + 1)
    ):
        return True
    common = sum(min(p.count(w), g.count(w)) for w in set(p))
    return 2 * common / (len(p) + len(g)) >= 0.5


def _matching(edges: dict[int, list[int]]) -> int:
    owner: dict[int, int] = {}

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right not in seen:
                seen.add(right)
                if right not in owner or augment(owner[right], seen):
                    owner[right] = left
                    return True
        return False

    return sum(augment(left, set()) for left in edges)


def _gold(text: str, quotes: list[dict]) -> list[dict]:
    def near(needle: str, start: int, end: int) -> tuple[int, int]:
        spots = [m.start() for m in re.finditer(re.escape(needle), text)]
        best = min(
            spots,
            key=lambda s: (
                0
                if s < end and start < s + len(needle)
                else min(abs(s - end), abs(start - s - len(needle)))
            ),
        )
        return best, best + len(needle)

    gold = []
    for quote in quotes:
        start = text.index(quote["quote"])
        end = start + len(quote["quote"])
        gold.append({**quote, "span": (start, end), "cue_span": near(quote["cue"], start, end)})
    return gold


def _source_counts(name: str) -> tuple[int, int, int]:
    """(matched, counted suggestions, eligible gold statements) for one article."""
    text = (EVAL / f"{name}.en.txt").read_text(encoding="utf-8")
    gold = _gold(text, json.loads((EVAL / f"{name}.en.json").read_text(encoding="utf-8"))["quotes"])
    edges: dict[int, list[int]] = {}
    for i, s in enumerate(suggest(text=text, language="en")):
        aligned = [
            j
            for j, g in enumerate(gold)
            if (s.start < g["span"][1] and g["span"][0] < s.end)
            or (s.cue_start < g["cue_span"][1] and g["cue_span"][0] < s.cue_end)
        ]
        if aligned and all(gold[j]["pronoun"] for j in aligned):
            continue  # about a pronoun-only speaker: left out, as in score.py
        edges[i] = [
            j
            for j in aligned
            if not gold[j]["pronoun"]
            and any(_names(c, gold[j]["speaker"]) for c in (s.cited, s.outlet) if c)
        ]
    return _matching(edges), len(edges), sum(not g["pronoun"] for g in gold)


def _source_f1(split: str) -> float:
    names = [
        path.name.removesuffix(".en.json")
        for path in sorted(EVAL.glob("*.en.json"))
        if json.loads(path.read_text(encoding="utf-8"))["split"] == split
    ]
    assert names
    tp, predicted, eligible = map(sum, zip(*(_source_counts(name) for name in names), strict=True))
    precision, recall = tp / max(1, predicted), tp / max(1, eligible)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def test_english_source_f1_on_tuning_articles() -> None:
    assert _source_f1("tune") >= 0.80  # measured 0.89


def test_english_source_f1_on_held_out_articles() -> None:
    """Articles written before the English rules were tuned and never studied for errors;
    the issue's goal is 0.60 on English US political news."""
    assert _source_f1("held-out") >= 0.65  # measured 0.75


def test_english_source_f1_on_a_second_held_out_set() -> None:
    """Four more articles, written and annotated after the English rules were last tuned
    (split "held-out-2"), measured once and never studied for errors."""
    assert _source_f1("held-out-2") >= 0.65  # measured 0.725


def test_evaluation_annotations_point_into_their_articles() -> None:
    for path in sorted(EVAL.glob("*.en.json")):
        text = (EVAL / path.name.replace(".json", ".txt")).read_text(encoding="utf-8")
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["split"] in {"tune", "held-out", "held-out-2"}
        for quote in data["quotes"]:
            assert quote["type"] in {"Direct", "Indirect", "Reported"}
            for field in ("quote", "cue", "speaker"):
                assert quote[field] in text, (path.name, quote[field])


def test_pronoun_resolves_to_a_speaker_of_its_gender() -> None:
    # Without agreement "Sie" would take the nearest named speaker, a man.
    text = (
        "Umweltministerin Svenja Schulze sagte, die Lage sei ernst. Der Bauernpräsident Joachim "
        "Rukwied widersprach: „Das stimmt nicht.“ Sie sagte, man müsse jetzt handeln. Er betonte, "
        "die Betriebe seien am Limit."
    )
    found = {s.quote: s for s in suggest(text=text, language="de")}
    assert (found["man müsse jetzt handeln"].cited, found["man müsse jetzt handeln"].resolved) == (
        "Umweltministerin Svenja Schulze",
        True,
    )
    assert found["die Betriebe seien am Limit"].cited == "Bauernpräsident Joachim Rukwied"


def test_feminine_role_noun_agrees_with_sie_without_a_known_first_name() -> None:
    text = (
        "Die Sprecherin Hülya Demir sagte, das Amt prüfe den Fall. Ein Anwalt, Jens Berger, "
        "widersprach. Sie sagte, die Prüfung dauere Wochen."
    )
    found = {s.quote: s for s in suggest(text=text, language="de")}
    assert found["die Prüfung dauere Wochen"].cited == "Sprecherin Hülya Demir"


def test_possessive_object_after_named_opening_subject_is_not_the_speaker() -> None:
    text = (
        "Gabriela Berger, Vorsitzende des Kreisverbandes Memmingen, verteidigte beispielsweise "
        "sein Vorgehen. Die Lage sei ernst, sagte sein Anwalt."
    )
    found = {s.quote: s for s in suggest(text=text, language="de")}
    assert [s.cited for s in found.values() if "Vorgehen" in s.quote] == ["Gabriela Berger"]
    assert found["Die Lage sei ernst"].cited == "sein Anwalt"


GERMAN_SPEAKERS = [
    # a "wie" clause with an apposition before its final verb
    (
        "Wie die Leiterin der Behörde, Anna Roth, mitteilte, bleibt das Bad geschlossen.",
        "bleibt das Bad geschlossen",
        "",
        "Leiterin der Behörde",
    ),
    # a time adverbial in front of the verb is no speaker
    (
        "Vergangenen Monat kündigte die Firma an, zwei Filialen zu öffnen.",
        "zwei Filialen zu öffnen",
        "",
        "Firma",
    ),
    # the opening phrase with its apposition is the subject, the phrase after the verb its object
    (
        "Die Ministerin, Anna Roth, verteidigte die Reform.",
        "die Reform",
        "",
        "Ministerin, Anna Roth",
    ),
    # a number joined to a noun is a noun
    ("Der 41-Jährige habe erklärt, er sei unschuldig.", "er sei unschuldig", "", "41-Jährige"),
    # the cue of a relative clause yields to the main clause's cue
    (
        "Eine Anwältin, die der Sender befragte, erklärte, das Urteil sei falsch.",
        "das Urteil sei falsch",
        "",
        "Anwältin",
    ),
    # a verb after "und" shares the opening subject; the cue's own noun is no speaker
    (
        "Die Ärztin kennt den Plan und ist der Meinung, dass er Leben rette.",
        "dass er Leben rette",
        "",
        "Ärztin",
    ),
    # an addressee that opens the clause is the outlet
    (
        "Gegenüber der Süddeutschen Zeitung sagte der Minister, man werde handeln.",
        "man werde handeln",
        "Süddeutschen Zeitung",
        "Minister",
    ),
    (
        "Die Forscher gehen davon aus, dass der Winter mild wird.",
        "dass der Winter mild wird",
        "",
        "Forscher",
    ),
    # the source of a passive without agent is the text its "in" phrase names
    (
        "In dem Bericht wird kritisiert, dass die Behörden zu langsam reagierten.",
        "dass die Behörden zu langsam reagierten",
        "",
        "Bericht",
    ),
]


@pytest.mark.parametrize(("text", "quote", "outlet", "cited"), GERMAN_SPEAKERS)
def test_german_speaker_constructions(text: str, quote: str, outlet: str, cited: str) -> None:
    found = {s.quote: s for s in suggest(text=text, language="de")}
    assert quote in found, list(found)
    assert (found[quote].outlet, found[quote].cited) == (outlet, cited)


@pytest.mark.parametrize(
    "text",
    [
        "Am Abend meldete sich der Käufer beim Amt.",
        "Sie hofft auf Besserung.",
        "Die Messung ergab folgende Werte.",
        "Der Vorsitzende erklärte die Sitzung daraufhin für eröffnet.",
        "Im Sommer war der Umbau fertig (die Zeitung berichtete).",
        "Der Minister äußerte sich zunächst nicht.",
        "Die Händler zeigten sich besorgt.",
        "Die Spur führte zu einem vermuteten Tatort am Fluss.",
    ],
)
def test_german_verb_forms_that_report_nothing(text: str) -> None:
    assert suggest(text=text, language="de") == []
