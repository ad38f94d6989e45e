import os

from django.core.wsgi import get_wsgi_application

from config.checks import refuse_weak_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# The web server never runs `check --deploy`: refuse to serve with a guessable SECRET_KEY.
refuse_weak_secret_key()
