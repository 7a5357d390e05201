# Townhall in a container: a build stage makes the virtual environment, the runtime stage
# carries only it (no compiler, no source tree), runs as a non-root user and checks /healthz.
# deploy/compose.yaml runs it with a worker, PostgreSQL and Caddy (automatic HTTPS).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY node ./node
COPY federation ./federation
COPY web ./web
COPY schemas ./schemas
RUN python -m venv /opt/townhall/.venv \
    && /opt/townhall/.venv/bin/pip install --no-cache-dir --upgrade pip \
    && /opt/townhall/.venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
# pg_dump and pg_restore, for `townhall backup` and `restore` of a PostgreSQL node
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/townhall --create-home townhall
COPY --from=build /opt/townhall/.venv /opt/townhall/.venv
ENV PATH=/opt/townhall/.venv/bin:$PATH \
    TOWNHALL_DATA_DIR=/var/lib/townhall \
    PYTHONUNBUFFERED=1
USER townhall
WORKDIR /var/lib/townhall
VOLUME ["/var/lib/townhall"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
STOPSIGNAL SIGTERM
CMD ["townhall", "run", "--host", "0.0.0.0", "--port", "8000"]
