"""Agreement between annotators on who said what: span F1 and Krippendorff's alpha.

Pure functions over plain values (no database), so the figures are checked against
hand-computed cases and Krippendorff's published example (tests/annotations/test_agreement.py).

Definitions (issue 16, kept exactly):

* Two claims of different annotators on one article are *linked* when they overlap by at
  least half of the shorter span (code points).
* An *item* is a set of linked claims of different annotators, at most one per annotator.
  Items come from a maximum matching: for two annotators a maximum-cardinality bipartite
  matching (among maximum matchings, the one with the largest total overlap; networkx).
  With more annotators they are added one at a time (in a fixed order), each matched the same
  way against the items so far, a claim joining an item only if it is linked to every claim
  in it; a claim left unmatched starts an item of its own. Only items with claims of two or
  more annotators count.
* A claim's value per field (outlet, cited, anonymous) is that of its first source tag; no
  tag means a missing value. The cited source is compared case-folded, with a leading
  article ("the", "a", "der", "die", "das", …) stripped.
* `span_f1`: for each pair of annotators, F1 = 2·matched / (claims of one + claims of the
  other), pooled over the articles both annotated (matched: maximum matching of linked
  pairs); the mean over all such pairs. A workspace pools its articles.
* Krippendorff's alpha (nominal) per field over the items, with the maintained
  `krippendorff` package; undefined (None) when there is nothing to compare or no variation.
  The 95 % confidence interval is a percentile bootstrap over items (resampled with
  replacement, a fixed seed so a report reads the same twice).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import krippendorff
import networkx as nx
import numpy as np

FIELDS = ("outlet", "cited", "anonymous")
MIN_OVERLAP = 0.5
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 16

# Leading articles stripped from a cited source before comparing ("The White House" is
# "white house"); English and German, the languages Sourcemark reads.
_LEADING_ARTICLE = re.compile(
    r"^(?:the|a|an|der|die|das|den|dem|des|ein|eine|einer|eines|einem|einen)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Annotation:
    """One annotator's claim: where it stands and what its first source tag says."""

    claim_id: int
    coder: Hashable
    document: Hashable  # the article
    start: int
    end: int
    outlet: str | None = None  # None: the claim has no source tag (a missing value)
    cited: str | None = None
    anonymous: bool | None = None

    def value(self, name: str) -> Hashable | None:
        if name == "cited":
            return normalise_cited(self.cited)
        return getattr(self, name)


def normalise_cited(cited: str | None) -> str | None:
    """Case-folded, spaces collapsed, a leading article stripped; None stays None."""
    if cited is None:
        return None
    text = " ".join(cited.split()).casefold()
    return _LEADING_ARTICLE.sub("", text, count=1)


def overlap(a: Annotation, b: Annotation) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def overlap_share(a: Annotation, b: Annotation) -> float:
    """The overlap as a share of the shorter span."""
    shorter = min(a.end - a.start, b.end - b.start)
    return overlap(a, b) / shorter if shorter > 0 else 0.0


def linked(a: Annotation, b: Annotation) -> bool:
    return a.coder != b.coder and overlap_share(a, b) >= MIN_OVERLAP


def _max_matching(left: Sequence[object], right: Sequence[object], weight) -> list[tuple[int, int]]:
    """Index pairs (i, j) of a maximum-cardinality matching with the largest total weight
    among those; `weight(l, r)` is None where l and r may not be matched."""
    graph = nx.Graph()
    for i, item in enumerate(left):
        for j, other in enumerate(right):
            w = weight(item, other)
            if w is not None:
                graph.add_edge(("l", i), ("r", j), weight=w)
    pairs = []
    for u, v in nx.max_weight_matching(graph, maxcardinality=True):
        (side_u, i), (_, j) = sorted((u, v))  # ("l", i) sorts before ("r", j)
        assert side_u == "l"
        pairs.append((i, j))
    return sorted(pairs)


def _link_weight(a: Annotation, b: Annotation) -> float | None:
    return overlap_share(a, b) if linked(a, b) else None


def match_pair(a: Sequence[Annotation], b: Sequence[Annotation]) -> list[tuple[int, int]]:
    """The maximum matching of linked claims between two annotators' claims on one article."""
    return _max_matching(a, b, _link_weight)


def _group_weight(claim: Annotation, group: list[Annotation]) -> float | None:
    if not all(linked(claim, member) for member in group):
        return None
    return sum(overlap_share(claim, member) for member in group)


def document_items(annotations: Sequence[Annotation]) -> list[list[Annotation]]:
    """Every group of one article (items of one annotator included), see the module doc."""
    by_coder: dict[Hashable, list[Annotation]] = defaultdict(list)
    for annotation in sorted(annotations, key=lambda a: (a.start, a.end, a.claim_id)):
        by_coder[annotation.coder].append(annotation)
    groups: list[list[Annotation]] = []
    for coder in sorted(by_coder, key=str):
        claims = by_coder[coder]
        pairs = _max_matching(claims, groups, _group_weight)
        matched = set()
        for i, j in pairs:
            groups[j].append(claims[i])
            matched.add(i)
        groups += [[claim] for i, claim in enumerate(claims) if i not in matched]
    for group in groups:
        group.sort(key=lambda a: str(a.coder))
    return sorted(groups, key=lambda g: (min(a.start for a in g), min(a.claim_id for a in g)))


def build_items(annotations: Iterable[Annotation]) -> list[list[Annotation]]:
    """Items (claims of two or more annotators) of every article, article by article."""
    by_document: dict[Hashable, list[Annotation]] = defaultdict(list)
    for annotation in annotations:
        by_document[annotation.document].append(annotation)
    items = []
    for document in sorted(by_document, key=str):
        items += [g for g in document_items(by_document[document]) if len(g) >= 2]
    return items


@dataclass(frozen=True)
class PairF1:
    coders: tuple[Hashable, Hashable]
    matched: int
    claims: tuple[int, int]

    @property
    def f1(self) -> float:
        total = self.claims[0] + self.claims[1]
        return 2 * self.matched / total if total else 0.0


def pairwise_f1(annotations: Iterable[Annotation]) -> list[PairF1]:
    """Span F1 of each pair of annotators, pooled over the articles both annotated."""
    grouped: dict[Hashable, dict[Hashable, list[Annotation]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for annotation in annotations:
        grouped[annotation.document][annotation.coder].append(annotation)
    tally: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for coders in grouped.values():
        for a, b in combinations(sorted(coders, key=str), 2):
            counts = tally[(a, b)]
            counts[0] += len(match_pair(coders[a], coders[b]))
            counts[1] += len(coders[a])
            counts[2] += len(coders[b])
    return [
        PairF1(coders=pair, matched=m, claims=(n_a, n_b))
        for pair, (m, n_a, n_b) in sorted(tally.items(), key=lambda kv: str(kv[0]))
    ]


def mean_span_f1(pairs: Sequence[PairF1]) -> float | None:
    return sum(pair.f1 for pair in pairs) / len(pairs) if pairs else None


def reliability_matrix(
    items: Sequence[Sequence[Annotation]], coders: Sequence[Hashable], name: str
) -> list[list[Hashable | None]]:
    """coders × items: each coder's value of field `name` in each item (None: missing)."""
    rows = []
    for coder in coders:
        row: list[Hashable | None] = []
        for item in items:
            mine = next((a for a in item if a.coder == coder), None)
            row.append(None if mine is None else mine.value(name))
        rows.append(row)
    return rows


def nominal_alpha(matrix: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data (coders × units, None missing), computed by the
    `krippendorff` package; None when undefined (no pairable values, or a single value)."""
    codes: dict[Hashable, int] = {}
    data = np.full((len(matrix), len(matrix[0]) if matrix else 0), np.nan)
    for r, row in enumerate(matrix):
        for c, value in enumerate(row):
            if value is not None:
                data[r, c] = codes.setdefault(value, len(codes))
    pairable = int(np.sum(np.sum(~np.isnan(data), axis=0) >= 2)) if data.size else 0
    if pairable == 0 or len(codes) < 2:
        return None
    try:
        alpha = float(
            krippendorff.alpha(
                reliability_data=data,
                level_of_measurement="nominal",
                value_domain=list(range(len(codes))),
            )
        )
    except (ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(alpha) else alpha


def _unit_counts(matrix: Sequence[Sequence[Hashable | None]]) -> np.ndarray:
    """units × values: how often each value was given to each pairable unit."""
    codes: dict[Hashable, int] = {}
    units = []
    for values in zip(*matrix, strict=True) if matrix else ():
        present = [codes.setdefault(v, len(codes)) for v in values if v is not None]
        if len(present) >= 2:
            units.append(present)
    counts = np.zeros((len(units), len(codes)))
    for row, present in enumerate(units):
        for code in present:
            counts[row, code] += 1
    return counts


def alpha_from_counts(counts: np.ndarray) -> float | None:
    """Nominal alpha from per-unit value counts (Krippendorff 2011, coincidence matrix).
    Used for the bootstrap only, where calling the package a thousand times is slow; the
    tests check it gives the package's figure."""
    if counts.shape[0] == 0:
        return None
    weights = 1.0 / (counts.sum(axis=1) - 1.0)
    weighted = counts * weights[:, None]
    coincidences = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    expected = n * n - float(np.sum(totals * totals))
    if expected <= 0:
        return None
    observed = n - float(np.trace(coincidences))
    return 1.0 - (n - 1.0) * observed / expected


def _resampled_alphas(counts: np.ndarray, picks: np.ndarray) -> np.ndarray:
    """alpha_from_counts of each resample (rows of `picks`), at once; undefined ones left out."""
    drawn = counts[picks]  # resamples × units × values
    weighted = drawn / (drawn.sum(axis=2, keepdims=True) - 1.0)
    coincidences = np.einsum("sui,suj->sij", weighted, drawn)
    coincidences -= np.einsum("sui,ij->sij", weighted, np.eye(counts.shape[1]))
    totals = coincidences.sum(axis=2)
    n = totals.sum(axis=1)
    expected = n * n - np.sum(totals * totals, axis=1)
    observed = n - np.trace(coincidences, axis1=1, axis2=2)
    defined = expected > 0
    return 1.0 - (n[defined] - 1.0) * observed[defined] / expected[defined]


def bootstrap_interval(
    matrix: Sequence[Sequence[Hashable | None]],
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of nominal alpha, resampling the pairable units."""
    counts = _unit_counts(matrix)
    units = counts.shape[0]
    if units < 2:
        return None
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, units, size=(samples, units))
    # Resamples in batches of at most ~4M cells (samples × units × values) each.
    batch = max(1, 4_000_000 // (units * counts.shape[1]))
    estimates = np.concatenate(
        [_resampled_alphas(counts, picks[i : i + batch]) for i in range(0, samples, batch)]
    )
    if len(estimates) < samples / 2:  # mostly undefined: no honest interval
        return None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(estimates, [tail, 100 - tail])
    return float(low), float(high)


def exact_agreement(matrix: Sequence[Sequence[Hashable | None]]) -> tuple[float | None, int]:
    """Share of units whose values (two or more present) are all equal, and how many such
    units there are."""
    agree = total = 0
    for values in zip(*matrix, strict=True) if matrix else ():
        present = [v for v in values if v is not None]
        if len(present) < 2:
            continue
        total += 1
        agree += len(set(present)) == 1
    return (agree / total if total else None), total


@dataclass(frozen=True)
class FieldAgreement:
    name: str
    alpha: float | None
    interval: tuple[float, float] | None
    exact: float | None
    units: int  # items with two or more values of this field


@dataclass(frozen=True)
class Report:
    items: int
    coders: int
    span_f1: float | None
    pairs: list[PairF1]
    fields: dict[str, FieldAgreement] = field(default_factory=dict)
    claims: int = 0

    def as_contract(self) -> dict:
        """The `agreement --json` object (issue 16): span_f1 0.0 when no two annotators
        annotated one article (a float either way, as the contract says)."""
        return {
            "items": self.items,
            "coders": self.coders,
            "span_f1": float(self.span_f1) if self.span_f1 is not None else 0.0,
            "alpha": {name: self.fields[name].alpha for name in FIELDS},
        }


def agreement(annotations: Sequence[Annotation], *, bootstrap: bool = False) -> Report:
    """Every figure for these annotations (one article, or all of a workspace's)."""
    items = build_items(annotations)
    coders = sorted({a.coder for a in annotations}, key=str)
    pairs = pairwise_f1(annotations)
    fields = {}
    for name in FIELDS:
        matrix = reliability_matrix(items, coders, name)
        exact, units = exact_agreement(matrix)
        fields[name] = FieldAgreement(
            name=name,
            alpha=nominal_alpha(matrix),
            interval=bootstrap_interval(matrix) if bootstrap else None,
            exact=exact,
            units=units,
        )
    return Report(
        items=len(items),
        coders=len(coders),
        span_f1=mean_span_f1(pairs),
        pairs=pairs,
        fields=fields,
        claims=len(annotations),
    )
