"""Page benchmark of issue #9: p50/p95, page size and SQL count of each page of the issue's table,
served by gunicorn (production settings, DEBUG off) from the scale data set (bench/scale_data.py),
each compared with its goal.

    .venv/bin/python bench/pages.py [--samples 30] [--database-url ...]

Each page is asked for by a logged-in user over HTTP (two warm-up requests, then up to
`--samples`, at most `--budget` seconds per page); its SQL is counted once through Django's
test client (CaptureQueriesContext) after a warm-up. The pages change shape while issue #9 is
worked on (keyset pagination, a unit tree, exports as jobs): what depends on their shape is in
the small adapters below (`next_link`, `deep_url`, `run_export`).
"""

import argparse
import contextlib
import datetime
import json
import os
import re
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Forms, LoadSampler, Server, Session, Worker, bench_env, percentile, stamp, write_section  # noqa: E402
from scale_data import PASSWORD, default_url, named_units  # noqa: E402

# The timeline's filter combinations: query strings filled from data_context (str.format).
TL_PROVINCE = "unit={province_code}&category=salary&date_from=01/01/2020&date_to={today}"
TL_APPROVER = "approver={approver}&date_from=01/01/2020&date_to={today}"
TL_UNIT_APPLIED = "unit={big_code}&only_unit=on&status=applied"
TL_APPLIED_DEEP = ("filled_deep", "oversight:timeline", TL_UNIT_APPLIED)  # 500 rows into the applied changes
TIMELINE_PER_PAGE = 50
ASOF_COMPARE = "start={year_ago}&end={today}"

# (label, user, how to find the page, p95 goal in ms, SQL goal or None)
PAGES = [
    ("employee list, ministry-wide, page 1", "viewer", ("url", "records:employee-list", ""), 80, None),
    ("employee list, ministry-wide, deep", "viewer", ("deep", "records:employee-list", ""), 80, None),
    ("employee list, unit user, page 1", "officer", ("url", "records:employee-list", ""), 50, None),
    ("name search «Nguyễn Văn»", "viewer", ("url", "records:employee-list", "q=Nguyễn Văn"), 80, None),
    ("name search «nguyen van»", "viewer", ("url", "records:employee-list", "q=nguyen van"), 80, None),
    ("CCCD prefix «00108»", "viewer", ("url", "records:employee-list", "q=00108"), 80, None),
    ("person history, {long_versions:,} versions", "viewer", ("history", "", ""), 100, None),
    ("approver's queue ({big_queue:,} tasks), page 1", "approver", ("url", "changerequest:queue", ""), 50, 10),
    ("approver's queue ({big_queue:,} tasks), deep", "approver", ("deep", "changerequest:queue", ""), 50, 10),
    ("inbox ({inbox:,} assigned tasks)", "inbox", ("url", "changerequest:inbox", ""), 50, 10),
    ("access log ({access_log:,} rows), page 1", "inspector", ("url", "records:access-log", ""), 100, None),
    ("access log ({access_log:,} rows), deep", "inspector", ("deep", "records:access-log", ""), 100, None),
    ("quota report, root", "viewer", ("url", "units:quota-report", ""), 500, None),
    ("unit list, ministry-wide", "viewer", ("url", "units:unit-list", ""), 80, None),
    # The inspectors' timeline (issue #11): the ministry's inspector, every change request.
    ("timeline, ministry-wide, page 1", "inspector", ("url", "oversight:timeline", ""), 150, None),
    ("timeline, 10,000 rows deep", "inspector", ("rows_deep", "oversight:timeline", ""), 150, None),
    ("timeline, province + salary + dates", "inspector", ("filled", "oversight:timeline", TL_PROVINCE), 150, None),
    ("timeline, approver + dates", "inspector", ("filled", "oversight:timeline", TL_APPROVER), 150, None),
    ("timeline, one unit only + applied", "inspector", ("filled", "oversight:timeline", TL_UNIT_APPLIED), 150, None),
    # scale_data's "applied" phase: a page of applied changes (old → new from the history rows)
    ("timeline, applied, 500 rows deep", "inspector", TL_APPLIED_DEEP, 150, None),
    # As of a date (issue #11 part 2): the person with the long history, the big unit.
    ("person as of a year ago", "viewer", ("person", "records:employee-asof", "at={year_ago}"), 150, None),
    ("person, a year ago vs today", "viewer", ("person", "records:employee-compare", ASOF_COMPARE), 150, None),
    ("unit as of a year ago", "viewer", ("unit", "units:unit-asof", "at={year_ago}"), 150, None),
]
EXPORT_GOAL_SECONDS = 60
NEXT_WORDS = ("trang sau", "next", "›", "chevron_right", "navigate_next")


# --- adapters: what depends on the pages' shape -------------------------------------------------


def next_link(html: str, page_url: str) -> str | None:
    """The page's link to the next page: rel="next", else a link named "Trang sau"/›/next."""
    links = Forms(html).links
    chosen = next((a for a in links if "next" in a["rel"].split()), None)
    chosen = chosen or next((a for a in links if any(w in a["text"].strip().lower() for w in NEXT_WORDS)), None)
    return urllib.parse.urljoin(page_url, chosen["href"]) if chosen else None


def deep_url(session: Session, url: str, depth: int, hops: int) -> tuple[str, str]:
    """A deep page of a list: page `depth` when the next link is ?page=N (OFFSET pages);
    otherwise (keyset cursors) the page reached by following the next link `hops` times."""
    status, body, _h, final, _s = session.get(url)
    link = next_link(body.decode(), final)
    if link is None:
        return final, "one page only"
    if re.search(r"[?&]page=\d+", link):
        while depth > 2:  # the list may be shorter than `depth` pages (a smoke-size data set)
            candidate = re.sub(r"([?&]page=)\d+", rf"\g<1>{depth}", link)
            if session.get(candidate)[0] == 200:
                return candidate, f"?page={depth}"
            depth //= 2
        return link, "?page=2"
    for hop in range(1, hops):
        status, body, _h, final, _s = session.get(link)
        following = next_link(body.decode(), final)
        if following is None:
            return final, f"last page after {hop} next links"
        link = following
    return link, f"{hops} next links"


def export_start(session: Session, list_url: str):
    """Start the employee export from the list page: its export form (POST) if it has one,
    else its export link (GET). Returns the first response."""
    status, body, _h, final, _s = session.get(list_url)
    page = Forms(body.decode())
    form = next((f for f in page.forms if "export" in f["action"]), None)
    if form is not None:
        if form["method"] == "post":
            return session.post_form(form, final)
        query = urllib.parse.urlencode(form["fields"])
        return session.get(urllib.parse.urljoin(final, form["action"]) + "?" + query)
    link = next((a["href"] for a in page.links if "export" in a["href"]), None)
    if link is None:
        return None
    return session.get(urllib.parse.urljoin(final, link), timeout=900)


def is_file(headers) -> bool:
    kind = headers.get("Content-Type", "")
    return "spreadsheet" in kind or "octet-stream" in kind or "attachment" in headers.get("Content-Disposition", "")


def file_link(status_body: bytes, headers, page_url: str) -> str | None:
    """Where a finished export job offers its file: a JSON field or a link to an .xlsx/download."""
    if "json" in headers.get("Content-Type", ""):
        data = json.loads(status_body)
        for key in ("download_url", "file_url", "url", "download"):
            if isinstance(data.get(key), str) and data.get(key):
                return urllib.parse.urljoin(page_url, data[key])
        return None
    for a in Forms(status_body.decode(errors="replace")).links:
        if "download" in a["href"] or ("export" in a["href"] and ".xlsx" in a["href"]):
            return urllib.parse.urljoin(page_url, a["href"])
    return None


def run_export(session: Session, list_url: str, timeout: float = 900) -> dict:
    """Seconds from asking for the export to holding the file: the file itself, or a job page
    polled (each second) until it offers the file."""
    started = time.monotonic()
    first = export_start(session, list_url)
    if first is None:
        return {"error": "no export link or form on the list page"}
    status, body, headers, final, _s = first
    while not is_file(headers):
        if status >= 500 or status in (403, 404):
            return {"error": f"HTTP {status} after {time.monotonic() - started:.1f} s", "seconds": None}
        link = file_link(body, headers, final)
        if link:
            status, body, headers, final, _s = session.get(link)
            continue
        if time.monotonic() - started > timeout:
            return {"error": f"no file after {timeout} s"}
        time.sleep(1)
        status, body, headers, final, _s = session.get(final)
    return {"seconds": time.monotonic() - started, "bytes": len(body)}


# --- measuring ------------------------------------------------------------------------------------


def resolve(kind: str, name: str, query: str, context: dict, session: Session) -> tuple[str, str]:
    from django.urls import reverse

    if kind == "history":
        return reverse("records:employee-history", args=[context["long_history_pk"]]), ""
    if kind == "person":  # a page about the person with the long history (as of a date, compare)
        return reverse(name, args=[context["long_history_pk"]]) + "?" + query.format(**context["fill"]), ""
    if kind == "unit":  # a page about the data set's big unit
        return reverse(name, args=[context["units"]["big"].pk]) + "?" + query.format(**context["fill"]), ""
    if kind in ("filled", "filled_deep"):  # a query string naming the data set's own units and people
        query = query.format(**context["fill"])
    url = reverse(name) + (("?" + urllib.parse.urlencode(dict(urllib.parse.parse_qsl(query)))) if query else "")
    if kind == "rows_deep":  # 10,000 rows deep through the keyset "next" links
        return deep_url(session, session.base + url, 0, 10_000 // TIMELINE_PER_PAGE)
    if kind == "filled_deep":  # 500 rows into the filtered list
        return deep_url(session, session.base + url, 0, 500 // TIMELINE_PER_PAGE)
    if kind == "deep":
        return deep_url(session, session.base + url, context["depth"], context["hops"])
    return url, ""


def measure(session: Session, url: str, samples: int, budget: float) -> dict:
    for _ in range(2):
        status, body, *_ = session.get(url)
    if status != 200:
        return {"error": f"HTTP {status}"}
    times, started = [], time.monotonic()
    with LoadSampler() as load:
        while len(times) < samples and (len(times) < 5 or time.monotonic() - started < budget):
            status, body, _h, _u, seconds = session.get(url)
            times.append(seconds * 1000)
    return {
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "n": len(times),
        "kib": len(body) / 1024,
        "load": load.describe(),
    }


def count_sql(user, url: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    path = urllib.parse.urlsplit(url)
    target = path.path + ("?" + path.query if path.query else "")
    client.get(target)
    with CaptureQueriesContext(connection) as queries:
        client.get(target)
    return len(queries)


def data_context(params: dict) -> dict:
    from django.utils import timezone

    from records.models import Employee
    from workflows.models import ApprovalDecision

    first = Employee.objects.order_by("pk").values_list("pk", flat=True).first()
    units = named_units()
    approver = ApprovalDecision.objects.order_by("-pk").values_list("decided_by__username", flat=True).first()
    return {
        "long_history_pk": first,
        "depth": max(2, params["people"] // 200),  # page 500 of 100,000
        "hops": 50 if params["people"] >= 50_000 else 5,
        "units": units,
        "fill": {
            "province_code": units["province"].code,
            "big_code": units["big"].code,
            "approver": approver or "",
            "today": timezone.localdate().strftime("%d/%m/%Y"),
            "year_ago": (timezone.localdate() - datetime.timedelta(days=365)).strftime("%d/%m/%Y"),
        },
    }


def verdict(value, goal) -> str:
    return "✓" if value is not None and value <= goal else "✗"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--samples", type=int, default=int(os.environ.get("BENCH_SAMPLES", 30)))
    parser.add_argument("--budget", type=float, default=30.0, help="seconds of sampling per page at most")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument(
        "--only", action="append", default=[], help="only the pages whose label has this (repeatable); nothing written"
    )
    args = parser.parse_args()
    # Jobs (the export, once it is one) run on a real worker, as deployed: not eagerly in a request.
    broker = os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")
    env = bench_env(args.database_url, CELERY_TASK_ALWAYS_EAGER="0", CELERY_BROKER_URL=broker)
    os.environ.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    import logging

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    logging.disable(logging.WARNING)  # the access log's INFO lines and the 404s of deep_url's probes
    with connection.cursor() as cursor:
        cursor.execute("SELECT params FROM bench_scale_marker WHERE id = 1")
        params = cursor.fetchone()[0]
    params = json.loads(params) if isinstance(params, str) else params
    context = data_context(params)
    users = {
        u.username.removeprefix("bench-"): u for u in get_user_model().objects.filter(username__startswith="bench-")
    }
    rows = []
    print(f"Pages: {params['people']:,} people, {params['units']:,} units, {params['tasks']:,} open tasks", flush=True)
    pages = [page for page in PAGES if not args.only or any(part in page[0] for part in args.only)]
    with Server(env) as server, Worker(env) if not args.only else contextlib.nullcontext():
        sessions = {}
        for label, who, (kind, name, query), goal, sql_goal in pages:
            if who not in sessions:
                sessions[who] = Session(server.base)
                sessions[who].login(f"bench-{who}", PASSWORD)
            session = sessions[who]
            url, how = resolve(kind, name, query, context, session)
            result = measure(session, url, args.samples, args.budget)
            label = label.format(**params, long_versions=params["long_history"] + 1)
            result.update(label=label, url=url, how=how, goal=goal, sql_goal=sql_goal)
            connection.close()
            result["sql"] = count_sql(users[who], url) if "error" not in result else None
            rows.append(result)
            print(format_row(result), flush=True)
        if args.only:
            return
        if not args.no_export:
            with LoadSampler() as load:
                started = time.monotonic()
                try:
                    export = run_export(sessions["viewer"], server.base + "/records/employees/")
                except OSError as exc:  # e.g. gunicorn's worker timeout closing the connection
                    export = {"error": f"{type(exc).__name__} after {time.monotonic() - started:.0f} s"}
            export.update(label=f"employee xlsx export, {params['people']:,} people", load=load.describe())
            rows.append(export)
            print(format_export(export), flush=True)
    out = ROOT / "var" / "bench" / "pages.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"params": params, "rows": rows}, indent=2, ensure_ascii=False))
    if not args.only:
        write_section("pages", report(params, rows))


def format_row(r: dict) -> str:
    if "error" in r:
        return f"  {r['label']:<52} {r['error']}"
    sql = f"{r['sql']:>4} SQL" + (f" {verdict(r['sql'], r['sql_goal'])}≤{r['sql_goal']}" if r["sql_goal"] else "")
    return (
        f"  {r['label']:<52} p50 {r['p50']:7.0f} ms  p95 {r['p95']:7.0f} ms"
        f"  {verdict(r['p95'], r['goal'])} ≤ {r['goal']} ms"
        f"  {r['kib']:7.0f} KiB  {sql}  n={r['n']} load {r['load']} {r['how']}"
    )


def format_export(r: dict) -> str:
    if r.get("seconds") is None:
        return f"  {r['label']:<52} {r.get('error')}  ✗ ≤ {EXPORT_GOAL_SECONDS} s"
    seconds = r["seconds"]
    return f"  {r['label']:<52} {seconds:7.1f} s  {verdict(seconds, EXPORT_GOAL_SECONDS)} ≤ {EXPORT_GOAL_SECONDS} s"


def report(params: dict, rows: list[dict]) -> str:
    lines = [
        f"### Pages (bench/pages.py), {stamp()}",
        "",
        f"{params['people']:,} people, {params['units']:,} units, {params['tasks']:,} open tasks, "
        f"{params['access_log']:,} access-log rows; gunicorn, DEBUG off; load average sampled during each page.",
        "",
        "| page | p50 ms | p95 ms | goal p95 | | KiB | SQL | load | deep page |",
        "|---|---:|---:|---:|---|---:|---:|---|---|",
    ]
    for r in rows:
        if "goal" not in r:
            shown = f"{r['seconds']:.1f} s" if r.get("seconds") is not None else r.get("error", "")
            ok = verdict(r.get("seconds"), EXPORT_GOAL_SECONDS)
            lines.append(f"| {r['label']} | {shown} | | ≤ {EXPORT_GOAL_SECONDS} s | {ok} | | | {r['load']} | |")
        elif "error" in r:
            lines.append(f"| {r['label']} | {r['error']} | | ≤ {r['goal']} | ✗ | | | | {r['how']} |")
        else:
            sql = f"{r['sql']}" + (f" (≤ {r['sql_goal']} {verdict(r['sql'], r['sql_goal'])})" if r["sql_goal"] else "")
            lines.append(
                f"| {r['label']} | {r['p50']:.0f} | {r['p95']:.0f} | ≤ {r['goal']} | {verdict(r['p95'], r['goal'])} "
                f"| {r['kib']:.0f} | {sql} | {r['load']} | {r['how']} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
