"""The Sources dashboard and the reading page's source summary, in Chromium (screenshots of
both in light and dark, desktop and phone, go to /tmp/shots-dash/)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from factories import make_article, make_seed_article

from annotations import services
from annotations.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("DASH_SHOTS", "/tmp/shots-dash"))
TEXT = (
    "Officials weigh new sanctions\n\n"
    "The government is preparing new sanctions, according to officials familiar with the talks. "
    "The plan would target banks and energy exports.\n\n"
    "A spokesman declined to comment on the report. Prices rose sharply on Monday after the "
    "news.\n\n"
    "Analysts said the measures could take weeks to agree."
)
QUOTES = [
    ("preparing new sanctions", "WSJ citing US officials", "unverified"),
    ("target banks and energy exports", "Reuters citing the Kremlin", "supported"),
    ("declined to comment on the report", "dpa unter Berufung auf Regierungskreise", "disputed"),
    ("Prices rose sharply on Monday", "AFP citing traders", "false"),
    ("could take weeks to agree", "Bloomberg citing people familiar", "opinion"),
]


def seed(workspace, alice, bob) -> None:
    outlets = [("Der Spiegel", "de"), ("The Guardian", "en"), ("Reuters", "en"), ("FAZ", "de")]
    now = timezone.now()
    for n in range(8):
        outlet, language = outlets[n % len(outlets)]
        article = make_article(
            workspace=workspace, user=alice, text=TEXT, outlet=outlet, language=language
        )
        for i, (quote, _label, status) in enumerate(QUOTES[: 2 + n % 4]):
            author = alice if (n + i) % 2 else bob
            claim = services.create_claim(article=article, author=author, exact=quote)
            services.add_tag(claim=claim, label=QUOTES[(n + i) % len(QUOTES)][1], user=author)
            Claim.objects.filter(pk=claim.pk).update(
                status=status, created_at=now - timedelta(days=4 * n + i)
            )


def no_csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    return errors


def test_dashboard_renders_filters_and_downloads(
    browser_page_for, live_server, workspace, alice, bob
):
    seed(workspace, alice, bob)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page_for(alice)
    errors = no_csp_errors(page)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator(".site-nav a[aria-current=page]").inner_text() == "Dashboard"
    for key in ("mix", "cited", "outlets", "matrix", "status", "weeks"):
        assert page.locator(f"#chart-card-{key} svg.chart-svg").count() == 1, key
    # Bars are links into the claim search; a bar's fill comes from the page's stylesheet.
    link = page.locator("#chart-card-cited svg a").first
    # (shared claims only, as counted: a reader's private ones only when asked for)
    assert link.get_attribute("href").startswith("/search/?shared=yes&cited=")
    fill = page.evaluate(
        "() => getComputedStyle(document.querySelector('#chart-card-cited svg .rect')).fill"
    )
    assert fill not in ("", "none", "rgb(0, 0, 0)")
    page.screenshot(path=str(SHOTS / "dashboard-desktop-light.png"), full_page=True)

    # The data table is there for keyboards and screen readers.
    page.locator("#chart-card-mix details summary").click()
    assert page.locator("#chart-card-mix table a").first.is_visible()

    # A filter applies at once (htmx) and the address follows it.
    total_before = page.locator(".dashboard-total strong").first.inner_text()
    page.select_option("#f-language", "de")
    page.wait_for_url("**language=de**")
    page.wait_for_function(
        "(before) => document.querySelector('.dashboard-total strong').textContent !== before",
        arg=total_before,
    )
    assert "language=de" in page.locator("#chart-card-cited svg a").first.get_attribute("href")
    # Counting one's own private claims too: the links then find them as well.
    page.check("#f-mine")
    page.wait_for_url("**mine=1**")
    first_bar = "document.querySelector('#chart-card-cited svg a')"
    page.wait_for_function(f"() => !{first_bar}.getAttribute('href').includes('shared=yes')")

    # While a filter's numbers load (seconds when a large archive is counted the first time),
    # the page says so, and stops saying it when they are there.
    held = []
    page.route("**/dashboard/?*status=disputed*", lambda route: held.append(route))
    page.select_option("#f-status", "disputed")
    busy = "document.getElementById('dashboard-busy').classList.contains('htmx-request')"
    page.wait_for_function(f"() => {busy}")
    assert page.locator("#dashboard-busy").is_visible()
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_function(f"() => !{busy}")
    assert not page.locator("#dashboard-busy").is_visible()

    with page.expect_download() as download:
        page.locator("#chart-card-cited a[data-png-download]").click()
    assert download.value.suggested_filename == "sourcemark-cited.png"
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as download:
        page.locator("#chart-card-cited a", has_text="CSV").click()
    assert Path(download.value.path()).read_text(encoding="utf-8-sig").startswith("Cited source,")
    assert not errors, errors

    for scheme in ("light", "dark"):
        for width, name in ((1280, "desktop"), (390, "phone")):
            shot = browser_page_for(alice, width=width, color_scheme=scheme)
            shot.goto(f"{live_server.url}/dashboard/")
            shot.screenshot(path=str(SHOTS / f"dashboard-{name}-{scheme}.png"), full_page=True)
            overflow = shot.evaluate(
                "() => document.documentElement.scrollWidth > window.innerWidth + 1"
            )
            assert not overflow, f"{name} {scheme}: the page scrolls sideways"


def test_reading_page_summary_updates_live(browser_page_for, live_server, workspace, alice, bob):
    article = make_seed_article(workspace=workspace, user=alice)
    mine = services.create_claim(article=article, author=alice, exact="Die Beamten sagen")
    services.add_tag(claim=mine, label="WSJ citing US officials", user=alice)
    page = browser_page_for(alice)
    errors = no_csp_errors(page)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    summary = page.locator("#source-summary")
    summary.locator(".source-summary-share").wait_for()
    assert "100 %" in summary.inner_text()
    assert "US officials" in summary.inner_text()

    # bob adds an untagged claim: the summary follows without a reload, on the event the
    # live stream raises for every change (live.js; the stream itself is tested across two
    # server processes in test_live_browser.py, which the test server here is not).
    services.create_claim(article=article, author=bob, exact="Moskau habe bereits")
    page.evaluate("() => window.htmx.trigger(document.body, 'claims-changed')")
    page.wait_for_function(
        "() => document.querySelector('#source-summary .source-summary-share')"
        ".textContent.includes('50 %')"
    )
    assert not errors, errors
    SHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        for width, name in ((1280, "desktop"), (390, "phone")):
            shot = browser_page_for(alice, width=width, color_scheme=scheme)
            shot.goto(f"{live_server.url}{article.get_absolute_url()}")
            shot.locator("#source-summary .source-summary-share").wait_for()
            shot.locator("#source-summary").screenshot(
                path=str(SHOTS / f"summary-{name}-{scheme}.png")
            )
