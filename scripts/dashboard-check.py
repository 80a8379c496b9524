#!/usr/bin/env python3
"""Loads the OllamaMax dashboard in headless Chromium and reports what it shows.

    dashboard_check.py URL [--screenshot FILE] [--wait-events N] [--timeout S] [--dark]
                       [--expect-alert NAME] [--until-alert NAME] [--until-stat NAME --above X]
                       [--json] [--full-page] [--chromium PATH]

It opens URL at 1280x800 in the system Chromium through Playwright, collects console
messages of type error and warning, uncaught page errors and requests to anything but
loopback, waits until the page's connection indicator is "open" and it has received N
`sample` events, then for whatever --until-* and --expect-* ask, and prints one JSON
object (with --json) or a short summary:

    {"ok": true, "console_errors": [], "stats": {"requests_per_second": "12.3", ...},
     "panels": {"requests": {"unit": "per_second", "series": {"/api/generate": "13.1"}}},
     "nodes": {"node-1": "healthy"}, "alerts": {"NodeDown": "firing"}, "events_seen": 3, ...}

Values are the page's data-* attribute strings; a series or stat whose newest value is
unknown (a gap, a null) is null. Exit status: 0 when everything asked for was seen and no
console errors occurred, 1 otherwise (timeout, console errors, page problems, browser
failure) with the reason on stderr, 2 for bad arguments. Every wait is bounded by
--timeout (30 s) in total.

Only loopback URLs are accepted: this drives a gateway under test on this machine.
"""

import argparse
import ipaddress
import json
import os
import sys
import time
from urllib.parse import urlsplit

DEFAULT_CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Reads the page's test contract: the data-* attributes documented in dashboard.html.
SNAPSHOT_JS = """() => {
  const attr = (e, a) => { const v = e.getAttribute(a); return v === null || v === "" ? null : v; };
  const out = { connection: null, stats: {}, panels: {}, nodes: {}, alerts: {}, problems: [] };
  const conn = document.querySelector("[data-connection]");
  out.connection = conn ? conn.getAttribute("data-connection") : null;
  const b = document.body;
  out.events_seen = Number(b.dataset.sampleCount || 0);
  out.event_count = Number(b.dataset.eventCount || 0);
  out.last_event_time = b.dataset.lastEventTime || null;
  out.monitoring = b.dataset.monitoring || null;
  for (const e of document.querySelectorAll("[data-stat]")) out.stats[e.dataset.stat] = attr(e, "data-value");
  for (const sec of document.querySelectorAll("section[data-panel]")) {
    const series = {};
    const entries = sec.querySelectorAll("[data-series]");
    for (const e of entries) series[e.dataset.series] = attr(e, "data-last");
    const count = Number(sec.dataset.seriesCount);
    const id = sec.dataset.panel;
    out.panels[id] = { unit: sec.dataset.unit, series_count: count, series };
    if (count !== entries.length)
      out.problems.push(`panel ${id}: data-series-count is ${count} but ${entries.length} legend entries`);
    if (sec.dataset.empty === "false" && !sec.querySelector("svg path"))
      out.problems.push(`panel ${id}: has data but no chart is drawn`);
  }
  for (const e of document.querySelectorAll("[data-node]")) out.nodes[e.dataset.node] = e.dataset.state || null;
  const rank = { firing: 2, pending: 1 };
  for (const e of document.querySelectorAll("[data-alert]")) {
    // Several alerts can share a name (one per node): report the most urgent state.
    const name = e.dataset.alert, state = e.dataset.state || null, old = out.alerts[name];
    if (old === undefined || (rank[state] || 0) > (rank[old] || 0)) out.alerts[name] = state;
  }
  const list = document.getElementById("alerts");
  out.rules_loaded = list && list.dataset.rulesLoaded ? Number(list.dataset.rulesLoaded) : null;
  return out;
}"""

WAIT_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


class CheckFailed(Exception):
    """A reason to exit 1, with what the page showed when it happened."""


def is_loopback(host):
    if host is None:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Check the OllamaMax dashboard page in headless Chromium.")
    ap.add_argument("url", help="the dashboard URL, e.g. http://127.0.0.1:8080/dashboard (loopback only)")
    ap.add_argument("--screenshot", metavar="FILE", help="save a PNG of the page when done")
    ap.add_argument("--full-page", action="store_true", help="screenshot the whole page, not just the 1280x800 viewport")
    ap.add_argument("--wait-events", type=int, default=1, metavar="N", help="sample events to wait for (default 1)")
    ap.add_argument("--timeout", type=float, default=30.0, metavar="S", help="bound on all waits together (default 30)")
    ap.add_argument("--dark", action="store_true", help="emulate prefers-color-scheme: dark")
    ap.add_argument("--expect-alert", action="append", default=[], metavar="NAME", help="fail unless this alert is shown (any state); repeatable")
    ap.add_argument("--until-alert", action="append", default=[], metavar="NAME", help="wait until this alert is shown firing; repeatable")
    ap.add_argument("--until-stat", metavar="NAME", help="wait until this headline stat's value is above --above")
    ap.add_argument("--above", type=float, metavar="X", help="the threshold for --until-stat")
    ap.add_argument("--json", action="store_true", help="print the JSON object only")
    ap.add_argument("--chromium", default=DEFAULT_CHROMIUM, metavar="PATH", help=f"browser executable (default {DEFAULT_CHROMIUM}, or $CHROMIUM)")
    args = ap.parse_args(argv)
    url = urlsplit(args.url)
    if url.scheme not in ("http", "https") or not is_loopback(url.hostname):
        ap.error(f"URL {args.url!r}: only http(s) URLs on a loopback address (127.0.0.0/8, ::1, localhost) are checked")
    if (args.until_stat is None) != (args.above is None):
        ap.error("--until-stat and --above go together")
    if args.wait_events < 0 or args.timeout <= 0:
        ap.error("--wait-events must be 0 or more and --timeout above 0")
    return args


def run(args, report):
    """Drives the page; fills report as it goes so a failure still shows what was seen."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    deadline = time.monotonic() + args.timeout
    remaining_ms = lambda: max(1.0, (deadline - time.monotonic()) * 1000)
    console = report["console_errors"]

    def on_console(msg):
        if msg.type in ("error", "warning"):
            loc = msg.location or {}
            where = f" ({loc.get('url')}:{loc.get('lineNumber')})" if loc.get("url") else ""
            console.append(f"{msg.type}: {msg.text}{where}")

    def on_request(req):
        host = urlsplit(req.url).hostname
        if urlsplit(req.url).scheme in ("http", "https", "ws", "wss") and not is_loopback(host):
            report["external_requests"].append(req.url)

    with sync_playwright() as pw:
        launch_args = ["--no-sandbox"] if os.geteuid() == 0 else []
        try:
            browser = pw.chromium.launch(executable_path=args.chromium, args=launch_args, timeout=remaining_ms())
        except PlaywrightError as e:
            raise CheckFailed(f"{args.chromium}: could not start the browser: {str(e).splitlines()[0]}")
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800},
                                          color_scheme="dark" if args.dark else "light")
            # Nothing but loopback is fetched: an external request is a bug in the page, and never leaves the machine.
            context.route(lambda u: not is_loopback(urlsplit(u).hostname) and urlsplit(u).scheme in ("http", "https"),
                          lambda route: route.abort())
            page = context.new_page()
            page.on("console", on_console)
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.on("request", on_request)

            def wait(what, js, arg=None):
                try:
                    page.wait_for_function(js, arg=arg, timeout=remaining_ms(), polling=100)
                except PlaywrightTimeout:
                    report.update(page.evaluate(SNAPSHOT_JS))
                    seen = (f"connection {report['connection']}, {report['events_seen']} sample event(s), "
                            f"{report['event_count']} event(s) in all, alerts {report['alerts'] or 'none'}")
                    raise CheckFailed(f"timed out after {args.timeout:g}s waiting for {what} (the page showed: {seen})")

            try:
                response = page.goto(args.url, wait_until="domcontentloaded", timeout=remaining_ms())
            except PlaywrightTimeout:
                raise CheckFailed(f"{args.url}: no answer within {args.timeout:g}s")
            except PlaywrightError as e:
                raise CheckFailed(f"{args.url}: {str(e).splitlines()[0]}")
            if response is None or response.status != 200:
                raise CheckFailed(f"{args.url}: HTTP status {response.status if response else 'none'}, expected 200")

            wait('the connection indicator to say "open"', "() => document.querySelector('[data-connection=\"open\"]')")
            wait(f"{args.wait_events} sample event(s)", "n => Number(document.body.dataset.sampleCount || 0) >= n", args.wait_events)
            if args.until_stat:
                wait(f"stat {args.until_stat} above {args.above:g}",
                     """([name, x]) => { const e = [...document.querySelectorAll('[data-stat]')].find(e => e.dataset.stat === name);
                                         return e && e.dataset.value !== '' && Number(e.dataset.value) > x; }""",
                     [args.until_stat, args.above])
            for name in args.until_alert:
                wait(f"alert {name} firing",
                     "name => [...document.querySelectorAll('[data-alert]')].some(e => e.dataset.alert === name && e.dataset.state === 'firing')",
                     name)
            for name in args.expect_alert:
                wait(f"alert {name} to be shown",
                     "name => [...document.querySelectorAll('[data-alert]')].some(e => e.dataset.alert === name)", name)
            page.evaluate(WAIT_FRAMES_JS)  # let the charts of the last event draw
            report.update(page.evaluate(SNAPSHOT_JS))
            if args.screenshot:
                page.screenshot(path=args.screenshot, full_page=args.full_page, timeout=remaining_ms())
                report["screenshot"] = args.screenshot
        finally:
            browser.close()


def main(argv=None):
    args = parse_args(argv)
    report = {"ok": False, "url": args.url, "color_scheme": "dark" if args.dark else "light",
              "console_errors": [], "external_requests": [], "connection": None, "stats": {}, "panels": {},
              "nodes": {}, "alerts": {}, "events_seen": 0, "problems": []}
    failure = None
    try:
        run(args, report)
    except CheckFailed as e:
        failure = str(e)
    except ImportError as e:
        failure = f"playwright is not importable ({e}); install it: python3 -m venv .venv && .venv/bin/pip install playwright==1.65.2"
    if failure is None:
        reasons = []
        if report["console_errors"]:
            reasons.append(f"{len(report['console_errors'])} console error(s)/warning(s): " + "; ".join(report["console_errors"][:5]))
        if report["external_requests"]:
            reasons.append("requests to non-loopback addresses: " + ", ".join(report["external_requests"][:5]))
        if report["problems"]:
            reasons.append("page problems: " + "; ".join(report["problems"]))
        failure = "; ".join(reasons) or None
    report["ok"] = failure is None
    if failure:
        report["error"] = failure
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_summary(report)
    if failure:
        print(f"dashboard_check: {failure}", file=sys.stderr)
        return 1
    return 0


def print_summary(r):
    print(f"{r['url']} ({r['color_scheme']}): connection {r['connection']}, {r['events_seen']} sample event(s)")
    print("stats:  " + ", ".join(f"{k}={v}" for k, v in r["stats"].items()))
    for pid, p in r["panels"].items():
        print(f"panel {pid} [{p['unit']}]: " + (", ".join(f"{k}={v}" for k, v in p["series"].items()) or "no series"))
    print("nodes:  " + (", ".join(f"{k}={v}" for k, v in r["nodes"].items()) or "none"))
    print("alerts: " + (", ".join(f"{k}={v}" for k, v in r["alerts"].items()) or "none"))
    print(f"console errors: {len(r['console_errors'])}")
    for line in r["console_errors"]:
        print("  " + line)


if __name__ == "__main__":
    sys.exit(main())
