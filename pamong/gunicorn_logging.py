"""gunicorn's access log, minus the reporting paths.

The repo's gunicorn command lines log requests without the client address (no ``%(h)s``) and
without the browser (no ``%(a)s``). Requests to the confidential intake and its API are not logged
at all: even a time and a path ("a pressure report was sent at 07:42") is more than the server
needs to keep about a reporter.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from pamong.cases.paths import is_reporter_traffic


class PamongLogger(Logger):
    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if is_reporter_traffic(environ.get("PATH_INFO", "")):
            return
        super().access(resp, req, environ, request_time)
