# syntax=docker/dockerfile:1
# Build stage: install pinned dependencies into a virtualenv and collect static files.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install -r requirements.txt
# .dockerignore keeps tests/, bench/, dev tooling and local data out of the image.
COPY . .
# collectstatic signs nothing, but settings refuse DEBUG=0 without a key: give it a throwaway
# random one that exists only for this command (nothing is baked into the image).
RUN DEBUG=0 DATABASE_URL=postgresql://build/unused \
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    /venv/bin/python manage.py collectstatic --noinput

# Runtime stage: no compilers, a non-root user, gunicorn managing uvicorn (ASGI) workers — live
# updates are Server-Sent Events held open by the workers. SECRET_KEY, DATABASE_URL and
# ALLOWED_HOSTS come from the environment at run time; the server refuses a weak SECRET_KEY.
# Migrations are a release step, not part of every start:
#   docker compose run --rm migrate   (or: docker run … IMAGE python manage.py migrate --noinput)
FROM python:3.11-slim
ENV PATH="/venv/bin:$PATH" PYTHONUNBUFFERED=1 DEBUG=0 WEB_CONCURRENCY=2
RUN useradd --create-home --uid 10001 sourcemark
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build /app /app
USER sourcemark
EXPOSE 8000
# /healthz answers 200 when the process is up and its database answers, else 503 (urlopen raises);
# python rather than curl, which the slim image does not have.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# Exec form: gunicorn is PID 1 and gets SIGTERM itself, so `docker stop` shuts workers down
# gracefully instead of being killed after the timeout. Gunicorn reads WEB_CONCURRENCY itself.
# Request logs are the app's JSON lines (with request id), so gunicorn's access log stays off.
CMD ["gunicorn", "config.asgi:application", "--worker-class", "uvicorn_worker.UvicornWorker", "--bind", "0.0.0.0:8000"]
