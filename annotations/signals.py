"""Signals other apps subscribe to (a higher app connects; annotations never imports it).

``bulk_tag_change`` is sent once a transaction that renamed, merged or unmerged a busy source
tag (more than ``services.BULK_TAG_LINKS`` claims) has committed, with ``tag_ids``. While
that change ran, the transaction-local database setting ``sourcemark.bulk_tag_change`` was
``on``: triggers of higher apps that would redo per-claim work for each of the tag's claims
inside the change (search rebuilding 100,000 search documents took 22 s) note the tag
instead and leave the work to a background job, which this signal starts.
"""

from django.dispatch import Signal

bulk_tag_change = Signal()
