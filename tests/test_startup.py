"""The web server's start-up step: objects alive at start-up are left out of GC passes."""

import gc

from config.startup import freeze_startup_objects


def test_startup_objects_are_frozen_out_of_garbage_collection():
    try:
        freeze_startup_objects()
        # Django, every app and the views the URLconf imports: many thousands of objects.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # the test process goes on collecting as before
