// Drives the jamwatch dashboard in Debian's headless Chromium through playwright-core (no browser
// download: executablePath points at the system chromium). Run by DashboardBrowserIT and DemoBrowserIT:
//   node dashboard.mjs URL SCREENSHOT.png DEVICE|any
// Prints READY once the page shows its first colours (DashboardBrowserIT then starts the risk
// ramp of DEVICE), then checks: DEVICE's tile (with `any`: some tile) changes colour, an alert for
// DEVICE (with `any`: the first device to alert) appears with its reasons, clicking the tile opens
// its history (risk points, readings, an alert span). Exit code 0 only if all hold.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [url, shot, device] = process.argv.slice(2);
if (!url || !shot || !device) {
  console.error('usage: node dashboard.mjs URL SCREENSHOT.png DEVICE');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jamwatch-chromium-'));
const step = (msg) => console.log(`browser: ${msg}`);
const pageErrors = [];

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1400, height: 1050 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(url);
  const colour = (sel) => page.$eval(sel, (e) => getComputedStyle(e).backgroundColor);
  await page.waitForSelector('.tile[data-score]', { timeout: 120_000 });
  const colours = () => page.$$eval('.tile', (ts) => Object.fromEntries(ts.map((t) => [t.dataset.device, getComputedStyle(t).backgroundColor])));
  const before = await colours();
  const tiles = Object.keys(before).length;
  const lines = await page.$$eval('.line', (ls) => ls.length);
  step(`page shows ${lines} lines, ${tiles} tiles` + (device === 'any' ? '' : `; ${device} is ${before[device]}`));
  console.log('READY');

  let target = device;
  if (device === 'any') {
    // A live detector: some tile changes colour, then some device raises an alert.
    await page.waitForFunction((seen) => [...document.querySelectorAll('.tile[data-score]')]
        .some((t) => seen[t.dataset.device] && getComputedStyle(t).backgroundColor !== seen[t.dataset.device]),
      before, { timeout: 120_000, polling: 200 });
    const after = await colours();
    const changed = Object.keys(after).filter((d) => before[d] && after[d] !== before[d]);
    step(`${changed.length} tiles changed colour, e.g. ${changed[0]} ${before[changed[0]]} -> ${after[changed[0]]}`);
    // Alerts of a live line can be short: take the first explained one, open or already cleared.
    const explained = '#open-alerts tbody tr[data-device]:has(.reason), #cleared-alerts tbody tr[data-device]:has(.reason)';
    await page.waitForSelector(explained, { timeout: 180_000 });
    target = await page.$eval(explained, (r) => r.dataset.device);
    const reasons = await page.$$eval(explained, (rs) => [...rs[0].querySelectorAll('.reason')].map((r) => r.textContent));
    const open = await page.$$eval(`#open-alerts tbody tr[data-device="${target}"]`, (rs) => rs.length);
    step(`${open ? 'open' : 'cleared'} alert for ${target} with reasons ${JSON.stringify(reasons)}`);
  } else {
    const sel = `.tile[data-device="${device}"]`;
    await page.waitForFunction(([s, c]) => {
      const t = document.querySelector(s);
      return t && getComputedStyle(t).backgroundColor !== c && Number(t.dataset.score) > 0.5;
    }, [sel, before[device]], { timeout: 60_000, polling: 200 });
    step(`${device} changed colour ${before[device]} -> ${await colour(sel)}`);
  }
  const tileSel = `.tile[data-device="${target}"]`;
  if (device !== 'any') {
    const alertRow = `#open-alerts tbody tr[data-device="${target}"]`;
    await page.waitForSelector(alertRow, { timeout: 60_000 });
    const reasons = await page.$$eval(`${alertRow} .reason`, (rs) => rs.map((r) => r.textContent));
    if (!reasons.length) throw new Error(`alert row for ${target} shows no reasons`);
    // The feeder's alert fired on its 10-min horizon: the row says so.
    const horizon = await page.textContent(`${alertRow} td.horizon`);
    if (horizon !== 'jam risk within ~10 min') throw new Error(`alert row for ${target} reads horizon "${horizon}"`);
    await page.waitForFunction((s) => document.querySelector(s)?.classList.contains('alert'), tileSel, { timeout: 10_000 });
    step(`open alert for ${target} (${horizon}) with reasons ${JSON.stringify(reasons)}`);
  }

  const stale = await page.$$eval('.tile.stale', (ts) => ts.map((t) => t.dataset.device));
  const warming = await page.$$eval('.tile.warming', (ts) => ts.map((t) => t.dataset.device));
  const cleared = await page.$$eval('#cleared-alerts tbody tr[data-device]', (rs) => rs.length);
  step(`stale ${JSON.stringify(stale)}, warming ${JSON.stringify(warming)}, ${cleared} recently cleared`);
  // Every cleared alert says what followed it (a jam, none, or still waiting for its horizon).
  const outcomes = await page.$$eval('#cleared-alerts tbody tr[data-device]',
    (rs) => rs.map((r) => { const td = r.querySelector('td.outcome'); return td ? td.textContent : null; }));
  if (outcomes.some((o) => o === null || !/^(jam followed after .+|no jam|waiting)$/.test(o))) {
    throw new Error(`cleared alerts' outcomes read ${JSON.stringify(outcomes)}`);
  }
  if (device !== 'any') {
    // The feeder's cleared alert has an outcome: a jam followed 70 s after the raise.
    await page.waitForFunction(() => [...document.querySelectorAll('#cleared-alerts td.outcome')]
      .some((td) => td.textContent === 'jam followed after 1m 10s'), null, { timeout: 20_000, polling: 200 });
    const tally = await page.textContent('#outcome-tally');
    if (!tally.includes('L02 1 true / 0 false')) throw new Error(`outcome tally reads "${tally}"`);
    step(`cleared alert marked "jam followed after 1m 10s"; ${tally}`);
  }

  await page.click(tileSel);
  await page.waitForSelector('#detail:not([hidden])', { timeout: 10_000 });
  await page.waitForFunction(() => {
    const c = document.getElementById('risk-chart');
    return !document.getElementById('detail').hidden && Number(c.dataset.points) >= 10 && Number(c.dataset.spans) >= 1;
  }, null, { timeout: 30_000, polling: 200 });
  const title = await page.textContent('#detail-title');
  const points = await page.$eval('#risk-chart', (c) => Number(c.dataset.points));
  const readings = await page.$$eval('#readings .reading', (rs) => rs.length);
  if (title !== target) throw new Error(`history panel shows ${title}, not ${target}`);
  if (readings < 1) throw new Error('history panel shows no readings');
  // The chart must have been drawn: some pixels of the risk canvas are not transparent.
  const inked = await page.$eval('#risk-chart', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  if (inked < 500) throw new Error(`risk chart looks empty (${inked} inked pixels)`);
  step(`history of ${title}: ${points} risk points, ${readings} readings, ${inked} inked pixels`);

  await page.waitForTimeout(500);
  await page.screenshot({ path: shot, fullPage: true });
  step(`screenshot ${shot}`);
  if (pageErrors.length) throw new Error(`page errors: ${pageErrors.join(' | ')}`);
} catch (e) {
  failed = true;
  console.error(`browser: FAILED: ${e.message}`);
  try {
    const page = context.pages()[0];
    if (page) await page.screenshot({ path: shot.replace(/\.png$/, '-failed.png'), fullPage: true });
  } catch (ignored) { /* the failure above is what matters */ }
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
