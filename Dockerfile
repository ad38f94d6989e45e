# syntax=docker/dockerfile:1
# Build stage: install pinned dependencies into a virtualenv and collect static files.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install -r requirements.txt
COPY . .
RUN DEBUG=0 SECRET_KEY=collectstatic-only DATABASE_URL=postgresql://build/unused \
    /venv/bin/python manage.py collectstatic --noinput

# Runtime stage: no compilers, a non-root user, migrations on start, gunicorn managing
# uvicorn (ASGI) workers — live updates are Server-Sent Events held open by the workers.
FROM python:3.11-slim
ENV PATH="/venv/bin:$PATH" PYTHONUNBUFFERED=1 DEBUG=0
RUN useradd --create-home --uid 10001 sourcemark
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build /app /app
USER sourcemark
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn config.asgi:application -k uvicorn_worker.UvicornWorker --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
