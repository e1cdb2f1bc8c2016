"""Open an HTML file in the system's headless chromium: its DOM, console messages, network
requests and a screenshot, as a reader's browser would see it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: a browser that does nothing on its own: the only requests left are the page's
QUIET = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
]
CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\]? (.*)$")


@dataclass
class Opened:
    dom: str
    #: console messages (errors, warnings, logs) the page produced
    console: list[str]
    #: URLs the page itself asked the network for (browser housekeeping excluded)
    requests: list[str]


def _page_requests(netlog: Path) -> list[str]:
    """URL requests made on behalf of a file:// page, from chromium's NetLog.

    The browser's own background traffic (update checks, time sync) runs under another
    network isolation key than the page's (``file://``), so it is told apart.
    """
    data = json.loads(netlog.read_text(encoding="utf-8", errors="replace") or "{}")
    names = {v: k for k, v in data.get("constants", {}).get("logEventTypes", {}).items()}
    out = []
    for event in data.get("events", []):
        params = event.get("params") or {}
        if names.get(event.get("type")) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        if "file://" in str(params.get("network_isolation_key", "")) or params.get("initiator") == "null":
            out.append(str(params["url"]))
    return out


def open_page(html: Path, work: Path, screenshot: Path | None = None, width: int = 1200, height: int = 5200) -> Opened:
    assert CHROMIUM is not None
    url = html.resolve().as_uri()
    netlog = work / "netlog.json"
    done = subprocess.run(
        [
            CHROMIUM,
            *QUIET,
            f"--user-data-dir={work / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            f"--log-net-log={netlog}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [m.group(1) for line in done.stderr.splitlines() if (m := CONSOLE.search(line))]
    if screenshot is not None:
        shot = subprocess.run(
            [
                CHROMIUM,
                *QUIET,
                f"--user-data-dir={work / 'profile-shot'}",
                f"--window-size={width},{height}",
                f"--screenshot={screenshot}",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert shot.returncode == 0 and screenshot.is_file(), shot.stderr[-2000:]
    return Opened(done.stdout, console, _page_requests(netlog))
