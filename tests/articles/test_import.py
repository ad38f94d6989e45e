import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import SEED_PATH

from articles.models import Article, Block

IMPORT_URL = reverse("articles:import")
ENGLISH = (
    "Officials say the bridge will reopen in May\n\n"
    "The city's transport department said on Monday that repairs were ahead of schedule.\n\n"
    "Workers found less corrosion than expected, a spokesperson told reporters."
)


def upload(name: str, data: bytes, content_type: str = "text/plain") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_import(client, **data):
    return client.post(IMPORT_URL, data)


@pytest.mark.django_db
class TestGoodImports:
    def test_pasted_text_saves_blocks_in_order(self, alice_client, workspace):
        response = post_import(alice_client, text=ENGLISH, outlet="Local Paper")
        article = Article.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/articles/{article.pk}/"
        assert article.title == "Officials say the bridge will reopen in May"
        assert article.language == "en"
        assert article.search_config == "english"
        assert article.outlet == "Local Paper"
        assert article.created_by.username == "alice"
        blocks = list(article.blocks.order_by("position"))
        assert [b.kind for b in blocks] == ["headline", "paragraph", "paragraph"]
        assert [b.position for b in blocks] == [0, 1, 2]
        assert blocks[2].text.startswith("Workers found less corrosion")

    def test_seed_file_upload(self, alice_client, workspace):
        data = SEED_PATH.read_bytes()
        response = alice_client.post(IMPORT_URL, {"file": upload("seed.txt", data)})
        assert response.status_code == 302
        article = Article.objects.get()
        assert article.language == "de"
        assert article.search_config == "german"
        assert article.title.startswith("Laut Bericht treibt Russland")
        assert article.blocks.count() == 24

    @pytest.mark.parametrize(
        "data",
        [
            "Überschrift ohne Punkt\n\nDer Bürgermeister äußerte sich zu Straßen.".encode(),
            "\ufeffÜberschrift ohne Punkt\n\nDer Bürgermeister äußerte sich.".encode(),
            "Überschrift ohne Punkt\r\n\r\nDer Bürgermeister äußerte sich – „so“.".encode("cp1252"),
        ],
        ids=["utf-8", "utf-8-bom", "windows-1252"],
    )
    def test_encodings(self, alice_client, workspace, data):
        response = alice_client.post(IMPORT_URL, {"file": upload("a.txt", data)})
        assert response.status_code == 302
        article = Article.objects.get()
        assert article.title == "Überschrift ohne Punkt"
        assert "Bürgermeister äußerte" in article.blocks.get(position=1).text
        assert "\ufeff" not in article.title

    def test_explicit_title_and_language_win(self, alice_client, workspace):
        post_import(alice_client, text=ENGLISH, title="My title", language="de")
        article = Article.objects.get()
        assert article.title == "My title"
        assert article.language == "de"

    def test_same_text_twice_asks_before_a_second_article(self, alice_client, workspace):
        post_import(alice_client, text=ENGLISH)
        asked = post_import(alice_client, text=ENGLISH)
        assert asked.status_code == 200 and "New revision of" in asked.content.decode()
        assert Article.objects.count() == 1
        post_import(alice_client, text=ENGLISH, duplicate="new")
        assert Article.objects.count() == 2
        assert Block.objects.count() == 6

    def test_import_lands_in_current_workspace(self, client, bob, workspace):
        client.force_login(bob)
        post_import(client, text=ENGLISH)
        assert Article.objects.get().workspace == workspace


@pytest.mark.django_db
class TestBadImports:
    def assert_refused(self, response, message: str):
        assert response.status_code == 400
        assert message in response.content.decode()
        assert Article.objects.count() == 0
        assert Block.objects.count() == 0

    def test_empty_file(self, alice_client, workspace):
        response = alice_client.post(IMPORT_URL, {"file": upload("empty.txt", b"  \n\n ")})
        self.assert_refused(response, "The file is empty.")

    def test_nothing_given(self, alice_client, workspace):
        self.assert_refused(post_import(alice_client, text="  "), "Paste the article")

    def test_binary_file(self, alice_client, workspace):
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
        response = alice_client.post(IMPORT_URL, {"file": upload("picture.txt", png)})
        self.assert_refused(response, "looks like a binary file")

    def test_file_over_the_limit(self, alice_client, workspace):
        big = (b"A long paragraph of text that repeats. " * 30 + b"\n\n") * 18_000  # ~21 MB
        assert len(big) > 20_000_000
        response = alice_client.post(IMPORT_URL, {"file": upload("big.txt", big)})
        self.assert_refused(response, "the limit is 5 MB")

    def test_bad_charset(self, alice_client, workspace):
        # 0x81 and 0x9d are undefined in Windows-1252 and invalid UTF-8.
        data = b"Headline here\n\nSome text \x81\x9d with broken bytes."
        response = alice_client.post(IMPORT_URL, {"file": upload("bad.txt", data)})
        self.assert_refused(response, "neither UTF-8 nor Windows-1252")

    def test_utf16_is_explained(self, alice_client, workspace):
        data = "Headline\n\nText.".encode("utf-16")
        response = alice_client.post(IMPORT_URL, {"file": upload("u16.txt", data)})
        self.assert_refused(response, "UTF-16")

    def test_missing_title(self, alice_client, workspace):
        text = (
            "This first line is a full sentence that ends with a period, so it is no headline.\n\n"
            "And this is another paragraph of the body text."
        )
        self.assert_refused(post_import(alice_client, text=text), "needs a title")

    def test_wrong_file_type(self, alice_client, workspace):
        response = alice_client.post(IMPORT_URL, {"file": upload("a.pdf", b"%PDF-1.4")})
        self.assert_refused(response, "Only .txt files")

    def test_text_and_file_together(self, alice_client, workspace):
        response = alice_client.post(
            IMPORT_URL, {"text": ENGLISH, "file": upload("a.txt", ENGLISH.encode())}
        )
        self.assert_refused(response, "not both")


@pytest.mark.django_db
def test_viewer_cannot_import(client, charlie, workspace):
    from factories import add_member

    add_member(workspace=workspace, user=charlie, role="viewer")
    client.force_login(charlie)
    response = post_import(client, text=ENGLISH)
    assert response.status_code == 403
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
