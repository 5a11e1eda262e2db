# Kindred in a container. `docker compose up -d` builds and runs it (compose.yaml); the README's
# "Running in production" says what to set and what a supervisor sees.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KINDRED_DATABASE=/data/kindred.db

# A user of its own; the database lives on the /data volume, the only place it may write.
RUN useradd --system --user-group --uid 10001 --home-dir /app --shell /usr/sbin/nologin kindred \
 && mkdir /data && chown kindred:kindred /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY bench ./bench
COPY data/questions.json ./data/
COPY data/questions ./data/questions
# Kindred and its run-time dependencies only: no test or benchmark extras. Editable, so the code
# and its question bank are read from /app, as in a checkout.
RUN pip install --editable .

USER kindred
VOLUME ["/data"]
# `python -m bot health` reads the file the bot rewrites every 30 s: unhealthy when it is stuck,
# stopped, or can't reach Discord (it keeps retrying meanwhile).
HEALTHCHECK --interval=60s --timeout=10s --start-period=90s --retries=3 CMD ["python", "-m", "bot", "health"]
# SIGTERM (docker stop) shuts Kindred down cleanly in under 10 s, exit status 0.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
