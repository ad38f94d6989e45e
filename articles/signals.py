"""Signals other apps subscribe to (a higher app connects; articles never imports it).

``article_imported`` is sent once an imported article is committed (web form, batch, text,
command line), with ``article`` and ``user``. E.g. annotations can queue its suggestions::

    from articles.signals import article_imported
    from jobs.queue import enqueue

    def queue_suggestions(sender, *, article, **kwargs):
        enqueue("annotations.compute_suggestions", article_id=article.pk)

    article_imported.connect(queue_suggestions)   # in AnnotationsConfig.ready()

``article_text_changed`` is sent inside the transaction that made a new revision, after the
blocks were replaced: receivers (annotations re-anchors the claims) run in that transaction,
so a revision and everything that follows from it commit or roll back together. Keyword
arguments: ``article``, ``revision`` (the new ArticleRevision), ``old_text`` and ``new_text``
(canonical texts), ``user``. A receiver may return a dict of counts, which ``create_revision``
adds up (``reanchored``, ``orphaned``).
"""

from django.dispatch import Signal

article_imported = Signal()
article_text_changed = Signal()
