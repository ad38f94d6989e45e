"""The Sources dashboard and the per-article summary: counts on small hand-built data."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import add_member, make_article, make_user

from annotations import services
from annotations.models import Claim, Visibility
from insights import charts, selectors
from insights.models import SourceCount
from insights.selectors import DashboardFilters
from workspaces.models import Role

PARAGRAPH_1 = "The first paragraph says what happened, according to officials."
PARAGRAPH_2 = "A second paragraph adds detail and context for the reader."


def claim(article, author, exact, *, tags=(), status="unverified", private=False):
    made = services.create_claim(
        article=article,
        author=author,
        exact=exact,
        visibility=Visibility.PRIVATE if private else Visibility.WORKSPACE,
    )
    for label in tags:
        services.add_tag(claim=made, label=label, user=author)
    if status != "unverified":
        Claim.objects.filter(pk=made.pk).update(status=status)
    return made


@pytest.fixture
def data(workspace, alice, bob):
    """Two articles (Spiegel, de; Guardian, en) with claims by alice and bob.

    Visible to alice: c1 (anonymous, WSJ citing US officials), c2 (named, Reuters citing the
    Kremlin, supported), c3 (untagged, bob), c4 (bob, dpa citing Regierungskreise, anonymous,
    disputed). Bob's private claim c5 (Bild citing informant, anonymous) only bob sees.
    """
    spiegel = make_article(workspace=workspace, user=alice, outlet="Der Spiegel", language="de")
    guardian = make_article(workspace=workspace, user=alice, outlet="The Guardian", language="en")
    c1 = claim(spiegel, alice, "what happened", tags=["WSJ citing US officials"])
    c2 = claim(
        spiegel, alice, "adds detail", tags=["Reuters citing the Kremlin"], status="supported"
    )
    c3 = claim(guardian, bob, "what happened")
    c4 = claim(
        guardian,
        bob,
        "adds detail",
        tags=["dpa unter Berufung auf Regierungskreise"],
        status="disputed",
    )
    c5 = claim(
        guardian, bob, "context for the reader", tags=["Bild citing informant"], private=True
    )
    return {"spiegel": spiegel, "guardian": guardian, "claims": [c1, c2, c3, c4, c5]}


def test_counts_leave_out_others_private_claims(data, workspace, alice, bob):
    seen = selectors.compute_dashboard(
        workspace_id=workspace.pk, user=alice, filters=DashboardFilters()
    )
    assert (seen.total, seen.anonymous, seen.named, seen.untagged) == (4, 2, 1, 1)
    assert dict(seen.top_outlets) == {"WSJ": 1, "Reuters": 1, "dpa": 1}
    assert "Bild" not in dict(seen.top_outlets)
    assert dict(seen.top_cited) == {"US officials": 1, "Kremlin": 1, "Regierungskreise": 1}
    # bob sees the same shared numbers, and his own private claim when he asks for it
    his = selectors.compute_dashboard(
        workspace_id=workspace.pk, user=bob, filters=DashboardFilters()
    )
    assert his == seen
    his = selectors.compute_dashboard(
        workspace_id=workspace.pk, user=bob, filters=DashboardFilters(mine=True)
    )
    assert (his.total, his.anonymous) == (5, 3)
    assert dict(his.top_outlets)["Bild"] == 1


def test_saved_counts_say_how_many_own_claims_are_left_out(data, workspace, alice, bob):
    shared = selectors.dashboard(workspace_id=workspace.pk, user=bob, filters=DashboardFilters())
    assert (shared.total, shared.own_unshared, shared.includes_own) == (4, 1, False)
    mine = selectors.dashboard(
        workspace_id=workspace.pk, user=bob, filters=DashboardFilters(mine=True)
    )
    assert (mine.total, mine.own_unshared, mine.includes_own) == (5, 1, True)
    # one saved count serves both views
    assert SourceCount.objects.filter(scope=selectors.SHARED).count() == 1
    hers = selectors.dashboard(workspace_id=workspace.pk, user=alice, filters=DashboardFilters())
    assert (hers.total, hers.own_unshared) == (4, 0)


def test_matrix_status_and_weeks(data, workspace, alice):
    seen = selectors.compute_dashboard(
        workspace_id=workspace.pk, user=alice, filters=DashboardFilters()
    )
    cells = {
        (row, column): seen.matrix_cells[i][j]
        for i, row in enumerate(seen.matrix_rows)
        for j, column in enumerate(seen.matrix_columns)
    }
    assert cells[("Der Spiegel", "WSJ")] == 1
    assert cells[("Der Spiegel", "Reuters")] == 1
    assert cells[("The Guardian", "dpa")] == 1
    assert cells[("The Guardian", "WSJ")] == 0
    by_label = {label: counts for _pk, label, counts in seen.status_sources}
    assert by_label["Reuters citing the Kremlin"]["supported"] == 1
    assert by_label["dpa unter Berufung auf Regierungskreise"]["disputed"] == 1
    assert "Bild citing informant" not in by_label
    assert sum(count for _week, count in seen.weeks) == 4
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert seen.weeks[-1] == (monday, 4)


@pytest.mark.parametrize(
    ("filters", "total"),
    [
        (DashboardFilters(outlet="Der Spiegel"), 2),
        (DashboardFilters(language="en"), 2),
        (DashboardFilters(status="disputed"), 1),
        (DashboardFilters(annotator="bob"), 2),
        (DashboardFilters(since=timezone.localdate()), 4),
        (DashboardFilters(until=timezone.localdate() - timedelta(days=1)), 0),
    ],
)
def test_filters(data, workspace, alice, filters, total):
    seen = selectors.compute_dashboard(workspace_id=workspace.pk, user=alice, filters=filters)
    assert seen.total == total


def test_tag_filter(data, workspace, alice):
    tag = data["claims"][0].tags.get()
    seen = selectors.compute_dashboard(
        workspace_id=workspace.pk, user=alice, filters=DashboardFilters(tag=tag.pk)
    )
    assert (seen.total, seen.anonymous, dict(seen.top_outlets)) == (1, 1, {"WSJ": 1})


def test_saved_counts_follow_changes(data, workspace, alice, bob, monkeypatch):
    queued = []
    monkeypatch.setattr(selectors, "enqueue_once", lambda name, **kwargs: queued.append(kwargs))
    none = DashboardFilters()
    before = selectors.dashboard(workspace_id=workspace.pk, user=alice, filters=none)
    assert SourceCount.objects.filter(scope="shared").count() == 1
    # bob's private claim is in his own row, not in the shared one
    assert SourceCount.objects.filter(scope=str(bob.pk)).get().counts["total"] == 1
    claim(data["spiegel"], alice, "context for the reader", tags=["AFP citing police"])

    # Within a minute of the count a changed workspace's numbers are shown as they were…
    recent = selectors.dashboard(workspace_id=workspace.pk, user=alice, filters=none)
    assert recent.total == before.total and recent.recounting and not queued
    # …after it, a recount is queued (once) and the old numbers stay until it is done.
    monkeypatch.setattr(selectors, "FRESH_SECONDS", 0)
    later = selectors.dashboard(workspace_id=workspace.pk, user=alice, filters=none)
    assert later.total == before.total and len(queued) == 1
    selectors.recount(key=queued[0]["key"])
    after = selectors.dashboard(workspace_id=workspace.pk, user=alice, filters=none)
    assert after.total == before.total + 1 and not after.recounting
    his = selectors.dashboard(
        workspace_id=workspace.pk, user=bob, filters=DashboardFilters(mine=True)
    )
    assert his.total == after.total + 1
    assert "Bild" in dict(his.top_outlets) and "Bild" not in dict(after.top_outlets)

    # Far behind (no worker ran): counted again at once.
    claim(data["guardian"], alice, "what happened")
    monkeypatch.setattr(selectors, "STALE_SECONDS", 0)
    now = selectors.dashboard(workspace_id=workspace.pk, user=alice, filters=none)
    assert now.total == after.total + 1 and not now.recounting


def test_saved_counts_match_a_direct_count(data, workspace, alice, bob):
    for user in (alice, bob):
        for filters in (
            DashboardFilters(),
            DashboardFilters(language="en"),
            DashboardFilters(mine=True),
        ):
            saved = selectors.dashboard(workspace_id=workspace.pk, user=user, filters=filters)
            direct = selectors.compute_dashboard(
                workspace_id=workspace.pk, user=user, filters=filters
            )
            saved.counted_at = direct.counted_at = None
            saved.own_unshared = saved.includes_own = 0
            assert saved == direct


def test_page_renders_charts_with_links(data, client, alice):
    client.force_login(alice)
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("mix", "cited", "outlets", "matrix", "status", "weeks"):
        assert f'id="chart-card-{key}"' in page
    assert "<script" not in page.split("<main", 1)[1]  # no inline script in the charts
    assert "<style" not in page
    assert ' style="' not in page
    assert 'href="/search/?shared=yes&amp;anonymous=yes"' in page
    assert 'href="/search/?shared=yes&amp;cited=US+officials"' in page
    assert "Bild" not in page  # bob's private tag


def test_filtered_links_carry_the_filters(data, client, alice):
    client.force_login(alice)
    response = client.get(reverse("insights:dashboard"), {"status": "disputed", "outlet": "x"})
    page = response.content.decode()
    assert "No claims match." in page
    response = client.get(reverse("insights:dashboard"), {"status": "disputed"})
    page = response.content.decode()
    assert 'href="/search/?status=disputed&amp;shared=yes&amp;cited=Regierungskreise"' in page


def test_bad_filters_are_reported_not_500(data, client, alice):
    client.force_login(alice)
    response = client.get(
        reverse("insights:dashboard"),
        {"since": "2026-13-45", "tag": "abc", "status": "nope", "until": "2020-01-01"},
    )
    assert response.status_code == 200
    assert "left out" in response.content.decode()


def test_htmx_gets_the_results_partial(data, client, alice):
    client.force_login(alice)
    response = client.get(
        reverse("insights:dashboard"),
        {"language": "de"},
        headers={"HX-Request": "true", "HX-Target": "dashboard-results"},
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="dashboard-results"')
    assert "<html" not in page


def test_csv_download(data, client, alice):
    client.force_login(alice)
    response = client.get(reverse("insights:chart_csv", args=["mix"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Sources", "Claims"],
        ["Anonymous sources", "2"],
        ["Named sources only", "1"],
        ["No source tag", "1"],
    ]
    response = client.get(reverse("insights:chart_csv", args=["matrix"]), {"language": "de"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Article outlet", "Reuters", "WSJ"]
    assert rows[1] == ["Der Spiegel", "1", "1"]


def test_svg_download_is_a_standalone_file(data, client, alice):
    client.force_login(alice)
    response = client.get(reverse("insights:chart_svg", args=["status"]))
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert body.startswith("<?xml") and "<svg" in body
    assert "<script" not in body
    assert "Reuters citing the Kremlin" in body


def test_unknown_chart_is_404(data, client, alice):
    client.force_login(alice)
    assert client.get(reverse("insights:chart_csv", args=["nope"])).status_code == 404


def test_outsider_sees_nothing(data, client, charlie):
    client.force_login(charlie)
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 200  # the "no workspace yet" page
    assert "WSJ" not in response.content.decode()
    assert client.get(reverse("insights:chart_csv", args=["mix"])).status_code == 404
    assert client.get(reverse("insights:chart_svg", args=["mix"])).status_code == 404
    summary = reverse("insights:article_summary", args=[data["spiegel"].pk])
    assert client.get(summary).status_code == 404


def test_other_workspace_is_not_counted(data, alice):
    other_owner = make_user("dora")
    from factories import make_workspace

    elsewhere = make_workspace(owner=other_owner)
    add_member(workspace=elsewhere, user=alice, role=Role.VIEWER)
    article = make_article(workspace=elsewhere, user=other_owner, outlet="Elsewhere")
    claim(article, other_owner, "what happened", tags=["AP citing police"])
    mine = selectors.compute_dashboard(
        workspace_id=data["spiegel"].workspace_id, user=alice, filters=DashboardFilters()
    )
    assert "AP" not in dict(mine.top_outlets)


def test_article_summary(data, client, alice, bob):
    guardian = data["guardian"]
    summary = selectors.article_summary(article=guardian, user=alice)
    assert (summary.total, summary.anonymous, summary.untagged) == (2, 1, 1)
    assert summary.anonymous_percent == 50
    assert dict(summary.outlets) == {"dpa": 1}
    assert {value: n for value, _label, n in summary.statuses} == {"unverified": 1, "disputed": 1}
    assert selectors.article_summary(article=guardian, user=bob).total == 3

    client.force_login(alice)
    url = reverse("insights:article_summary", args=[guardian.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section class="card side-card source-summary"')
    assert "Regierungskreise" in fragment and "informant" not in fragment
    assert "50 %" in fragment
    assert "<html" in client.get(url).content.decode()  # a page of its own without htmx


def test_reading_page_includes_the_summary(data, client, alice):
    client.force_login(alice)
    page = client.get(data["guardian"].get_absolute_url()).content.decode()
    assert 'id="source-summary"' in page
    assert 'hx-trigger="load, claims-changed from:body"' in page


def test_search_link_helper_is_the_contract():
    filters = DashboardFilters(annotator="bob", tag=3)
    url = charts.claim_search_url(filters=filters, anonymous="no", status="false")
    assert url == "/search/?tag=3&annotator=bob&shared=yes&anonymous=no&status=false"
    mine = DashboardFilters(mine=True)
    assert charts.claim_search_url(filters=mine, cited="X") == "/search/?cited=X"


def test_saved_matrix_keeps_exact_cells_for_its_busiest_outlets(
    data, workspace, alice, bob, monkeypatch
):
    claim(data["guardian"], bob, "A second paragraph", tags=["dpa citing police"])
    claim(data["guardian"], alice, "context for the reader", tags=["dpa citing ministers"])
    monkeypatch.setattr(selectors, "MATRIX_KEPT", 1)
    saved = selectors.dashboard(workspace_id=workspace.pk, user=bob, filters=DashboardFilters())
    direct = selectors.compute_dashboard(
        workspace_id=workspace.pk, user=bob, filters=DashboardFilters()
    )
    # The Guardian × dpa is the busiest row and column; only that block is shown, exactly.
    assert (saved.matrix_rows, saved.matrix_columns) == (["The Guardian"], ["dpa"])
    cell = direct.matrix_cells[direct.matrix_rows.index("The Guardian")]
    assert saved.matrix_cells == [[cell[direct.matrix_columns.index("dpa")]]]
    assert saved.matrix_cells == [[3]]


@pytest.mark.parametrize(
    ("filters", "total"),
    [
        (DashboardFilters(), 4),
        (DashboardFilters(language="de"), 2),
        (DashboardFilters(outlet="The Guardian"), 2),
    ],
)
def test_matrix_cell_links_find_exactly_the_claims_counted(data, client, alice, filters, total):
    """Each cell's link opens a search for its row (the article's outlet) and column (the
    tag's outlet): as many results as the cell counts. WSJ is cited in both articles, so a
    link that dropped its row would find two."""
    claim(data["guardian"], alice, "context for the reader", tags=["WSJ citing US officials"])
    seen = selectors.compute_dashboard(
        workspace_id=data["spiegel"].workspace_id, user=alice, filters=filters
    )
    chart = charts._matrix_chart(seen, filters)
    client.force_login(alice)
    checked = 0
    for j, series in enumerate(chart.series):
        for i, link in enumerate(series.links):
            assert link is not None and link.startswith(reverse("search:search") + "?")
            response = client.get(link)
            assert response.status_code == 200
            assert not response.context["form"].errors
            assert len(response.context["page"].items) == seen.matrix_cells[i][j], link
            checked += seen.matrix_cells[i][j]
    assert checked == total


@pytest.mark.parametrize("mine", [False, True])
def test_links_find_what_a_reader_with_private_claims_was_shown(data, client, bob, mine):
    """bob has a private claim: without "mine" the bars count (and link to) shared claims
    only, with it his own too; either way each bar's link finds as many claims as it counts."""
    filters = DashboardFilters(mine=mine)
    seen = selectors.compute_dashboard(
        workspace_id=data["spiegel"].workspace_id, user=bob, filters=filters
    )
    client.force_login(bob)
    checked = 0
    for chart in (charts._mix_chart(seen, filters), charts._matrix_chart(seen, filters)):
        for series in chart.series:
            for value, link in zip(series.values, series.links, strict=True):
                if link is None:
                    continue
                response = client.get(link)
                assert len(response.context["page"].items) == value, link
                checked += value
    assert checked == (5 + 4 if mine else 4 + 3)  # the mix: every claim; the matrix cells


def test_page_says_whether_own_private_claims_are_counted(data, client, bob):
    client.force_login(bob)
    page = client.get(reverse("insights:dashboard")).content.decode()
    assert "your 1 private claim is not counted" in page
    assert 'href="?mine=1"' in page
    page = client.get(reverse("insights:dashboard"), {"mine": "1"}).content.decode()
    assert "Includes your 1 private claim." in page
    assert 'id="f-mine" name="mine" value="1" checked' in page


def test_dashboard_drops_empty_parameters(data, client, alice):
    client.force_login(alice)
    response = client.get(reverse("insights:dashboard"), {"since": "", "status": "disputed"})
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:dashboard") + "?status=disputed"
    response = client.get(
        reverse("insights:dashboard"), {"since": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
