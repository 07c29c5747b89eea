"""The reporting paths, in a module without Django imports (gunicorn's logger reads it too)."""

REPORTER_PREFIXES = ("/lapor/", "/api/v1/reports")


def is_reporter_path(path: str) -> bool:
    return path.startswith(REPORTER_PREFIXES)
