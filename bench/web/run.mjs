// Drives the page in Debian's Chromium (headless, fake camera and
// microphone): node run.mjs PAGE_URL SECONDS [CHAT_TEXT]. Prints the
// page's stats as JSON (also on SIGTERM). HEADED=1 opens a window on $DISPLAY instead
// (bench/window.sh); STATS_FILE names a file rewritten every second with
// the frames each video presented so far.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, seconds = '10', chatText = ''] = process.argv.slice(2);
// A page served from another address than loopback (the network bench:
// the browser in a network namespace, the page and the server on the
// link's far end) is no secure context, so it would have no camera; and
// Chromium would hide its ICE candidates behind mDNS names that nobody
// resolves there, so it would never connect (it stops hiding them once a
// page may use the camera anyway).
const origin = new URL(url);
const away = !['localhost', '127.0.0.1', '[::1]'].includes(origin.hostname)
  ? [`--unsafely-treat-insecure-origin-as-secure=${origin.origin}`, '--disable-features=WebRtcHideLocalIpsWithMdns'] : [];
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kaigi-chromium-')), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: !process.env.HEADED,
  handleSIGTERM: false, // ours leaves the room first
  viewport: process.env.HEADED ? null : undefined,
  args: [...(process.env.HEADED ? ['--window-position=0,0', '--window-size=1010,800'] : []), '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    // CAMERA_FPS: the fake camera's frame rate (Chromium's default is 20).
    `--use-fake-device-for-media-stream${process.env.CAMERA_FPS ? `=fps=${process.env.CAMERA_FPS}` : ''}`,
    '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required', ...away],
});
const page = ctx.pages()[0] || await ctx.newPage();
page.on('pageerror', (e) => console.error('page error:', e.message));
await page.goto(url);
await page.waitForFunction(() => window.stats && (window.stats.connected_ms > 0 || window.stats.error), null, { timeout: 15000 });
// Tells a waiting test that the browser is in the room.
console.error('connected');
if (chatText) {
  // LiveKit keeps no chat history: chat once someone's video shows.
  await page.waitForFunction(() => Object.keys(window.stats.frames).length > 0, null, { timeout: 20000 }).catch(() => {});
  await page.evaluate((t) => window.sendChat(t), chatText);
}
// CPU time and peak memory of the browser: every process below us.
const hz = 100; // USER_HZ on Linux
function tree(pid) {
  let cpu = 0, rss = 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu += (Number(f[11]) + Number(f[12])) / hz;
    const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (hwm) rss += Number(hwm[1]) / 1024;
    for (const t of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
      const sub = tree(Number(t));
      cpu += sub.cpu; rss += sub.rss;
    }
  } catch (e) { /* a process that ended */ }
  return { cpu, rss };
}
if (process.env.STATS_FILE) {
  setInterval(async () => {
    try {
      const frames = await page.evaluate(() => window.stats.frames);
      writeFileSync(process.env.STATS_FILE + '.tmp', JSON.stringify({ unix_ms: Date.now(), frames }));
      // Whole or nothing for a reader.
      renameSync(process.env.STATS_FILE + '.tmp', process.env.STATS_FILE);
    } catch (e) { /* the page is closing */ }
  }, 1000);
}
const before = tree(process.pid);
const start = Date.now();
// At the end, or on SIGTERM (bench/window.sh, the network bench): prints
// the stats and leaves the room before closing the browser.
let finishing = false;
async function finish() {
  if (finishing) return;
  finishing = true;
  const after = tree(process.pid);
  const stats = await page.evaluate(async () => ({ ...window.stats, sent_video: await window.sentVideo() })).catch(() => ({ error: 'the page is gone' }));
  await page.evaluate(() => window.leave && window.leave()).catch(() => {});
  stats.cpu_seconds = after.cpu - before.cpu;
  stats.wall_seconds = (Date.now() - start) / 1000;
  stats.peak_rss_mb = after.rss;
  console.log(JSON.stringify(stats));
  await ctx.close().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', finish);
await page.waitForTimeout(Number(seconds) * 1000);
await finish();
