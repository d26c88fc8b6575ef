"""An append-only JSON-lines record of the requests the emulator answered.

One line per request: method, raw path, raw query string and status. Headers, and so the
API key, are never written.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path


class RequestLog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()

    def record(self, method: str, path: str, query: str, status: int) -> None:
        line = json.dumps({"method": method, "path": path, "query": query, "status": status})
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()

    def close(self) -> None:
        with self._lock:
            self._file.close()
