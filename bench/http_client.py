"""What the HTTP benchmarks share: serve the app on a port, sign in like a person, time requests."""

from __future__ import annotations

import http.cookiejar
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from web.infra.config import ROOT
from workflows.sample.demo import DEMO_PASSWORD


def serve(url: str, port: int) -> subprocess.Popen:
    """The app on 127.0.0.1:port over the database at url; returns once /health answers."""
    env = {**os.environ, "DATABASE_URL": url, "ODOP_SECURE_COOKIES": "0", "SECRET_KEY": "bench"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "web.cli", "serve", "--port", str(port)], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(proc.stderr.read().decode()[-2000:])


def signed_in(base: str, username: str) -> urllib.request.OpenerDirector:
    """A cookie-keeping opener signed in through the form (CSRF token from the page)."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = browser.open(f"{base}/sign-in").read().decode()
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    data = urllib.parse.urlencode({"csrf_token": csrf, "username": username, "password": DEMO_PASSWORD}).encode()
    browser.open(f"{base}/sign-in", data=data).read()
    return browser


def timings(
    opener: urllib.request.OpenerDirector, url: str, requests: int, *,
    headers: dict[str, str] | None = None, warm_up: int = 10,
) -> list[float]:
    """Milliseconds of `requests` GETs after `warm_up` untimed ones; each must answer 200 signed in."""
    out = []
    for i in range(requests + warm_up):
        request = urllib.request.Request(url, headers=headers or {})
        start = time.perf_counter()
        with opener.open(request) as response:
            response.read()
            assert response.status == 200 and "/sign-in" not in response.url, url
        if i >= warm_up:
            out.append((time.perf_counter() - start) * 1000)
    return out


def p50_p95(label: str, name: str, samples: list[float]) -> tuple[str, str, float, float]:
    """One table row: median and 95th percentile."""
    return (label, name, statistics.median(samples), statistics.quantiles(samples, n=20)[18])
