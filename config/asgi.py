import os

from django.core.asgi import get_asgi_application

from config.checks import refuse_weak_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()
# The web server never runs `check --deploy`: refuse to serve with a guessable SECRET_KEY.
refuse_weak_secret_key()
