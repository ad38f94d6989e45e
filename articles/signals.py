"""Signals the articles app sends; higher apps (annotations) connect to them in ready().

`article_imported(sender=Article, article_id=...)` is sent after an import's transaction
commits (``transaction.on_commit``), so a receiver sees the saved article and its blocks.
"""

from django.dispatch import Signal

article_imported = Signal()
