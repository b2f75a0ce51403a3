"""A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``.

Chromium reads protocol messages from file descriptor 3 and writes its answers to file
descriptor 4, each a JSON object terminated by a NUL byte. Driving it this way needs no
websocket library, no chromedriver and no network port, so the browser test depends on the
Debian ``chromium`` package only.

Also a small tool: ``python tests/reports/browser.py REPORT.html OUT.png`` writes a
screenshot of a report (how docs/img/report-html.png is made).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-pipe"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


class BrowserError(RuntimeError):
    pass


class PipeBrowser:
    def __init__(self, chromium: str, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="probis-chromium-")  # a fresh --user-data-dir
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # move the child's ends above 3 and 4 so that the dup2 below cannot clobber them
        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 100)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 100)
        os.close(to_child_r)
        os.close(from_child_w)

        def wire() -> None:  # runs in the child before exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.proc = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=wire)
        os.close(child_in)
        os.close(child_out)
        self.write_fd, self.read_fd = to_child_w, from_child_r
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    # --- protocol ----------------------------------------------------------------------
    def call(self, method: str, params: dict[str, Any] | None = None,
             session: bool = True) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("no answer from chromium in time")
            ready, _, _ = select.select([self.read_fd], [], [], left)
            if ready:
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    raise BrowserError("chromium closed the protocol pipe (did it start?)")
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    # --- page helpers --------------------------------------------------------------------
    def open(self, url: str, width: int = 1280, height: int = 900) -> None:
        targets = self.call("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": page["targetId"], "flatten": True},
                                 session=False)["sessionId"]
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.call("Page.navigate", {"url": url})
        deadline = time.monotonic() + self.timeout
        while self.eval("document.readyState") != "complete" or self.eval(
                "location.href") != url:
            if time.monotonic() > deadline:
                raise BrowserError(f"{url} did not finish loading")
            time.sleep(0.05)

    def eval(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, width: int = 1280, max_height: int | None = None) -> bytes:
        """A PNG of the page (the viewport grows to the content's height, up to max_height)."""
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        height = int(size["height"]) + 1
        if max_height is not None:
            height = min(height, max_height)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        data = base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data

    def print_page(self, path: Path, selector: str | None = None) -> bytes:
        """A PNG of one A4 page as printed (print stylesheet, 210 mm wide at 96 dpi, 12 mm
        margins), starting at ``selector`` or at the top: how docs/img/lhp-*.png are made."""
        width, height, margin = 794, 1123, 45
        self.call("Emulation.setEmulatedMedia", {"media": "print"})
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.eval(f"document.body.style.padding = '{margin}px'")
        top = 0 if selector is None else self.eval(
            f"document.querySelector({json.dumps(selector)}).getBoundingClientRect().top"
            " + window.scrollY")
        data = base64.b64decode(self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": max(0, top - margin), "width": width, "height": height,
                     "scale": 1}})["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                with contextlib.suppress(BrowserError, OSError):
                    self.call("Browser.close", session=False)
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=10)
        finally:
            for fd in (self.write_fd, self.read_fd):
                with contextlib.suppress(OSError):
                    os.close(fd)
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> PipeBrowser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "--print":  # --print REPORT.html OUT.png SELECTOR|-
        chromium = find_chromium()
        if chromium is None:
            print("chromium not found (apt-get install chromium)", file=sys.stderr)
            return 2
        with PipeBrowser(chromium) as browser:
            browser.open(Path(argv[1]).resolve().as_uri())
            browser.print_page(Path(argv[2]), None if argv[3] == "-" else argv[3])
        return 0
    if len(argv) not in (2, 3):
        print("usage: python tests/reports/browser.py REPORT.html OUT.png [MAX_HEIGHT]\n"
              "       python tests/reports/browser.py --print REPORT.html OUT.png SELECTOR|-",
              file=sys.stderr)
        return 2
    chromium = find_chromium()
    if chromium is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    with PipeBrowser(chromium) as browser:
        browser.open(Path(argv[0]).resolve().as_uri())
        browser.screenshot(Path(argv[1]), max_height=int(argv[2]) if len(argv) == 3 else None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
