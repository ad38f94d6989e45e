"""Newest-first pages of big tables without COUNT(*): keyset ("?before=<id>", "?after=<id>")
pages read `size` rows from an index on (…, id DESC) however deep the page is.

Links are "Newer" and "Older", not page numbers. An old "?page=N" link still works (best
effort, by OFFSET without a count); so do ranked results (search), whose order is no key.
Lists in another order that is a key (most used first, then by label and id: the Sources
page) page the same way from the row a link names (sorted_page).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import QueryDict


def query_without_empty(params: QueryDict) -> str | None:
    """The query string without its empty parameters (`?since=&until=` from a plain GET
    filter form), or None when none is empty: a list page redirects to the tidy address."""
    pairs = [(k, v) for k, values in params.lists() for v in values]
    kept = [(k, v) for k, v in pairs if v != ""]
    return None if len(kept) == len(pairs) else urlencode(kept)


@dataclass
class KeysetPage:
    """One page: its rows, and the query-string changes that lead to the pages around it
    ({} when there is none). Iterates over its rows, like a Paginator page."""

    items: list = field(default_factory=list)
    newer: dict = field(default_factory=dict)
    older: dict = field(default_factory=dict)
    offset: int = 0  # rows before this one (offset pages only)
    # More rows exist than the pages reach (a search ranks only its newest matches).
    truncated: bool = False

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def has_newer(self) -> bool:
        return bool(self.newer)

    @property
    def has_older(self) -> bool:
        return bool(self.older)

    @property
    def has_other_pages(self) -> bool:
        return self.has_newer or self.has_older


def _positive_int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None  # ids are bigints


def _links(*, before=None, after=None, page=None) -> dict:
    # Every link names exactly one position: the other keys are dropped ({% querystring %}).
    return {"before": before, "after": after, "page": page}


def _offset_page(rows: QuerySet, *, number: int, size: int) -> KeysetPage:
    items = list(rows[(number - 1) * size : number * size + 1])
    if not items and number > 1:  # past the end: the first page, as Paginator.get_page did
        return _offset_page(rows, number=1, size=size)
    older = _links(page=number + 1) if len(items) > size else {}
    newer = _links(page=number - 1) if number > 1 else {}
    return KeysetPage(items=items[:size], newer=newer, older=older, offset=(number - 1) * size)


def ranked_page(rows: QuerySet, *, params: Mapping, size: int) -> KeysetPage:
    """A page of rows in an order that is not by id (search ranking): `?page=N`, no count."""
    return _offset_page(rows, number=_positive_int(params.get("page")) or 1, size=size)


def _rows_from(rows: QuerySet, *, before, after, size: int) -> tuple[list, bool]:
    """The page's rows newest first, and whether more lie beyond it in the direction read."""
    if after is not None:
        items = list(rows.filter(pk__gt=after).order_by("pk")[: size + 1])
        return items[:size][::-1], len(items) > size
    newest = rows.filter(pk__lt=before) if before is not None else rows
    items = list(newest.order_by("-pk")[: size + 1])
    return items[:size], len(items) > size


def keyset_page(rows: QuerySet, *, params: Mapping, size: int) -> KeysetPage:
    """A page of `rows` newest (highest id) first, from `?before=`/`?after=` (or `?page=`).

    The newest page is one query (size + 1 rows: is there an older one?); a page further
    on is two (the other direction is one index probe)."""
    before, after = _positive_int(params.get("before")), _positive_int(params.get("after"))
    page_number = _positive_int(params.get("page"))
    if after is None and before is None and page_number and page_number > 1:
        return _offset_page(rows.order_by("-pk"), number=page_number, size=size)
    items, more = _rows_from(rows, before=before, after=after, size=size)
    if not items:
        if before is not None or after is not None:
            return keyset_page(rows, params={}, size=size)  # a stale link: the newest page
        return KeysetPage()
    first, last = items[0].pk, items[-1].pk
    if after is not None:
        newer = _links(after=first) if more else {}
        older = _links(before=last) if rows.filter(pk__lt=last).exists() else {}
    else:
        older = _links(before=last) if more else {}
        newer = {}
        if before is not None and rows.filter(pk__gt=first).exists():
            newer = _links(after=first)
    return KeysetPage(items=items, newer=newer, older=older)


def _beyond(values: Mapping, *, order: list[tuple[str, bool]], backwards: bool = False) -> Q:
    """Rows strictly after (or, `backwards`, before) the row whose `values` are given, in
    `order`: (field, descending) pairs, the last of which is unique (the primary key).

    (a, b, pk) after (x, y, z) is  a > x  OR  a = x AND b > y  OR  a = x AND b = y AND pk > z,
    with < for a descending field; the fields must not be NULL."""
    beyond, same = Q(), Q()
    for name, descending in order:
        lookup = "lt" if descending != backwards else "gt"
        beyond |= same & Q(**{f"{name}__{lookup}": values[name]})
        same &= Q(**{name: values[name]})
    return beyond


def _order_by(order: list[tuple[str, bool]], *, backwards: bool = False) -> list[str]:
    return [("-" if descending != backwards else "") + name for name, descending in order]


def _sorted_rows_before(
    rows: QuerySet, cursor: Mapping, *, order: list[tuple[str, bool]], size: int
) -> KeysetPage:
    found = rows.filter(_beyond(cursor, order=order, backwards=True))
    items = list(found.order_by(*_order_by(order, backwards=True))[: size + 1])
    more = len(items) > size
    items = items[:size][::-1]
    if not items:
        return KeysetPage()
    newer = {"before": items[0].pk} if more else {}
    return KeysetPage(items=items, newer=newer, older={"after": items[-1].pk})


def _sorted_rows_after(
    rows: QuerySet, cursor: Mapping | None, *, order: list[tuple[str, bool]], size: int
) -> KeysetPage:
    found = rows.filter(_beyond(cursor, order=order)) if cursor is not None else rows
    items = list(found.order_by(*_order_by(order))[: size + 1])
    more = len(items) > size
    items = items[:size]
    if not items:
        return KeysetPage()
    older = {"after": items[-1].pk} if more else {}
    newer = {"before": items[0].pk} if cursor is not None else {}
    return KeysetPage(items=items, newer=newer, older=older)


def sorted_page(
    rows: QuerySet, *, order: list[tuple[str, bool]], params: Mapping, size: int
) -> KeysetPage:
    """A page of `rows` in `order` ((field, descending) pairs ending with ("pk", …); the
    fields may be annotations), from `?after=<pk>`/`?before=<pk>`: the rows that follow or
    precede that row. No OFFSET and no count, so a deep page costs what the first does: one
    query for the first page, two further on (the row the link names, then the page).

    `newer` leads to the page before, `older` to the page after (as in keyset_page). A link
    to a row that is gone (merged, renamed out of a filter) lands on the first page."""
    after, before = _positive_int(params.get("after")), _positive_int(params.get("before"))
    if after is None and before is None:
        return _sorted_rows_after(rows, None, order=order, size=size)
    names = [name for name, _ in order]
    cursor = rows.filter(pk=after if after is not None else before).values(*names).first()
    page = KeysetPage()
    if cursor is not None and before is not None:
        page = _sorted_rows_before(rows, cursor, order=order, size=size)
    elif cursor is not None:
        page = _sorted_rows_after(rows, cursor, order=order, size=size)
    return page or _sorted_rows_after(rows, None, order=order, size=size)
