import os

from django.core.wsgi import get_wsgi_application

from config.checks import refuse_weak_secret_key
from config.startup import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
freeze_startup_objects()
# The web server never runs `check --deploy`: refuse to serve with a guessable SECRET_KEY.
refuse_weak_secret_key()
