"""The app factory uvicorn runs (`losi review serve`): settings come from the environment so that
several worker processes build the same app.

- LOSI_DATABASE_URL: the database (as everywhere in losi).
- LOSI_REVIEW_METHODOLOGY: the methodology file the app reviews (default: the built-in losi-2024).
- LOSI_REVIEW_SECURE_COOKIES: "1" forces Secure cookies (e.g. behind a TLS proxy that does not
  send X-Forwarded-Proto); unset, they are Secure exactly when the request came over HTTPS.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from review.app import create_app
from scoring.methodology import builtin_dir, load_methodology
from storage.db import make_engine


def app() -> FastAPI:
    path = os.environ.get("LOSI_REVIEW_METHODOLOGY") or str(builtin_dir() / "losi-2024.toml")
    secure = os.environ.get("LOSI_REVIEW_SECURE_COOKIES")
    engine = make_engine()
    if engine.dialect.name == "postgresql":
        engine.dispose()
        from sqlalchemy import create_engine

        from storage.db import database_url

        # One pool per worker process, big enough for the threadpool FastAPI runs handlers in.
        engine = create_engine(database_url(), pool_size=20, max_overflow=20, pool_pre_ping=True)
    return create_app(engine, load_methodology(Path(path)),
                      secure_cookies=None if secure is None else secure == "1")
