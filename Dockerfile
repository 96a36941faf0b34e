# Production image: gunicorn for the web, the same image for Celery worker and beat.
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=mobility.settings.base
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

# Front-end assets, built only when the project has a package.json.
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY . .
RUN if [ -f package.json ]; then npm ci --no-audit --no-fund && npm run build; fi

FROM base AS static
COPY --from=assets /src /app
# A throwaway key of the length the settings insist on; collectstatic never uses it.
RUN SECRET_KEY=collectstatic-only-this-key-signs-nothing-and-is-thrown-away \
    python manage.py collectstatic --noinput --verbosity 0

FROM base
RUN useradd --system --uid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin mobility
COPY . .
COPY --from=static /app/staticfiles /app/staticfiles
# The engine's compiled matching loops are cached here. They are compiled now, at build time, so a
# new container's first run loads machine code instead of spending ~30 s compiling. (numba keys the
# cache by CPU model: on a host with a different CPU the first run recompiles once, into this cache.)
ENV NUMBA_CACHE_DIR=/app/var/numba-cache
RUN mkdir -p var/numba-cache \
 && python -c "from placements.engine.stable import warm_up; assert warm_up(coverage=True)" \
 && test -n "$(ls var/numba-cache)"
# var/ holds the embedded SQLite file when DATABASE_URL is unset; the app user may write only there.
RUN chown -R mobility var
USER mobility
EXPOSE 8000
CMD ["gunicorn", "--config", "python:mobility.gunicorn", "mobility.wsgi"]
