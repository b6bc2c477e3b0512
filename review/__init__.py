"""The assessors' review app (FastAPI + Jinja2): queue, evidence, blind double assessment,
reconciliation, the responsiveness test, accounts. See docs/review.md."""
