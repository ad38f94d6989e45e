"""How size limits are shown to people: one wording for every "too large" message.

No model imports (only Django's gettext), so articles.fetching can use it as well as the
import services and views.
"""

from __future__ import annotations

from django.utils.translation import gettext

MB = 1024 * 1024


def format_size(size: int) -> str:
    """``10485760`` → ``"10 MB"``, ``1536`` → ``"1 KB"``, ``1572864`` → ``"1.5 MB"``."""
    if size >= MB and size % MB == 0:
        return f"{size // MB} MB"
    if size >= MB:
        return f"{size / MB:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def file_too_large_message(*, size: int, limit: int) -> str:
    """What a person is told when a file they gave is over ``limit`` bytes."""
    return gettext("The file is %(size)s MB; the limit is %(limit)s.") % {
        "size": f"{size / MB:.1f}",
        "limit": format_size(limit),
    }


def page_too_large_message(*, limit: int) -> str:
    """What a person is told when a fetched page is over ``limit`` bytes."""
    return gettext("The page is too large to import (the limit is %(limit)s).") % {
        "limit": format_size(limit)
    }


def text_too_large_message(*, limit: int) -> str:
    """What a person is told when pasted or uploaded text is over ``limit`` bytes."""
    return gettext("The text is over the %(limit)s limit.") % {"limit": format_size(limit)}


def unpacked_too_large_message(*, limit: int) -> str:
    """What a person is told when a compressed page unpacks to more than ``limit`` bytes."""
    return gettext("The unpacked page is over the %(limit)s limit.") % {"limit": format_size(limit)}
