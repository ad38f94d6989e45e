"""The one wording of size-limit messages (articles.limits)."""

import pytest

from articles.limits import file_too_large_message, format_size, page_too_large_message


@pytest.mark.parametrize(
    "size, text",
    [
        (10 * 1024 * 1024, "10 MB"),
        (5 * 1024 * 1024, "5 MB"),
        (1536 * 1024, "1.5 MB"),
        (1536, "1 KB"),
        (1000, "1000 bytes"),
    ],
)
def test_format_size(size, text):
    assert format_size(size) == text


def test_file_too_large_message():
    message = file_too_large_message(size=6 * 1024 * 1024 + 200_000, limit=5 * 1024 * 1024)
    assert message == "The file is 6.2 MB; the limit is 5 MB."


def test_page_too_large_message():
    assert page_too_large_message(limit=10 * 1024 * 1024) == (
        "The page is too large to import (the limit is 10 MB)."
    )
