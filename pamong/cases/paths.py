"""The reporting paths, in a module without Django imports (gunicorn's logger reads it too)."""

REPORTER_PREFIXES = ("/lapor/", "/api/v1/reports")
# Assets only the reporter's pages load: a request for them says someone opened /lapor/.
REPORTER_ASSETS = ("/static/cases/reporter.",)


def is_reporter_path(path: str) -> bool:
    return path.startswith(REPORTER_PREFIXES)


def is_reporter_traffic(path: str) -> bool:
    """What the access log leaves out: the reporting paths and the assets only they load."""
    return is_reporter_path(path) or path.startswith(REPORTER_ASSETS)
