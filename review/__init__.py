"""The assessors' review app (FastAPI + Jinja2). Not built yet: see issue 6."""
