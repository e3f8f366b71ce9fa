"""What the scale benchmarks share: the environment of a production-like run against the bench
database, percentiles, the load-average sampler, and the generated section of bench/README.md."""

import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- bench:begin (written by make bench) -->", "<!-- bench:end -->"


def bench_env(database_url: str, **extra) -> dict:
    """Production settings (DEBUG off) over plain HTTP on 127.0.0.1 with two-factor off, so a
    script can log in; a throw-away secret key; Celery eager (no worker in the bench)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        DEMO_MODE="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        OTP_REQUIRED="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="0",
        CELERY_TASK_ALWAYS_EAGER="1",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        # Cached users and grants are per database: two bench runs on two data sets sharing a
        # Redis database must not take each other's (a user cached from the other set, with
        # another password hash, logged the session out at once).
        CACHE_KEY_PREFIX="qlcb-" + urllib.parse.urlparse(database_url).path.strip("/"),
    )
    env.update(extra)
    return env


def setup_in_process(database_url: str, *, redis_db: int, settings_module: str = "config.settings") -> None:
    """Django set up in this process against a bench database, for the profilers (page_profile,
    timeline_profile, cycle_profile): the bench's environment, the cache in Redis database
    `redis_db` (BENCH_CACHE_URL overrides), INFO logging off, any host (the test client's
    "testserver"). Not setup_test_environment(): its instrumented rendering (a copy of the context
    per template, for response.context) would be most of a page's time."""
    cache_url = os.environ.get("BENCH_CACHE_URL", f"redis://127.0.0.1:6379/{redis_db}")
    os.environ.update(bench_env(database_url, CACHE_URL=cache_url), DJANGO_SETTINGS_MODULE=settings_module)
    import logging

    import django

    django.setup()
    from django.conf import settings

    logging.disable(logging.INFO)
    settings.ALLOWED_HOSTS = ["*"]


def print_profile(profiler, *, sort: str, top: int, dump: str = "") -> None:
    """A profilers' cProfile result: its `top` functions by `sort`, and the stats written to
    `dump` (pstats) when given."""
    import io
    import pstats

    if dump:
        profiler.dump_stats(dump)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
    print(out.getvalue())


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


class LoadSampler:
    """Samples /proc/loadavg (1-minute) every second while a round runs."""

    def __init__(self):
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.samples.append(load_average())
            self._stop.wait(1.0)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def describe(self) -> str:
        if not self.samples:
            return "n/a"
        return f"{min(self.samples):.1f}–{max(self.samples):.1f}"


def write_section(key: str, text: str) -> None:
    """Replace the part `key` of the generated section of bench/README.md (the human text stays).
    A smoke run (BENCH_QUICK=1) writes var/bench/quick.md instead: its figures are no record."""
    readme = README
    if os.environ.get("BENCH_QUICK") == "1":
        readme = ROOT / "var" / "bench" / "quick.md"
        if not readme.exists():
            readme.parent.mkdir(parents=True, exist_ok=True)
            readme.write_text("# Smoke run of make bench (BENCH_QUICK=1)\n")
    content = readme.read_text()
    if BEGIN not in content:
        content = content.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    head, rest = content.split(BEGIN, 1)
    body, tail = rest.split(END, 1)
    start, stop = f"<!-- {key} -->", f"<!-- /{key} -->"
    block = f"{start}\n{text.strip()}\n{stop}"
    if start in body:
        body = re.sub(re.escape(start) + ".*?" + re.escape(stop), lambda _: block, body, flags=re.S)
    else:
        body = body.rstrip() + f"\n\n{block}\n"
    readme.write_text(f"{head}{BEGIN}\n{body.strip()}\n{END}{tail}")
    print(f"Figures written to {readme.relative_to(ROOT)}", flush=True)


def stamp() -> str:
    return time.strftime("%d/%m/%Y %H:%M UTC", time.gmtime())


# --- the server and an HTTP client ------------------------------------------------------------


GUNICORN_CONFIG = ROOT / "config" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the project (or bench.settings) on a free port: the repo's config file
    when there is one (its pool set to BENCH_WORKERS, default 4), else 4 sync workers, as the
    issue measured."""

    def __init__(self, env: dict, *, settings: str = "config.settings", workers: int = 4):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # The repo's config file sizes the pool by the CPUs; the figures had 4 workers.
        # As deployed: sessions and caches in Redis, shared by the workers (README, production).
        self.env = dict(
            env,
            DJANGO_SETTINGS_MODULE=settings,
            WEB_CONCURRENCY=os.environ.get("BENCH_WORKERS", "4"),
            CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/4"),
        )
        self.workers = workers

    def __enter__(self):
        args = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        if GUNICORN_CONFIG.exists():
            args += ["--config", str(GUNICORN_CONFIG)]
        else:
            args += ["--workers", str(self.workers), "--worker-class", "sync"]
        log = ROOT / "var" / "bench" / "gunicorn.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a") as sink:
            self.process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=sink, stderr=sink)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/accounts/login/", timeout=30).read()
                return self
            except OSError:  # refused while booting, or a timeout
                if self.process.poll() is not None:
                    sys.exit("gunicorn exited before serving")
                time.sleep(0.5)
        sys.exit("gunicorn did not answer within 120 s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


class Worker:
    """A Celery worker (solo pool) for the jobs the pages start (the export), on the bench's
    Redis database; the web processes send to the same broker (`env`)."""

    def __init__(self, env: dict):
        self.env = env

    def __enter__(self):
        log = ROOT / "var" / "bench" / "celery.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        args = [str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"]
        with log.open("a") as sink:
            self.process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=sink, stderr=sink)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=60)


class Forms(HTMLParser):
    """The forms of a page (action, method, fields with their current values) and its links."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms, self.links, self._form, self._select, self._textarea, self._a = [], [], None, None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": []}
            self.forms.append(self._form)
        elif tag == "a" and a.get("href"):
            self._a = {"href": a["href"], "rel": a.get("rel") or "", "text": ""}
            self.links.append(self._a)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image"):
                self._form["fields"].append([a["name"], a.get("value") or ("on" if kind == "checkbox" else "")])
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], None, None]
        elif tag == "option" and self._select is not None:
            value = a.get("value") or ""
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in a:
                self._select[1] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "a":
            self._a = None
        elif tag == "select" and self._select is not None:
            name, chosen, first = self._select
            if self._form is not None:
                self._form["fields"].append([name, chosen if chosen is not None else (first or "")])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:  # a browser drops the newline right after <textarea>
                self._form["fields"].append([self._textarea[0], self._textarea[1].removeprefix("\n")])
            self._textarea = None

    def handle_data(self, data):
        if self._a is not None:
            self._a["text"] += data
        if self._textarea is not None:
            self._textarea[1] += data


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main_form(html: str) -> dict | None:
    """The page's main POST form: the one with the most fields (not logout or language)."""
    forms = [f for f in Forms(html).forms if f["method"] == "post" and "logout" not in f["action"]]
    forms = [f for f in forms if "setlang" not in f["action"]]
    return max(forms, key=lambda f: len(f["fields"]), default=None)


class Session:
    """Cookies, CSRF and timing over urllib (gunicorn's sync workers close each connection, so
    there is no keep-alive to lose)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.stay = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data=None, *, timeout=600, follow=True):
        """(status, body bytes, headers, final url, seconds); redirects are followed unless
        `follow` is false (then a redirect is returned: status 3xx, its Location header)."""
        url = path if path.startswith("http") else self.base + path
        body = None
        headers = {"Referer": url}
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["X-CSRFToken"] = self.csrf()
        started = time.monotonic()
        try:
            opener = self.opener if follow else self.stay
            with opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=timeout) as r:
                content = r.read()
                return r.status, content, r.headers, r.url, time.monotonic() - started
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), exc.headers, url, time.monotonic() - started

    def get(self, path, **kw):
        return self.request(path, **kw)

    def post_form(self, form: dict, page_url: str, changes: dict | None = None, *, follow=True):
        """Submit a parsed form with its current values, `changes` applied (name → value)."""
        fields = [(n, v) for n, v in form["fields"] if n not in (changes or {})]
        fields += list((changes or {}).items())
        action = urllib.parse.urljoin(page_url, form["action"] or page_url)
        return self.request(action, data=fields, follow=follow)

    def login(self, username: str, password: str) -> None:
        status, body, _h, url, _s = self.get("/accounts/login/")
        form = next(f for f in Forms(body.decode()).forms if f["method"] == "post")
        status, body, _h, final, _s = self.post_form(form, url, {"username": username, "password": password})
        if "/accounts/login/" in final:
            sys.exit(f"login failed for {username} ({status})")
