/// `GET /dashboard`: one self-contained page (HTML, CSS and JavaScript, no external resource)
/// that draws the gateway's panels from the Server-Sent Events of `/dashboard/events`
/// (``DashboardEvent``), its charts as inline SVG. Light and dark follow the system's preference.
///
/// The page reads only what the stream sends; its DOM carries `data-` attributes (`data-stat`,
/// `data-panel`, `data-series`, `data-node`, `data-alert`, `data-connection`) that
/// scripts/dashboard-check.py reads in a real browser (docs/console.md).
public enum DashboardPage {
    public static let html = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>OllamaMax dashboard</title>
        <!-- An inline icon, so the browser does not ask the gateway for /favicon.ico (a 404 is a console error). -->
        <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M1 12l4-5 3 3 4-6 3 4' fill='none' stroke='%232f6fd6' stroke-width='2'/%3E%3C/svg%3E">
        <style>
        :root {
          --bg: #f4f5f7; --card: #fff; --fg: #1b1f24; --muted: #5c6570; --line: #d9dde2; --grid: #eceef1;
          --ok: #1a7f37; --warn: #9a6700; --crit: #c8232c; --info: #2f6fd6;
          --ok-bg: #e6f4ea; --warn-bg: #fdf3d7; --crit-bg: #fde8e8; --info-bg: #e7effc;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0e1116; --card: #161b22; --fg: #e4e7eb; --muted: #9aa4ae; --line: #2d343d; --grid: #222830;
            --ok: #3fb950; --warn: #d29922; --crit: #f85149; --info: #58a6ff;
            --ok-bg: #12261a; --warn-bg: #2a2110; --crit-bg: #2d1416; --info-bg: #122236;
          }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        .num, td.n, .legend .val, .axis { font-variant-numeric: tabular-nums; }
        header.top { display: flex; align-items: center; gap: 12px; padding: 8px 16px; border-bottom: 1px solid var(--line); background: var(--card); }
        header.top h1 { font-size: 16px; margin: 0; }
        header.top .grow { flex: 1; }
        .muted { color: var(--muted); }
        .pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; white-space: nowrap; border: 1px solid transparent; }
        .pill.ok, .badge.ok { color: var(--ok); background: var(--ok-bg); }
        .pill.warn, .badge.warn { color: var(--warn); background: var(--warn-bg); }
        .pill.crit, .badge.crit { color: var(--crit); background: var(--crit-bg); }
        .pill.info, .badge.info { color: var(--info); background: var(--info-bg); }
        #conn::before { content: "●"; margin-right: 4px; }
        #conn.stale { border-color: var(--warn); }
        .wrap { padding: 12px 16px 24px; display: grid; gap: 12px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
        .card h2 { font-size: 13px; margin: 0 0 6px; font-weight: 600; }
        /* Headline numbers */
        #stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 12px; }
        .stat { padding: 8px 12px; }
        .stat .label { color: var(--muted); font-size: 12px; }
        .stat .num { font-size: 22px; font-weight: 600; white-space: nowrap; }
        .stat .num.sub { font-size: 15px; font-weight: 400; color: var(--muted); }
        .stat.warn .num:first-of-type { color: var(--warn); }
        .stat.crit .num:first-of-type { color: var(--crit); }
        /* Nodes and alerts side by side */
        .row2 { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 12px; }
        .scroll { max-height: 232px; overflow: auto; }
        table { border-collapse: collapse; width: 100%; }
        th { text-align: left; font-weight: 500; color: var(--muted); font-size: 12px; border-bottom: 1px solid var(--line); padding: 3px 8px 3px 0; position: sticky; top: 0; background: var(--card); }
        td { padding: 4px 8px 4px 0; border-bottom: 1px solid var(--grid); vertical-align: middle; }
        td.n, th.n { text-align: right; }
        .badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; }
        .bar { display: inline-block; width: 48px; height: 6px; background: var(--grid); border-radius: 3px; vertical-align: middle; margin-left: 6px; overflow: hidden; }
        .bar i { display: block; height: 100%; background: var(--info); }
        .models { max-width: 220px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        #alerts { list-style: none; margin: 0; padding: 0; }
        #alerts li { border-left: 3px solid var(--muted); padding: 4px 8px; margin-bottom: 6px; background: var(--bg); border-radius: 0 4px 4px 0; }
        #alerts li.sev-critical { border-color: var(--crit); }
        #alerts li.sev-warning { border-color: var(--warn); }
        #alerts li.sev-info { border-color: var(--info); }
        #alerts li[data-state="pending"] { opacity: .8; border-left-style: dashed; }
        #alerts .lbl { color: var(--muted); font-size: 12px; margin-left: 4px; }
        #alerts .sum { margin-top: 2px; }
        .empty { color: var(--muted); padding: 8px 0; }
        /* Panels */
        #panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 12px; }
        .panel header { display: flex; align-items: baseline; gap: 8px; }
        .panel h3 { font-size: 13px; margin: 0; font-weight: 600; }
        .panel .note { color: var(--muted); font-size: 12px; }
        .chart { position: relative; height: 150px; margin-top: 4px; }
        .chart .empty { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; }
        .chart svg { display: block; }
        .chart svg text { fill: var(--muted); font-size: 10.5px; }
        .chart .gl { stroke: var(--grid); }
        .chart .ax { stroke: var(--line); }
        .chart .ln { fill: none; stroke-width: 1.5; stroke-linejoin: round; }
        .guide { position: absolute; top: 6px; bottom: 20px; width: 1px; background: var(--muted); pointer-events: none; }
        .legend { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 12px; }
        .legend li { display: flex; align-items: center; gap: 4px; min-width: 0; max-width: 100%; }
        .legend .sw { width: 10px; height: 3px; border-radius: 1px; flex: none; }
        .legend .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 220px; }
        .legend .val { font-weight: 600; }
        .legend button { font: inherit; color: var(--info); background: none; border: 0; padding: 0; cursor: pointer; }
        #tip { position: fixed; z-index: 10; pointer-events: none; background: var(--card); border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; font-size: 12px; box-shadow: 0 2px 8px rgba(0,0,0,.18); max-width: 340px; }
        #tip .t { color: var(--muted); margin-bottom: 2px; }
        #tip div { display: flex; gap: 6px; align-items: center; white-space: nowrap; }
        #tip .v { margin-left: auto; padding-left: 12px; font-weight: 600; font-variant-numeric: tabular-nums; }
        @media (max-width: 900px) { .row2 { grid-template-columns: 1fr; } }
        </style>
        </head>
        <body data-event-count="0" data-sample-count="0">
        <header class="top">
          <h1>OllamaMax</h1>
          <span class="muted">live dashboard</span>
          <span id="monitoring"></span>
          <span id="firing"></span>
          <span class="grow"></span>
          <span id="updated" class="muted"></span>
          <span id="conn" class="pill warn" data-connection="connecting">connecting</span>
        </header>
        <div class="wrap">
          <section id="stats" aria-label="Headline numbers"></section>
          <div class="row2">
            <section class="card"><h2>Nodes</h2><div class="scroll">
              <table><thead><tr><th>Node</th><th>State</th><th>Circuit</th><th class="n">In flight / limit</th><th>Models</th><th class="n">TTFT est.</th></tr></thead>
              <tbody id="nodes"></tbody></table>
              <div id="nodes-empty" class="empty">waiting for node status</div>
            </div></section>
            <section class="card"><h2 id="alerts-title">Alerts</h2><div class="scroll">
              <ul id="alerts"></ul><div id="alerts-empty" class="empty">waiting for alerts</div>
            </div></section>
          </div>
          <main id="panels"></main>
        </div>
        <div id="tip" hidden></div>
        <script>
        "use strict";
        // Renders the gateway's /dashboard/events stream (Server-Sent Events, JSON data).
        // The data-* attributes are the contract with dashboard_check.py: keep their names stable.

        const LEGEND_CAP = 12;
        const COLORS = ["#3b7ddd", "#e8702a", "#1f9d6b", "#d9383a", "#8a5cd1", "#0e9fb5",
                        "#c49000", "#d64f9a", "#6b9a1e", "#6e7b8b", "#a0632b", "#2bb3a3"];
        const STATS = { // label and unit of the headline numbers the gateway sends today; others are inferred
          requests_per_second: ["Requests", "per_second"], error_ratio: ["Errors", "ratio"],
          p95_seconds: ["Latency p95", "seconds"], in_flight: ["In flight", "count"],
          healthy_nodes: ["Healthy nodes", "count"], nodes: ["Nodes", "count"],
          cpu_ratio: ["CPU", "ratio"], rss_bytes: ["Memory (RSS)", "bytes"], queue_depth: ["Queue depth", "count"],
        };

        const $ = (id) => document.getElementById(id);
        const S = { interval: 5, step: 5, window: 3600, panels: [], byId: new Map(), now: null, events: 0, samples: 0, lastEvent: 0, retryAt: 0 };
        let es = null, retryDelay = 2, retryTimer = 0, drawPending = false;

        // ---- Formatting ----

        /** A number with about three significant digits, without trailing zeros; k/M/G above 10 000. */
        function num(x) {
          const a = Math.abs(x);
          if (a >= 1e4) {
            const [d, s] = a >= 999.5e6 ? [1e9, "G"] : a >= 999.5e3 ? [1e6, "M"] : [1e3, "k"];
            return num(x / d) + s;
          }
          let s = a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : a === 0 ? "0" : x.toPrecision(2);
          if (s.includes(".") && !s.includes("e")) s = s.replace(/0+$/, "").replace(/\.$/, "");
          return s;
        }

        const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

        /** How to show values of a unit whose magnitude is about `max`: a divisor and a suffix. */
        function scaleFor(unit, max) {
          const a = Math.abs(max);
          switch (unit) {
            case "seconds":
              return a >= 60 ? [60, " min"] : a >= 1 ? [1, " s"] : a >= 1e-3 || a === 0 ? [1e-3, " ms"] : [1e-6, " µs"];
            case "bytes": {
              let i = 0;
              while (i < BYTE_UNITS.length - 1 && a >= 1024 ** (i + 1)) i++;
              return [1024 ** i, " " + BYTE_UNITS[i]];
            }
            case "ratio": return [0.01, "%"];
            case "per_second": return [1, "/s"];
            case "tokens_per_second": return [1, " tok/s"];
            default: return [1, ""];
          }
        }

        /** A value with its unit, "–" when unknown. */
        function fmt(unit, v) {
          if (v === null || v === undefined || !Number.isFinite(v)) return "–";
          const [d, s] = scaleFor(unit, v);
          return num(v / d) + s;
        }

        /** Infers a unit from a stat's name, so new headline numbers need no page change. */
        function unitOfName(name) {
          if (name.endsWith("_seconds")) return "seconds";
          if (name.endsWith("_bytes")) return "bytes";
          if (name.endsWith("_ratio")) return "ratio";
          if (name.endsWith("tokens_per_second")) return "tokens_per_second";
          if (name.endsWith("_per_second")) return "per_second";
          return "count";
        }

        const pad = (n) => String(n).padStart(2, "0");
        function clock(t, seconds) {
          const d = new Date(t * 1000);
          return pad(d.getHours()) + ":" + pad(d.getMinutes()) + (seconds ? ":" + pad(d.getSeconds()) : "");
        }
        function ago(s) {
          s = Math.max(0, Math.round(s));
          return s < 60 ? s + "s" : s < 3600 ? Math.floor(s / 60) + "m" : Math.floor(s / 3600) + "h" + pad(Math.floor(s % 3600 / 60)) + "m";
        }
        const esc = (s) => String(s).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
        const isNum = (v) => typeof v === "number" && Number.isFinite(v);
        const dataValue = (v) => (isNum(v) ? String(v) : "");

        /** Creates an element with attributes and text. */
        function el(tag, attrs, text) {
          const e = document.createElement(tag);
          for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
          if (text !== undefined) e.textContent = text;
          return e;
        }

        // ---- Connection ----

        function setConn(state, text) {
          const c = $("conn");
          c.dataset.connection = state;
          c.className = "pill " + (state === "open" ? "ok" : state === "closed" ? "crit" : "warn");
          c.textContent = text || state;
        }

        function connect() {
          clearTimeout(retryTimer);
          setConn("connecting");
          es = new EventSource("/dashboard/events" + location.search);
          es.onopen = () => { retryDelay = 2; setConn("open"); };
          es.onerror = () => {
            if (es.readyState === EventSource.CLOSED) {
              // The server refused the stream (an HTTP error or a wrong content type): EventSource gives up, so retry ourselves.
              S.retryAt = Date.now() / 1000 + retryDelay;
              setConn("closed");
              tick();
              retryTimer = setTimeout(connect, retryDelay * 1000);
              retryDelay = Math.min(retryDelay * 2, 60);
            } else {
              setConn("connecting", "reconnecting");
            }
          };
          for (const [name, fn] of Object.entries(HANDLERS)) {
            es.addEventListener(name, (ev) => {
              let data;
              try { data = JSON.parse(ev.data); } catch (e) {
                console.error("dashboard: '" + name + "' event is not JSON: " + e.message); return;
              }
              try { fn(data); } catch (e) {
                console.error("dashboard: could not show '" + name + "' event: " + (e.stack || e));
              }
              S.events++;
              S.lastEvent = Date.now() / 1000;
              const b = document.body.dataset;
              b.lastEventTime = S.lastEvent.toFixed(3);
              b.lastEvent = name;
              b.eventCount = S.events;
              if (name === "sample") b.sampleCount = ++S.samples;
              tick();
            });
          }
        }

        /** Once a second and on each event: how old the newest event is ("stale" after three intervals without one), and the retry countdown. */
        function tick() {
          const now = Date.now() / 1000, c = $("conn");
          if (c.dataset.connection === "closed") c.textContent = "closed, retrying in " + Math.max(0, Math.ceil(S.retryAt - now)) + "s";
          if (!S.lastEvent) return;
          const stale = now - S.lastEvent > 3 * S.interval + 2;
          $("updated").textContent = (stale ? "no data for " : "updated ") + ago(now - S.lastEvent) + (stale ? "" : " ago");
          $("updated").className = stale ? "pill warn" : "muted";
          c.classList.toggle("stale", stale);
        }

        // ---- Event handlers ----

        const HANDLERS = {
          panels(d) {
            S.interval = isNum(d.interval_seconds) && d.interval_seconds > 0 ? d.interval_seconds : 5;
            S.window = isNum(d.window_seconds) && d.window_seconds > 0 ? d.window_seconds : 3600;
            S.step = isNum(d.range_step_seconds) && d.range_step_seconds > S.interval ? d.range_step_seconds : S.interval;
            S.now = null;
            const m = $("monitoring");
            m.className = d.monitoring === false ? "pill warn" : "";
            m.textContent = d.monitoring === false ? "performance monitoring off" : "";
            m.title = d.monitoring === false ? "start the gateway with --enable-performance-monitoring for latency histograms" : "";
            document.body.dataset.monitoring = typeof d.monitoring === "boolean" ? String(d.monitoring) : "";
            // A new connection starts from scratch: the range events that follow carry the history again.
            const root = $("panels");
            root.textContent = "";
            S.panels = [];
            S.byId.clear();
            for (const p of d.panels || []) {
              const panel = makePanel(p);
              S.panels.push(panel);
              S.byId.set(p.id, panel);
              root.append(panel.el);
              updateLegend(panel);
            }
            scheduleDraw();
          },

          range(d) {
            const p = S.byId.get(d.panel);
            if (!p) return;
            p.series = new Map();
            p.colorNext = 0;
            for (const s of d.series || []) {
              const pts = (s.points || []).filter((q) => isNum(q[0])).sort((a, b) => a[0] - b[0]);
              addSeries(p, s.name, s.labels).points = pts;
              if (pts.length) S.now = Math.max(S.now || 0, pts[pts.length - 1][0]);
            }
            trim(p);
            updateLegend(p);
            scheduleDraw();
          },

          sample(d) {
            if (!isNum(d.time)) throw new Error("sample without a numeric time");
            S.now = Math.max(S.now || 0, d.time);
            for (const [id, list] of Object.entries(d.panels || {})) {
              const p = S.byId.get(id);
              if (!p) continue;
              const seen = new Set();
              for (const e of list) {
                seen.add(e.name);
                push(p.series.get(e.name) || addSeries(p, e.name, e.labels), d.time, isNum(e.value) ? e.value : null);
              }
              // A series the sample leaves out has no value at this time: a gap, not its old value.
              for (const s of p.series.values()) if (!seen.has(s.name)) push(s, d.time, null);
            }
            for (const p of S.panels) { trim(p); updateLegend(p); }
            scheduleDraw();
          },

          stats(d) {
            const root = $("stats");
            for (const [key, v] of Object.entries(d)) {
              let span = root.querySelector(`[data-stat="${CSS.escape(key)}"]`);
              if (!span) span = makeStat(root, key, d);
              span.dataset.value = dataValue(v);
              const unit = (STATS[key] || [])[1] || unitOfName(key);
              span.textContent = span.classList.contains("sub") ? "/ " + fmt(unit, v) : fmt(unit, v);
            }
            // Colour the healthy-node count when some nodes are out.
            const h = d.healthy_nodes, n = d.nodes, tile = root.querySelector('[data-stat="healthy_nodes"]');
            if (tile && isNum(h) && isNum(n)) tile.parentNode.className = "card stat" + (h === 0 && n > 0 ? " crit" : h < n ? " warn" : "");
          },

          nodes(d) {
            const body = $("nodes");
            body.textContent = "";
            const nodes = d.nodes || [];
            $("nodes-empty").textContent = nodes.length ? "" : "no nodes configured";
            $("nodes-empty").hidden = nodes.length > 0;
            for (const n of nodes) {
              const tr = el("tr", { "data-node": n.id, "data-state": n.state, "data-circuit": n.circuit,
                "data-in-flight": dataValue(n.in_flight), "data-limit": dataValue(n.limit) });
              const name = el("td");
              name.append(el("b", {}, n.id), el("div", { class: "muted" }, n.url || ""));
              const stateCls = { healthy: "ok", degraded: "warn", unhealthy: "crit" }[n.state] || "info";
              const circCls = { closed: "ok", half_open: "warn", open: "crit" }[n.circuit] || "info";
              const load = el("td", { class: "n" }, (isNum(n.in_flight) ? n.in_flight : "–") + " / " + (isNum(n.limit) ? n.limit : "–"));
              // The bar is there without a limit too (empty), so the numbers line up.
              const bar = el("span", { class: "bar" }), fill = el("i");
              const full = isNum(n.in_flight) && isNum(n.limit) && n.limit > 0 ? Math.min(100, 100 * n.in_flight / n.limit) : 0;
              fill.style.width = full + "%";
              bar.append(fill);
              load.append(bar);
              const models = (n.models || []).join(", ");
              tr.append(name,
                wrapTd(el("span", { class: "badge " + stateCls }, n.state || "unknown")),
                wrapTd(el("span", { class: "badge " + circCls }, (n.circuit || "unknown").replace("_", "-"))),
                load,
                el("td", { class: "models", title: models }, models || "–"),
                el("td", { class: "n" }, fmt("seconds", n.ttft_estimate_seconds)));
              body.append(tr);
            }
          },

          alerts(d) {
            const list = $("alerts"), empty = $("alerts-empty");
            list.textContent = "";
            const stateRank = { firing: 0, pending: 1 }, sevRank = { critical: 0, warning: 1, info: 2 };
            const alerts = (d.alerts || []).slice().sort((a, b) =>
              (stateRank[a.state] ?? 2) - (stateRank[b.state] ?? 2) ||
              (sevRank[a.labels?.severity] ?? 3) - (sevRank[b.labels?.severity] ?? 3) ||
              String(a.activeAt).localeCompare(String(b.activeAt)));
            let firing = 0, pending = 0;
            for (const a of alerts) {
              const labels = a.labels || {}, ann = a.annotations || {}, name = labels.alertname || "unnamed";
              const sev = labels.severity || "none";
              if (a.state === "firing") firing++; else if (a.state === "pending") pending++;
              const li = el("li", { class: "sev-" + sev, "data-alert": name, "data-state": a.state || "", "data-severity": sev });
              const cls = a.state === "firing" ? ({ critical: "crit", warning: "warn" }[sev] || "info") : "info";
              const head = el("div");
              head.append(el("span", { class: "badge " + cls }, a.state || "?"), " ", el("b", {}, name));
              const extra = Object.entries(labels).filter(([k]) => k !== "alertname" && k !== "severity").map(([k, v]) => k + "=" + v);
              head.append(el("span", { class: "lbl" }, [sev].concat(extra).join(" · ")));
              const since = Date.parse(a.activeAt);
              if (Number.isFinite(since)) {
                head.append(el("span", { class: "lbl" }, "· since " + clock(since / 1000, true) + " (" + ago(Date.now() / 1000 - since / 1000) + ")"));
              }
              li.append(head);
              const text = ann.summary || ann.description;
              if (text) li.append(el("div", { class: "sum" }, text));
              if (ann.description && ann.description !== text) li.title = ann.description;
              list.append(li);
            }
            const rules = d.rules_loaded;
            empty.hidden = alerts.length > 0;
            empty.textContent = rules === 0 ? "no alert rules loaded (start with --alert-rules FILE)"
              : "no alerts" + (isNum(rules) ? " (" + rules + " rules loaded)" : "");
            const ds = list.dataset;
            ds.alertCount = alerts.length; ds.firingCount = firing; ds.rulesLoaded = dataValue(rules);
            $("alerts-title").textContent = "Alerts" + (alerts.length ? ` (${firing} firing, ${pending} pending)` : "");
            const f = $("firing");
            f.className = firing ? "pill crit" : "";
            f.textContent = firing ? firing + " alert" + (firing > 1 ? "s" : "") + " firing" : "";
          },
        };

        function wrapTd(child) { const td = el("td"); td.append(child); return td; }

        /** A headline tile; "nodes" joins the "healthy_nodes" tile as its denominator when both are sent. */
        function makeStat(root, key, d) {
          if (key === "nodes" && "healthy_nodes" in d) {
            const host = root.querySelector('[data-stat="healthy_nodes"]') || makeStat(root, "healthy_nodes", d);
            const span = el("span", { class: "num sub", "data-stat": key });
            host.after(" ", span);
            return span;
          }
          const tile = el("div", { class: "card stat" });
          const span = el("span", { class: "num", "data-stat": key });
          tile.append(el("div", { class: "label" }, (STATS[key] || [])[0] || key.replace(/_/g, " ")), span);
          root.append(tile);
          return span;
        }

        // ---- Series and panels ----

        function addSeries(p, name, labels) {
          const s = { name: String(name), labels: labels || {}, points: [], color: COLORS[p.colorNext++ % COLORS.length] };
          p.series.set(s.name, s);
          return s;
        }

        /** Appends a point in time order; a second value for the same time replaces the first. */
        function push(s, t, v) {
          const last = s.points[s.points.length - 1];
          if (last && last[0] === t) last[1] = v;
          else if (!last || last[0] < t) s.points.push([t, v]);
        }

        /** Drops points older than the window; series left without points go. */
        function trim(p) {
          if (S.now === null) return;
          const from = S.now - S.window;
          for (const s of [...p.series.values()]) {
            let i = 0;
            while (i < s.points.length && s.points[i][0] < from) i++;
            if (i) s.points.splice(0, i);
            if (!s.points.length) p.series.delete(s.name);
          }
        }

        function makePanel(def) {
          const sec = el("section", { class: "card panel", "data-panel": def.id, "data-unit": def.unit || "count", "data-series-count": "0" });
          const head = el("header");
          head.append(el("h3", {}, def.title || def.id), el("span", { class: "note" }));
          const chart = el("div", { class: "chart" });
          const legend = el("ul", { class: "legend" });
          sec.append(head, chart, legend);
          const p = { id: def.id, unit: def.unit || "count", note: def.note || null, el: sec, chart, legend,
            series: new Map(), colorNext: 0, items: new Map(), expanded: false, layout: null, mouse: null };
          chart.addEventListener("mousemove", (ev) => { p.mouse = ev; hover(p, ev); });
          chart.addEventListener("mouseleave", () => { p.mouse = null; unhover(p); });
          return p;
        }

        const hasData = (p) => [...p.series.values()].some((s) => s.points.some((q) => isNum(q[1])));

        /** Legend entries carry each series' newest value in data-last ("" when it is a gap). */
        function updateLegend(p) {
          p.el.dataset.seriesCount = p.series.size;
          for (const [name, li] of p.items) if (!p.series.has(name)) { li.remove(); p.items.delete(name); }
          let i = 0;
          for (const s of p.series.values()) {
            let li = p.items.get(s.name);
            if (!li) {
              li = el("li", { "data-series": s.name });
              const labels = Object.entries(s.labels).map(([k, v]) => k + "=" + v).join(", ");
              li.append(el("span", { class: "sw" }), el("span", { class: "name", title: labels || s.name }, s.name), el("span", { class: "val" }));
              p.items.set(s.name, li);
            }
            const last = s.points.length ? s.points[s.points.length - 1][1] : null;
            li.firstChild.style.background = s.color;
            li.dataset.last = dataValue(last);
            li.lastChild.textContent = fmt(p.unit, last);
            li.hidden = !p.expanded && i >= LEGEND_CAP;
            p.legend.append(li); // keeps insertion order, before the "+N more" button
            i++;
          }
          const extra = p.series.size - LEGEND_CAP;
          let more = p.legend.querySelector("li.more");
          if (extra > 0) {
            if (!more) {
              more = el("li", { class: "more" });
              const b = el("button", { type: "button" });
              b.addEventListener("click", () => { p.expanded = !p.expanded; updateLegend(p); });
              more.append(b);
            }
            more.firstChild.textContent = p.expanded ? "show fewer" : "+" + extra + " more";
            p.legend.append(more);
          } else if (more) more.remove();
          const empty = !hasData(p);
          p.el.querySelector(".note").textContent = !empty && p.note ? p.note : "";
          p.el.dataset.empty = String(empty);
        }

        // ---- Charts ----

        function scheduleDraw() {
          if (drawPending) return;
          drawPending = true;
          requestAnimationFrame(() => { drawPending = false; for (const p of S.panels) draw(p); });
        }

        /** The shared time axis: the window up to the newest time, shorter while less history exists. */
        function timeDomain() {
          const x1 = S.now || Date.now() / 1000;
          let first = x1;
          for (const p of S.panels) for (const s of p.series.values()) if (s.points.length) first = Math.min(first, s.points[0][0]);
          return [Math.min(Math.max(first, x1 - S.window), x1 - 10 * S.interval), x1];
        }

        /** 1, 2 or 5 times a power of ten, at least `raw`. */
        function niceStep(raw) {
          const p = 10 ** Math.floor(Math.log10(raw)), f = raw / p;
          return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
        }

        const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

        function draw(p) {
          const w = p.chart.clientWidth, h = p.chart.clientHeight;
          if (!w || !h) return;
          if (!hasData(p)) {
            p.layout = null;
            p.chart.innerHTML = `<div class="empty">${esc(p.note || "no data yet")}</div>`;
            return;
          }
          const [x0, x1] = timeDomain();
          let lo = 0, hi = 0;
          for (const s of p.series.values()) for (const [t, v] of s.points) if (isNum(v) && t >= x0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
          const [div, suffix] = scaleFor(p.unit, Math.max(Math.abs(lo), Math.abs(hi)));
          let step = niceStep(Math.max((hi - lo) / div, 1e-9) / 4);
          if (p.unit === "count" && step < 1) step = 1; // no fractional request counts on the axis
          const y0 = Math.floor(lo / div / step) * step, y1 = Math.max(Math.ceil(hi / div / step) * step, y0 + step);
          const ticks = [];
          for (let v = y0; v <= y1 + step / 2; v += step) ticks.push([v, num(+v.toPrecision(12)) + suffix]);
          // The left margin fits the longest y label (about 6.3 px a character at 10.5 px).
          const m = { l: 8 + Math.ceil(6.3 * Math.max(...ticks.map((k) => k[1].length))), r: 8, t: 6, b: 20 };
          const X = (t) => m.l + (t - x0) / (x1 - x0) * (w - m.l - m.r);
          const Y = (v) => h - m.b - (v / div - y0) / (y1 - y0) * (h - m.t - m.b);
          let svg = `<svg width="${w}" height="${h}" role="img" aria-label="${esc(p.el.querySelector("h3").textContent)}">`;
          for (const [v, label] of ticks) {
            const y = Y(v * div).toFixed(1);
            svg += `<line class="gl" x1="${m.l}" x2="${w - m.r}" y1="${y}" y2="${y}"/><text class="axis" x="${m.l - 4}" y="${y}" dy="3.5" text-anchor="end">${esc(label)}</text>`;
          }
          const tstep = TIME_STEPS.find((s) => (x1 - x0) / s <= (w - m.l - m.r) / 80) || 86400;
          for (let t = Math.ceil(x0 / tstep) * tstep; t <= x1; t += tstep) {
            const x = X(t).toFixed(1);
            svg += `<line class="ax" x1="${x}" x2="${x}" y1="${h - m.b}" y2="${h - m.b + 3}"/><text class="axis" x="${x}" y="${h - 5}" text-anchor="middle">${clock(t, tstep < 60)}</text>`;
          }
          svg += `<line class="ax" x1="${m.l}" x2="${w - m.r}" y1="${h - m.b}" y2="${h - m.b}"/>`;
          // A null value, or a hole longer than 2.5 steps of the first window (a missed sample, a restart), breaks the line.
          const gap = 2.5 * S.step;
          for (const s of p.series.values()) {
            let d = "", dots = "", prevT = -Infinity, run = 0, runStart = null;
            const endRun = () => { if (run === 1) dots += `<circle cx="${runStart[0]}" cy="${runStart[1]}" r="1.8" fill="${s.color}"/>`; run = 0; };
            for (const [t, v] of s.points) {
              if (t < x0 - gap) continue;
              if (!isNum(v) || t - prevT > gap) endRun();
              if (isNum(v)) {
                const x = X(t).toFixed(1), y = Y(v).toFixed(1);
                d += (run ? "L" : "M") + x + " " + y;
                if (!run) runStart = [x, y];
                run++;
              }
              prevT = t;
            }
            endRun();
            svg += `<path class="ln" stroke="${s.color}" d="${d}"/>${dots}`;
          }
          p.chart.innerHTML = svg + "</svg>";
          p.layout = { x0, x1, m, w, h, X };
          if (p.mouse) hover(p, p.mouse); // the data moved under a still pointer
        }

        // ---- Tooltip ----

        /** The point of `points` nearest to time t, by binary search. */
        function nearest(points, t) {
          let lo = 0, hi = points.length - 1;
          if (hi < 0) return null;
          while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (points[mid][0] < t) lo = mid; else hi = mid; }
          return Math.abs(points[lo][0] - t) <= Math.abs(points[hi][0] - t) ? points[lo] : points[hi];
        }

        function hover(p, ev) {
          const L = p.layout;
          if (!L) return unhover(p);
          const r = p.chart.getBoundingClientRect();
          const t = L.x0 + (ev.clientX - r.left - L.m.l) / (L.w - L.m.l - L.m.r) * (L.x1 - L.x0);
          let best = null;
          for (const s of p.series.values()) {
            const q = nearest(s.points, t);
            if (q && (best === null || Math.abs(q[0] - t) < Math.abs(best - t))) best = q[0];
          }
          if (best === null || best < L.x0) return unhover(p);
          let guide = p.chart.querySelector(".guide");
          if (!guide) { guide = el("div", { class: "guide" }); p.chart.append(guide); }
          guide.style.left = L.X(best).toFixed(1) + "px";
          const tip = $("tip");
          tip.textContent = "";
          tip.append(el("div", { class: "t" }, clock(best, true)));
          let shown = 0;
          for (const s of p.series.values()) {
            if (shown++ >= LEGEND_CAP) { tip.append(el("div", { class: "t" }, "+" + (p.series.size - LEGEND_CAP) + " more")); break; }
            const q = nearest(s.points, best);
            const v = q && Math.abs(q[0] - best) <= S.step / 2 ? q[1] : null;
            const row = el("div"), sw = el("span", { class: "sw" });
            sw.style.cssText = `width:10px;height:3px;background:${s.color}`;
            row.append(sw, el("span", {}, s.name), el("span", { class: "v" }, fmt(p.unit, v)));
            tip.append(row);
          }
          tip.hidden = false;
          const tw = tip.offsetWidth, th = tip.offsetHeight;
          tip.style.left = Math.min(ev.clientX + 14, innerWidth - tw - 4) + "px";
          tip.style.top = Math.min(ev.clientY + 14, innerHeight - th - 4) + "px";
        }

        function unhover(p) {
          $("tip").hidden = true;
          p.chart.querySelector(".guide")?.remove();
        }

        addEventListener("resize", scheduleDraw);
        setInterval(tick, 1000);
        connect();
        </script>
        </body>
        </html>
        """#
}
