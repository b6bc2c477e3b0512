"""Storage: SQLAlchemy models, sessions, Alembic migrations and the WARC archive."""
