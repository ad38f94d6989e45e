"""Signals other apps subscribe to (a higher app connects; articles never imports it).

``article_imported`` is sent once an imported article is committed (web form, batch, text,
command line), with ``article`` and ``user``. E.g. annotations can queue its suggestions::

    from articles.signals import article_imported
    from jobs.queue import enqueue

    def queue_suggestions(sender, *, article, **kwargs):
        enqueue("annotations.compute_suggestions", article_id=article.pk)

    article_imported.connect(queue_suggestions)   # in AnnotationsConfig.ready()
"""

from django.dispatch import Signal

article_imported = Signal()
