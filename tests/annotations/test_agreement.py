"""Agreement figures against hand-computed cases and Krippendorff's published example."""

import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from factories import make_seed_article, make_workspace

from annotations import agreement, services
from annotations.agreement import Annotation

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: nominal data,
# 4 observers × 12 units, missing values; alpha = 0.743.
PUBLISHED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def claim(pk, coder, start, end, outlet=None, cited=None, anonymous=None, document=1):
    return Annotation(pk, coder, document, start, end, outlet, cited, anonymous)


class TestAlpha:
    def test_published_nominal_example(self):
        assert round(agreement.nominal_alpha(PUBLISHED), 3) == 0.743

    def test_the_bootstrap_formula_gives_the_package_figure(self):
        counts = agreement._unit_counts(PUBLISHED)
        assert agreement.alpha_from_counts(counts) == pytest.approx(0.743421, abs=1e-6)
        rng = np.random.default_rng(1)
        for _ in range(20):
            matrix = rng.integers(0, 3, size=(3, 15)).tolist()
            matrix[0][0] = None
            expected = agreement.nominal_alpha(matrix)
            got = agreement.alpha_from_counts(agreement._unit_counts(matrix))
            assert got == pytest.approx(expected)

    def test_hand_computed_two_coders(self):
        # o(W,W)=2, o(A,A)=4, o(W,A)=o(A,W)=1; n_W=3, n_A=5, n=8:
        # alpha = 1 - (n-1) * 2 / (n^2 - 9 - 25) = 1 - 7*2/30 = 16/30
        matrix = [["WSJ", "AP", "WSJ", "AP"], ["WSJ", "AP", "AP", "AP"]]
        assert agreement.nominal_alpha(matrix) == pytest.approx(16 / 30)
        assert agreement.exact_agreement(matrix) == (0.75, 4)

    def test_undefined_without_variation_or_pairs(self):
        assert agreement.nominal_alpha([["AP", "AP"], ["AP", "AP"]]) is None
        assert agreement.nominal_alpha([["AP", N], [N, "WSJ"]]) is None
        assert agreement.nominal_alpha([]) is None

    def test_bootstrap_interval_is_reproducible_and_holds_the_estimate(self):
        first = agreement.bootstrap_interval(PUBLISHED)
        assert first == agreement.bootstrap_interval(PUBLISHED)
        low, high = first
        assert low < 0.743 <= high <= 1.0


class TestMatching:
    def test_overlap_of_half_the_shorter_span_links(self):
        a, b = claim(1, "a", 0, 10), claim(2, "b", 5, 15)
        assert agreement.linked(a, b)
        assert not agreement.linked(a, claim(3, "b", 6, 16))
        assert not agreement.linked(a, claim(4, "a", 0, 10))  # same annotator

    def test_pair_f1_by_hand(self):
        a = [claim(1, "a", 0, 10), claim(2, "a", 20, 30)]
        b = [claim(3, "b", 5, 15), claim(4, "b", 22, 26), claim(5, "b", 40, 50)]
        (pair,) = agreement.pairwise_f1([*a, *b])
        assert (pair.matched, pair.claims) == (2, (2, 3))
        assert pair.f1 == pytest.approx(0.8)

    def test_maximum_matching_beats_greedy(self):
        """B1 links A1 (0.9) and A2 (0.6), B2 only A1 (0.7): greedy by overlap would match
        B1-A1 and leave B2 alone; the maximum matching pairs B1-A2 and B2-A1."""
        claims = [
            claim(1, "a", 0, 10),
            claim(2, "a", 10, 20),
            claim(3, "b", 1, 16),
            claim(4, "b", 3, 13),
        ]
        items = agreement.build_items(claims)
        assert sorted(tuple(sorted(x.claim_id for x in item)) for item in items) == [
            (1, 4),
            (2, 3),
        ]
        assert agreement.mean_span_f1(agreement.pairwise_f1(claims)) == 1.0

    def test_three_coders_one_claim_each_per_item(self):
        claims = [
            claim(1, "a", 0, 10),
            claim(2, "b", 1, 10),
            claim(3, "c", 0, 9),
            claim(4, "c", 2, 8),  # c's second claim on the same passage: its own item
        ]
        items = agreement.build_items(claims)
        assert len(items) == 1 and {x.coder for x in items[0]} == {"a", "b", "c"}

    def test_unmatched_claims_are_not_items(self):
        claims = [claim(1, "a", 0, 10), claim(2, "b", 50, 60)]
        report = agreement.agreement(claims)
        assert (report.items, report.coders, report.span_f1) == (0, 2, 0.0)

    def test_workspace_pools_articles_both_annotated(self):
        claims = [
            claim(1, "a", 0, 10, document=1),
            claim(2, "b", 0, 10, document=1),
            claim(3, "a", 0, 10, document=2),
            claim(4, "b", 40, 50, document=2),
            claim(5, "a", 0, 10, document=3),  # only a annotated article 3: not counted
        ]
        (pair,) = agreement.pairwise_f1(claims)
        assert (pair.matched, pair.claims) == (1, (2, 2))
        assert agreement.agreement(claims).items == 1


class TestFields:
    def test_first_tag_values_and_normalised_cited(self):
        claims = [
            claim(1, "a", 0, 10, "WSJ", "The White House", False),
            claim(2, "b", 0, 10, "WSJ", "white  house", False),
            claim(3, "a", 20, 30, "AP", "Die Regierung", True),
            claim(4, "b", 20, 30, "Reuters", "regierung", True),
            claim(5, "a", 40, 50),  # no tag: missing
            claim(6, "b", 40, 50, "AP", "", False),
        ]
        report = agreement.agreement(claims)
        assert report.items == 3
        assert report.fields["cited"].exact == 1.0 and report.fields["cited"].units == 2
        assert report.fields["outlet"].exact == 0.5
        assert report.fields["anonymous"].exact == 1.0
        # cited: both items agree, two categories: alpha 1
        assert report.fields["cited"].alpha == pytest.approx(1.0)
        # outlet: (WSJ, WSJ), (AP, Reuters): o(W,W)=2, o(A,R)=o(R,A)=1; n=4, n_W=2, n_A=n_R=1
        # alpha = 1 - 3 * 2 / (16 - 4 - 1 - 1) = 0.4
        assert report.fields["outlet"].alpha == pytest.approx(0.4)
        assert report.as_contract() == {
            "items": 3,
            "coders": 2,
            "span_f1": 1.0,
            "alpha": {"outlet": pytest.approx(0.4), "cited": pytest.approx(1.0), "anonymous": 1.0},
        }

    def test_leading_articles(self):
        assert agreement.normalise_cited("Der Sprecher") == "sprecher"
        assert agreement.normalise_cited("the US officials") == "us officials"
        assert agreement.normalise_cited("Theodor") == "theodor"
        assert agreement.normalise_cited(None) is None


QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"


@pytest.mark.django_db
class TestCommand:
    def test_json_contract_over_blind_and_shared_claims(self, workspace, alice, bob, capsys):
        article = make_seed_article(workspace=workspace, user=alice)
        services.start_blind_round(article=article, owner=alice, annotator_ids=[alice.pk, bob.pk])
        a = services.create_claim(article=article, author=alice, exact=QUOTE)
        b = services.create_claim(article=article, author=bob, exact=QUOTE[:50])
        services.add_tag(claim=a, label="WSJ citing the US officials", user=alice)
        services.add_tag(claim=a, label="AP", user=alice)  # not the first tag
        services.add_tag(claim=b, label="WSJ citing US officials", user=bob)
        services.create_claim(article=article, author=bob, exact="Teheran")
        other = make_seed_article(workspace=workspace, user=alice)
        services.create_claim(article=other, author=alice, exact="Teheran")
        services.create_claim(article=other, author=bob, exact="Teheran")
        call_command("agreement", "--workspace", workspace.slug, "--json")
        result = json.loads(capsys.readouterr().out)
        # article 1: a/b match on QUOTE, bob's "Teheran" unmatched → F1 2·1/(1+2);
        # article 2: one match → pooled 2·2/(2+3) = 0.8
        assert result == {
            "items": 2,
            "coders": 2,
            "span_f1": pytest.approx(0.8),
            "alpha": {"outlet": None, "cited": None, "anonymous": None},
        }
        call_command(
            "agreement", "--workspace", workspace.slug, "--article", str(article.pk), "--json"
        )
        one = json.loads(capsys.readouterr().out)
        assert one["items"] == 1 and one["span_f1"] == pytest.approx(2 / 3)
        assert isinstance(one["items"], int) and isinstance(one["span_f1"], float)

    def test_text_report_and_errors(self, workspace, alice, capsys):
        call_command("agreement", "--workspace", workspace.slug, "--bootstrap")
        assert "coders: 0" in capsys.readouterr().out
        with pytest.raises(CommandError, match="No workspace"):
            call_command("agreement", "--workspace", "nope", "--json")
        elsewhere = make_seed_article(workspace=make_workspace(), user=alice)
        with pytest.raises(CommandError, match="No article"):
            call_command("agreement", "--workspace", workspace.slug, "--article", str(elsewhere.pk))
