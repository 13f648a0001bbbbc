"""Local stand-ins for the advisory services our machines cannot reach.

- A RustSec advisory database (tests/fixtures/advisory-db) made into the git repository
  that cargo-deny and cargo-audit expect, passed to `nox -s audit` as ADVISORY_DB.
- An OSV-compatible query service on 127.0.0.1 serving tests/fixtures/osv/*.json, for
  pip-audit (`PIP_AUDIT_VULNERABILITY_SERVICE=osv`, `PIP_AUDIT_OSV_URL`).
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .helpers import git_repository

FIXTURES = Path(__file__).parent / "fixtures"

__all__ = ["OsvService", "make_advisory_db", "osv_service"]


def make_advisory_db(dst: Path) -> Path:
    """Copy the fixture database to `dst` as a git repository with a `main` branch."""
    shutil.copytree(FIXTURES / "advisory-db", dst)
    return git_repository(dst, "fixture advisories")


@dataclass
class OsvService:
    """A running fixture service: its URL and the packages it was asked about."""

    url: str
    queries: list[tuple[str, str]] = field(default_factory=list)


def _handler(entries: list[dict[str, Any]], service: OsvService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            name, version = body["package"]["name"], body["version"]
            service.queries.append((name, version))
            vulns = [
                entry
                for entry in entries
                for affected in entry["affected"]
                if affected["package"] == {"ecosystem": "PyPI", "name": name}
                and version in affected.get("versions", [])
            ]
            payload = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


@contextmanager
def osv_service() -> Iterator[OsvService]:
    """Serve the fixture OSV entries on a free port of 127.0.0.1 while the block runs."""
    entries = [json.loads(p.read_text()) for p in sorted((FIXTURES / "osv").glob("*.json"))]
    service = OsvService(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(entries, service))
    service.url = f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
