/// The dashboard page's text: HTML with inline CSS and hand-written JS/SVG
/// (Docs/DASHBOARD.md). It reads only `DashboardPage.endpoints`.
enum DashboardHTML {
    static let page = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tidepool</title>
<link rel="icon" href="data:,">
<style>
:root { --bg:#0f1720; --card:#17212c; --fg:#e6edf3; --dim:#8b9bab; --acc:#3fb6c9; --acc2:#e0a340; --bad:#e5534b; --ok:#57ab5a; }
* { box-sizing:border-box; }
body { margin:0; font:15px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif; background:var(--bg); color:var(--fg); }
header { display:flex; flex-wrap:wrap; gap:.5em 1.5em; align-items:baseline; padding:.8em 1em; border-bottom:1px solid #253241; }
header h1 { font-size:1.2em; margin:0; color:var(--acc); }
header span { color:var(--dim); font-size:.9em; }
nav { display:flex; gap:.5em; padding:.6em 1em; flex-wrap:wrap; }
nav input { flex:1 1 18em; min-width:0; padding:.5em; border-radius:6px; border:1px solid #2d3b4a; background:#0b1118; color:var(--fg); font-family:ui-monospace,monospace; }
button { padding:.5em .9em; border-radius:6px; border:1px solid #2d3b4a; background:#1f2b38; color:var(--fg); cursor:pointer; }
button.on { border-color:var(--acc); color:var(--acc); }
main { padding:0 1em 2em; max-width:1100px; margin:0 auto; }
h2 { font-size:1.05em; margin:1.2em 0 .5em; color:var(--dim); font-weight:600; text-transform:uppercase; letter-spacing:.04em; }
.grid { display:grid; grid-template-columns:repeat(auto-fill,minmax(15em,1fr)); gap:.6em; }
.card { background:var(--card); border-radius:8px; padding:.7em .9em; }
.card .k { color:var(--dim); font-size:.82em; }
.card .v { font-size:1.3em; font-variant-numeric:tabular-nums; word-break:break-all; }
.card .s { color:var(--dim); font-size:.8em; }
.chart { background:var(--card); border-radius:8px; padding:.5em; }
.chart svg { width:100%; height:auto; display:block; }
.legend { font-size:.8em; color:var(--dim); padding:.2em .4em; }
.legend b { display:inline-block; width:.8em; height:.8em; border-radius:2px; margin:0 .3em 0 .8em; vertical-align:-.1em; }
table { width:100%; border-collapse:collapse; font-size:.88em; font-variant-numeric:tabular-nums; }
th, td { text-align:left; padding:.35em .4em; border-bottom:1px solid #253241; white-space:nowrap; }
th { color:var(--dim); font-weight:500; }
.scroll { overflow-x:auto; background:var(--card); border-radius:8px; }
.mono { font-family:ui-monospace,monospace; }
.bad { color:var(--bad); } .ok { color:var(--ok); } .dim { color:var(--dim); }
#error, #scriptErrors { color:var(--bad); padding:0 1em; }
#scriptErrors { white-space:pre-wrap; font-size:.85em; }
#addrTitle { text-transform:none; letter-spacing:0; word-break:break-all; }
@media (max-width:600px) { body { font-size:14px; } .card .v { font-size:1.1em; } th, td { padding:.3em .25em; } }
</style>
</head>
<body>
<header><h1>Tidepool</h1><span id="net">…</span><span id="tip"></span><span id="updated"></span></header>
<nav>
  <input id="addr" placeholder="payout address (shows its view)" autocomplete="off" spellcheck="false">
  <button id="show">Show</button><button id="clear">Network</button>
</nav>
<div id="error"></div>
<pre id="scriptErrors" hidden></pre>
<script>
"use strict";
// Script errors (uncaught exceptions, rejected promises, console.error) are shown here
// instead of failing silently; the headless-browser test requires this element empty.
(() => {
  const box = document.getElementById("scriptErrors");
  const report = text => { box.hidden = false; box.textContent += text + "\n"; };
  window.addEventListener("error", e => report("error: " + e.message + (e.filename ? " (" + e.filename + ":" + e.lineno + ")" : "")));
  window.addEventListener("unhandledrejection", e => report("unhandled rejection: " + e.reason));
  const original = console.error.bind(console);
  console.error = (...args) => { report("console.error: " + args.join(" ")); original(...args); };
})();
</script>
<main>
  <section id="addressView" hidden>
    <h2>Address <span id="addrTitle" class="mono"></span></h2>
    <div class="grid" id="addrCards"></div>
    <h2>Hash rate</h2>
    <div class="chart"><svg id="addrChart" viewBox="0 0 640 180"></svg></div>
    <h2>Workers</h2>
    <div class="scroll"><table id="workers"></table></div>
  </section>
  <section id="networkView">
    <h2>Pool</h2>
    <div class="grid" id="poolCards"></div>
    <h2>Hash rate <span id="ranges"></span></h2>
    <div class="chart"><svg id="poolChart" viewBox="0 0 640 180"></svg>
      <div class="legend"><b style="background:var(--acc)"></b>this node's miners<b style="background:var(--acc2)"></b>sharechain</div></div>
    <h2>Blocks found</h2>
    <div class="scroll"><table id="blocks"></table></div>
  </section>
  <p class="dim" id="note"></p>
</main>
<script>
"use strict";
const REFRESH_MS = 15000;
let range = "hour";
const $ = id => document.getElementById(id);
const esc = s => String(s).replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c]));

function rate(h) {
  if (!(h > 0)) return "0 H/s";
  const u = ["H/s","kH/s","MH/s","GH/s","TH/s","PH/s","EH/s","ZH/s"];
  let i = 0; while (h >= 1000 && i < u.length - 1) { h /= 1000; i++; }
  return h.toFixed(h < 10 ? 2 : h < 100 ? 1 : 0) + " " + u[i];
}
function duration(s) {
  if (s === null || s === undefined) return "unknown";
  if (s < 120) return Math.round(s) + " s";
  if (s < 7200) return Math.round(s / 60) + " min";
  if (s < 172800) return (s / 3600).toFixed(1) + " h";
  if (s < 86400 * 730) return (s / 86400).toFixed(1) + " days";
  return (s / 86400 / 365.25).toExponential(2) + " years";
}
const btc = sats => (sats / 1e8).toFixed(8) + " BTC";
const pct = p => p === null || p === undefined ? "–" : p.toFixed(1) + " %";
const when = t => t ? new Date(t * 1000).toLocaleString() : "–";
const card = (k, v, s) => '<div class="card"><div class="k">' + esc(k) + '</div><div class="v">' + esc(v) +
  '</div>' + (s ? '<div class="s">' + esc(s) + '</div>' : '') + '</div>';
function rateCard(label, windows) {
  const w = windows.map(x => (x.window_seconds / 60) + " min: " + rate(x.hashes_per_second) +
    (x.relative_error === null ? "" : " ±" + Math.round(x.relative_error * 100) + "%"));
  return card(label, rate(windows[1].hashes_per_second), w.join(" · "));
}

async function get(path) {
  const r = await fetch(path, { cache: "no-store" });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || (path + ": HTTP " + r.status));
  return body;
}

// An SVG line chart of [{t, v}] series, hand-written: scales, grid, area and line.
function chart(svg, series) {
  const W = 640, H = 180, L = 62, R = 8, T = 10, B = 24;
  const all = series.flatMap(s => s.points);
  if (all.length === 0) { svg.innerHTML = '<text x="320" y="95" fill="#8b9bab" text-anchor="middle">no data yet</text>'; return; }
  const t0 = Math.min(...all.map(p => p.t)), t1 = Math.max(...all.map(p => p.t), t0 + 60);
  const vmax = Math.max(...all.map(p => p.v), 1) * 1.1;
  const x = t => L + (t - t0) / (t1 - t0) * (W - L - R), y = v => H - B - v / vmax * (H - T - B);
  let out = "";
  for (let i = 0; i <= 4; i++) {
    const v = vmax * i / 4, yy = y(v).toFixed(1);
    out += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + yy + '" y2="' + yy + '" stroke="#253241"/>';
    out += '<text x="' + (L - 4) + '" y="' + yy + '" fill="#8b9bab" font-size="10" text-anchor="end" dominant-baseline="middle">' + esc(rate(v)) + '</text>';
  }
  const fmt = t => { const d = new Date(t * 1000); return range === "hour" || range === "day" ?
    d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : d.toLocaleDateString([], { month: "short", day: "numeric" }); };
  out += '<text x="' + L + '" y="' + (H - 6) + '" fill="#8b9bab" font-size="10">' + esc(fmt(t0)) + '</text>';
  out += '<text x="' + (W - R) + '" y="' + (H - 6) + '" fill="#8b9bab" font-size="10" text-anchor="end">' + esc(fmt(t1)) + '</text>';
  for (const s of series) {
    if (s.points.length === 0) continue;
    const pts = s.points.map(p => x(p.t).toFixed(1) + "," + y(p.v).toFixed(1));
    out += '<polygon points="' + x(s.points[0].t).toFixed(1) + "," + y(0) + " " + pts.join(" ") + " " +
      x(s.points[s.points.length - 1].t).toFixed(1) + "," + y(0) + '" fill="' + s.color + '" fill-opacity="0.12"/>';
    out += '<polyline points="' + pts.join(" ") + '" fill="none" stroke="' + s.color + '" stroke-width="1.8"/>';
    for (const p of s.points.length <= 2 ? s.points : []) out += '<circle cx="' + x(p.t).toFixed(1) + '" cy="' + y(p.v).toFixed(1) + '" r="2.5" fill="' + s.color + '"/>';
  }
  svg.innerHTML = out;
}
const points = history => history.map(b => ({ t: b.start + b.seconds / 2, v: b.hashes_per_second }));

function renderRanges() {
  $("ranges").innerHTML = ["hour", "day", "week"].map(r =>
    '<button data-r="' + r + '" class="' + (r === range ? "on" : "") + '">' + r + '</button>').join(" ");
  for (const b of $("ranges").querySelectorAll("button")) b.onclick = () => { range = b.dataset.r; refresh(); };
}

function renderNetwork(status, stats, blocks) {
  const n = stats.next_block, luck = stats.luck;
  $("poolCards").innerHTML =
    rateCard("This node's miners (5 min)", stats.node_miners.hashrate) +
    rateCard("Sharechain (5 min)", stats.sharechain.hashrate) +
    card("Expected time to a block", n ? duration(n.expected_seconds) : "no template",
         n ? (n.hashrate_basis ? "at the " + n.hashrate_basis.replace("_", " ") + " rate, " + rate(n.hashes_per_second) : "no hash rate yet") : "") +
    card("Current round effort", luck.round ? pct(luck.round.effort_percent) : "–", "100 % = one block's expected work") +
    card("Luck (effort), last day / week / all", pct(luck.day.effort_percent) + " / " + pct(luck.week.effort_percent) + " / " + pct(luck.all.effort_percent),
         luck.all.blocks + " complete rounds; below 100 % is lucky") +
    card("Workers / addresses", stats.connected_workers + " / " + stats.addresses) +
    card("Last hour", stats.node_miners.last_hour.accepted + " accepted", stats.node_miners.last_hour.stale + " stale, " + stats.node_miners.last_hour.rejected + " rejected");
  chart($("poolChart"), [
    { color: "#3fb6c9", points: points(stats.node_miners.history[range]) },
    { color: "#e0a340", points: points(stats.sharechain.history[range]) }]);
  const effort = {};
  for (const b of luck.blocks) effort[b.hash] = b;
  $("blocks").innerHTML = "<tr><th>height</th><th>found</th><th>reward</th><th>verdict</th><th>effort</th><th>hash</th></tr>" +
    (blocks.length === 0 ? '<tr><td colspan="6" class="dim">none yet</td></tr>' : blocks.slice(0, 50).map(b => {
      const l = effort[b.hash], cls = b.accepted_by_bitcoind === true ? "ok" : b.accepted_by_bitcoind === false ? "bad" : "dim";
      return "<tr><td>" + b.height + "</td><td>" + esc(when(b.time)) + "</td><td>" + esc(btc(b.reward)) + '</td><td class="' + cls + '">' +
        esc(b.verdict) + "</td><td>" + (l ? pct(l.effort_percent) + (l.partial_round ? "*" : "") : "–") + '</td><td class="mono">' + esc(b.hash.slice(0, 16)) + "…</td></tr>";
    }).join(""));
}

function renderAddress(m) {
  $("addrTitle").textContent = m.address;
  const p = m.payout, s = m.statistics;
  $("addrCards").innerHTML =
    rateCard("Hash rate (5 min)", s.hashrate) +
    card("If a block were found now", p ? btc(p.if_found_now) : "no template", p ? (p.lottery_entry > 0 ? (p.lottery_won ? "wins" : "enters") + " the lottery (" + btc(p.lottery_pool) + ")" : "paid directly") : "") +
    card("Expected value per block", p ? btc(p.expected_value) : "–", p && p.lottery_entry > 0 ? "includes the lottery entry " + btc(p.lottery_entry) : "") +
    card("TIDES window share", p ? (p.window_share * 100).toFixed(3) + " %" : "–", p ? "work " + p.window_work + " of " + p.window_total_work : "") +
    card("Last hour", s.last_hour.accepted + " accepted", s.last_hour.stale + " stale, " + s.last_hour.rejected + " rejected") +
    card("Pool's expected time to a block", m.next_block ? duration(m.next_block.expected_seconds) : "–");
  chart($("addrChart"), [{ color: "#3fb6c9", points: points(s.history[range]) }]);
  $("workers").innerHTML = "<tr><th>worker</th><th>online</th><th>1 min</th><th>5 min</th><th>60 min</th><th>accepted</th><th>stale</th><th>rejected</th></tr>" +
    (m.workers.length === 0 ? '<tr><td colspan="8" class="dim">no workers on this node</td></tr>' : m.workers.map(w => {
      const h = w.statistics.hashrate, c = w.statistics.last_hour;
      return "<tr><td>" + esc(w.worker || "(default)") + '</td><td class="' + (w.connected ? "ok" : "dim") + '">' + (w.connected ? "yes" : "no") + "</td><td>" +
        h.map(x => esc(rate(x.hashes_per_second))).join("</td><td>") + "</td><td>" + c.accepted + "</td><td>" + c.stale + "</td><td>" + c.rejected + "</td></tr>";
    }).join(""));
}

function currentAddress() {
  const m = /(?:^|&)address=([^&]*)/.exec(location.hash.slice(1));
  return m ? decodeURIComponent(m[1]) : "";
}

async function refresh() {
  renderRanges();
  const address = currentAddress();
  $("addressView").hidden = !address;
  $("networkView").hidden = !!address;
  try {
    const [status, stats] = await Promise.all([get("/api/v1/status"), get("/api/v1/stats")]);
    $("net").textContent = status.network + (status.synced ? "" : " (syncing)") + " · " + status.peers + (status.peers === 1 ? " peer" : " peers");
    $("tip").textContent = status.tip ? "share height " + status.tip.height : "empty sharechain";
    $("updated").textContent = "updated " + new Date().toLocaleTimeString();
    $("note").textContent = "Hash rates: " + stats.estimator + ". Statistics cover " + stats.covered_minutes + " min since the node started. Refreshes every 15 s.";
    if (address) renderAddress(await get("/api/v1/miners/" + encodeURIComponent(address)));
    else renderNetwork(status, stats, await get("/api/v1/blocks"));
    $("error").textContent = "";
  } catch (e) {
    $("error").textContent = e.message;
  }
}

$("addr").value = currentAddress();
$("show").onclick = () => { const a = $("addr").value.trim(); location.hash = a ? "address=" + encodeURIComponent(a) : ""; };
$("addr").onkeydown = e => { if (e.key === "Enter") $("show").onclick(); };
$("clear").onclick = () => { $("addr").value = ""; location.hash = ""; };
window.onhashchange = () => { $("addr").value = currentAddress(); refresh(); };
refresh();
setInterval(refresh, REFRESH_MS);
</script>
</body>
</html>
"""#
}
