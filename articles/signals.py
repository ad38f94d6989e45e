"""Signals articles send to the apps above it (which articles may not import).

``article_text_changed`` is sent inside the transaction that made a new revision, after the
blocks were replaced: receivers (annotations re-anchors the claims) run in that transaction,
so a revision and everything that follows from it commit or roll back together. Keyword
arguments: ``article``, ``revision`` (the new ArticleRevision), ``old_text`` and ``new_text``
(canonical texts), ``user``. A receiver may return a dict of counts, which ``create_revision``
adds up (``reanchored``, ``orphaned``).
"""

from django.dispatch import Signal

article_text_changed = Signal()
