// jamwatch dashboard: plain JS, no build step. Live data arrives as server-sent events
// (/api/stream, one "snapshot" of lines + alerts per change); a selected device's history is
// fetched from /api/devices/{id}/history. Text from the topics is only ever set as textContent.
'use strict';

const state = { selected: null, snapshot: null, historyTimer: null };

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

// Risk 0 -> green (hue 120), 0.5 -> amber, 1 -> red (hue 0).
function riskColour(score) {
  const s = Math.max(0, Math.min(1, score));
  const hue = Math.round(120 * (1 - s));
  return `hsl(${hue}, ${60 + Math.round(15 * s)}%, ${40 + Math.round(5 * Math.sin(Math.PI * s))}%)`;
}

function fmtTime(ms) {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toISOString().substring(11, 19);
}

function fmtDuration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

// The horizon an alert fired on, as an operator reads it: "jam risk within ~10 min" (0 = not said).
function horizonText(ms) {
  if (!ms) return '—';
  const s = Math.round(ms / 1000);
  const span = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
  return `jam risk within ~${span}`;
}

function shortId(deviceId, lineId) {
  return deviceId.startsWith(lineId + '-') ? deviceId.substring(lineId.length + 1) : deviceId;
}

// Tiles are updated in place, never re-created on a snapshot: a click whose mousedown and mouseup
// land on two different elements is lost, and snapshots arrive up to 4 times a second.
const tileByDevice = new Map();

function renderLines(lines) {
  const root = document.getElementById('lines');
  const layout = lines.map((l) => l.lineId + ':' + l.devices.map((d) => d.deviceId).join(',')).join('|');
  if (root.dataset.layout !== layout) {
    root.replaceChildren();
    tileByDevice.clear();
    if (!lines.length) root.append(el('p', 'empty', 'No scores yet.'));
    for (const line of lines) {
      const row = el('div', 'line');
      row.dataset.line = line.lineId;
      row.append(el('div', 'line-id', line.lineId));
      const strip = el('div', 'strip');
      for (const d of line.devices) {
        const t = newTile(d.deviceId);
        tileByDevice.set(d.deviceId, t);
        strip.append(t);
      }
      row.append(strip);
      root.append(row);
    }
    root.dataset.layout = layout;
  }
  for (const line of lines) for (const d of line.devices) updateTile(tileByDevice.get(d.deviceId), d);
}

function newTile(deviceId) {
  const t = el('div', 'tile');
  t.dataset.device = deviceId;
  t.append(el('span', 'sid'), el('span', 'sc'));
  t.addEventListener('click', () => select(deviceId));
  return t;
}

function updateTile(t, d) {
  t.title = `${d.deviceId}` + (d.score === null ? ' (no score yet)' : ` risk ${d.score.toFixed(3)}`)
      + (d.warming ? ' · warming up' : '') + (d.stale ? ' · STALE' : '') + (d.alertOpen ? ' · ALERT' : '');
  if (d.score === null) {
    t.style.backgroundColor = '';
    delete t.dataset.score;
  } else {
    t.style.backgroundColor = riskColour(d.score);
    t.dataset.score = d.score.toFixed(3);
  }
  t.classList.toggle('noscore', d.score === null);
  t.classList.toggle('warming', d.warming);
  t.classList.toggle('stale', d.stale);
  t.classList.toggle('alert', d.alertOpen);
  t.classList.toggle('selected', state.selected === d.deviceId);
  t.children[0].textContent = shortId(d.deviceId, d.lineId);
  t.children[1].textContent = d.score === null ? '—' : d.score.toFixed(2);
}

function reasonsCell(reasons) {
  const td = el('td', 'reasons');
  if (!reasons || !reasons.length) { td.append(el('span', 'empty', '—')); return td; }
  for (const r of reasons.slice(0, 3)) {
    td.append(el('span', 'reason', `${r.group} ${r.drop >= 0 ? '+' : ''}${r.drop.toFixed(2)}`));
  }
  return td;
}

let openKey = '';
let clearedKey = '';

// Alert rows, like tiles, are rebuilt only when the set of alerts changes; the live cells
// (duration, current score) are updated in place so a click on a row is never lost.
function renderAlerts(alerts, lines) {
  const latest = new Map();
  for (const l of lines) for (const d of l.devices) latest.set(d.deviceId, d);
  document.getElementById('open-count').textContent = String(alerts.open.length);
  const openBody = document.querySelector('#open-alerts tbody');
  const ok = JSON.stringify(alerts.open.map((a) => [a.deviceId, a.raisedAt, a.peak, a.reasons, a.horizonMillis]));
  if (ok !== openKey) {
    openKey = ok;
    openBody.replaceChildren();
    if (!alerts.open.length) {
      const tr = el('tr'); const td = el('td', 'empty', 'No open alerts.'); td.colSpan = 7; tr.append(td); openBody.append(tr);
    }
    for (const a of alerts.open) {
      const tr = el('tr', 'clickable');
      tr.dataset.device = a.deviceId;
      tr.append(el('td', null, a.deviceId), el('td', null, a.lineId), el('td', 'horizon', horizonText(a.horizonMillis)),
          el('td', 'since'), el('td', 'num', a.peak.toFixed(3)), el('td', 'num now'), reasonsCell(a.reasons));
      tr.addEventListener('click', () => select(a.deviceId));
      openBody.append(tr);
    }
  }
  alerts.open.forEach((a, i) => {
    const tr = openBody.children[i];
    const d = latest.get(a.deviceId);
    const now = d && d.eventTime !== null ? d.eventTime : a.raisedAt;
    tr.querySelector('.since').textContent = `${fmtTime(a.raisedAt)} (${fmtDuration(now - a.raisedAt)})`;
    tr.querySelector('.now').textContent = d && d.score !== null ? d.score.toFixed(3) : '—';
  });
  renderTally(alerts.outcomes || []);
  const ck = JSON.stringify(alerts.cleared.map((a) => [a.deviceId, a.raisedAt, a.clearedAt, a.outcome]));
  if (ck === clearedKey) return;
  clearedKey = ck;
  const clearedBody = document.querySelector('#cleared-alerts tbody');
  clearedBody.replaceChildren();
  if (!alerts.cleared.length) {
    const tr = el('tr'); const td = el('td', 'empty', 'None yet.'); td.colSpan = 9; tr.append(td); clearedBody.append(tr);
  }
  for (const a of alerts.cleared) {
    const tr = el('tr', 'clickable');
    tr.dataset.device = a.deviceId;
    tr.append(el('td', null, a.deviceId), el('td', null, a.lineId), el('td', 'horizon', horizonText(a.horizonMillis)),
        el('td', null, fmtTime(a.raisedAt)), el('td', null, fmtTime(a.clearedAt)), el('td', null, fmtDuration(a.durationMillis)),
        el('td', 'num', a.peak.toFixed(3)), outcomeCell(a.outcome), reasonsCell(a.reasons));
    tr.addEventListener('click', () => select(a.deviceId));
    clearedBody.append(tr);
  }
}

// What followed the alert: "jam followed after 1m 10s", "no jam" (within the model's horizon), or
// still waiting for the horizon to pass.
function outcomeText(o) {
  if (!o) return 'waiting';
  return o.jamFollowed ? `jam followed after ${fmtDuration(o.leadMillis)}` : 'no jam';
}

function outcomeCell(o) {
  return el('td', 'outcome ' + (!o ? 'pending' : o.jamFollowed ? 'true-alert' : 'false-alert'), outcomeText(o));
}

// Today's true / false alerts per line (a jam followed within the horizon, or none).
function renderTally(tally) {
  const p = document.getElementById('outcome-tally');
  if (!p) return;
  const text = tally.length === 0 ? 'No alert outcomes yet today.'
    : 'Today: ' + tally.map((t) => `${t.lineId} ${t.jamFollowed} true / ${t.noJam} false`).join(' · ');
  if (p.textContent !== text) p.textContent = text;
}

function select(deviceId) {
  state.selected = deviceId;
  document.getElementById('detail').hidden = false;
  for (const t of document.querySelectorAll('.tile')) t.classList.toggle('selected', t.dataset.device === deviceId);
  loadHistory();
  clearInterval(state.historyTimer);
  state.historyTimer = setInterval(loadHistory, 2000);
}

function closeDetail() {
  state.selected = null;
  clearInterval(state.historyTimer);
  document.getElementById('detail').hidden = true;
  for (const t of document.querySelectorAll('.tile.selected')) t.classList.remove('selected');
}

async function loadHistory() {
  const id = state.selected;
  if (!id) return;
  const res = await fetch(`api/devices/${encodeURIComponent(id)}/history`);
  if (!res.ok || state.selected !== id) return;
  renderHistory(await res.json());
}

function setupCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || canvas.width, h = canvas.clientHeight || canvas.height;
  canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  return { g, w, h };
}

function renderHistory(h) {
  document.getElementById('detail-title').textContent = h.device.deviceId;
  const d = h.device;
  document.getElementById('detail-meta').textContent =
      `line ${d.lineId} · ${d.eventCount} events · risk ${d.score === null ? '—' : d.score.toFixed(3)}`
      + (d.warming ? ' · warming up' : '') + (d.stale ? ' · STALE' : '')
      + ` · ${fmtTime(h.windowStart)}–${fmtTime(h.windowEnd)} (event time, UTC)`;
  const canvas = document.getElementById('risk-chart');
  canvas.dataset.points = String(h.risk.t.length);
  canvas.dataset.spans = String(h.alerts.length);
  const { g, w, h: ht } = setupCanvas(canvas);
  const left = 36, right = 8, top = 8, bottom = 20;
  const pw = w - left - right, ph = ht - top - bottom;
  // The window is the last hour; while a device has less history than that, start at its first point.
  const firsts = [h.risk.t[0], ...Object.values(h.readings).map((r) => r.t[0]), ...h.alerts.map((s) => s.raisedAt)]
      .filter((t) => t !== undefined);
  const earliest = firsts.length ? Math.min(...firsts) : h.windowStart;
  const t0 = Math.max(h.windowStart, earliest - 0.03 * (h.windowEnd - earliest)), t1 = Math.max(h.windowEnd, t0 + 1);
  const x = t => left + (t - t0) / (t1 - t0) * pw;
  const y = v => top + (1 - v) * ph;
  for (const s of h.alerts) {  // alert spans behind the line
    const xa = Math.max(left, x(s.raisedAt)), xb = x(s.clearedAt === null ? t1 : s.clearedAt);
    g.fillStyle = s.clearedAt === null ? 'rgba(198,40,40,0.22)' : 'rgba(198,40,40,0.12)';
    g.fillRect(xa, top, Math.max(2, xb - xa), ph);
  }
  g.strokeStyle = '#d9dde3'; g.fillStyle = '#6b7480'; g.font = '11px system-ui'; g.lineWidth = 1;
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    g.beginPath(); g.moveTo(left, y(v)); g.lineTo(left + pw, y(v)); g.stroke();
    g.fillText(v.toFixed(2), 2, y(v) + 4);
  }
  for (let k = 0; k <= 6; k++) {
    const t = t0 + (t1 - t0) * k / 6;
    // Minutes suffice for an hour; a short history needs seconds to tell its ticks apart.
    const label = t1 - t0 > 10 * 60_000 ? fmtTime(t).substring(0, 5) : fmtTime(t);
    g.fillText(label, Math.min(x(t) - 14, left + pw - 48), ht - 5);
  }
  g.strokeStyle = '#1d232b'; g.lineWidth = 1.5; g.beginPath();
  h.risk.t.forEach((t, i) => { const px = x(t), py = y(h.risk.v[i]); if (i === 0) g.moveTo(px, py); else g.lineTo(px, py); });
  g.stroke();
  const root = document.getElementById('readings');
  root.replaceChildren();
  for (const [name, series] of Object.entries(h.readings)) {
    const box = el('div', 'reading');
    const last = series.v.length ? series.v[series.v.length - 1] : null;
    box.append(el('div', 'name', `${name}  ${last === null ? '' : last.toFixed(2)}`));
    const c = el('canvas');
    box.append(c);
    root.append(box);
    drawSparkline(c, series, t0, t1, h.alerts);
  }
}

function drawSparkline(canvas, series, t0, t1, spans) {
  const { g, w, h } = setupCanvas(canvas);
  if (!series.v.length) return;
  let lo = Math.min(...series.v), hi = Math.max(...series.v);
  if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
  const x = t => (t - t0) / (t1 - t0) * w, y = v => 4 + (1 - (v - lo) / (hi - lo)) * (h - 8);
  g.fillStyle = 'rgba(198,40,40,0.12)';
  for (const s of spans) { const xa = x(s.raisedAt), xb = x(s.clearedAt === null ? t1 : s.clearedAt); g.fillRect(xa, 0, Math.max(2, xb - xa), h); }
  g.strokeStyle = '#1565c0'; g.lineWidth = 1; g.beginPath();
  series.t.forEach((t, i) => { const px = x(t), py = y(series.v[i]); if (i === 0) g.moveTo(px, py); else g.lineTo(px, py); });
  g.stroke();
}

function applySnapshot(snap) {
  state.snapshot = snap;
  renderLines(snap.lines);
  renderAlerts(snap.alerts, snap.lines);
  document.body.dataset.version = String(snap.version);
}

function connect() {
  const conn = document.getElementById('conn');
  const es = new EventSource('api/stream');
  es.addEventListener('open', () => { conn.textContent = 'live'; conn.className = 'conn up'; });
  es.addEventListener('error', () => { conn.textContent = 'reconnecting…'; conn.className = 'conn down'; });
  es.addEventListener('snapshot', ev => applySnapshot(JSON.parse(ev.data)));
}

// When the detector runs in the same process (jamwatch demo), api/detector summarises it (204 otherwise).
async function pollDetector() {
  const box = document.getElementById('detector');
  try {
    const res = await fetch('api/detector');
    if (res.status !== 200) { box.hidden = true; return; }
    const s = await res.json();
    box.textContent = `${s.state} · model ${String(s.modelId).substring(0, 12)} · ${Math.round(s.eventsPerSecond)} events/s`
        + ` · ${s.devicesHeld} devices · ${Math.round(s.deadLetters)} dead letters`;
    box.hidden = false;
  } catch (e) {
    box.hidden = true;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('detail-close').addEventListener('click', closeDetail);
  connect();
  pollDetector();
  setInterval(pollDetector, 2000);
});
