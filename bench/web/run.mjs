// Drives the page in Debian's Chromium (headless, fake camera and
// microphone): node run.mjs PAGE_URL SECONDS [CHAT_TEXT]. Prints the
// page's stats as JSON.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, seconds = '10', chatText = ''] = process.argv.slice(2);
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kaigi-chromium-')), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
});
const page = ctx.pages()[0] || await ctx.newPage();
page.on('pageerror', (e) => console.error('page error:', e.message));
await page.goto(url);
await page.waitForFunction(() => window.stats && (window.stats.connected_ms > 0 || window.stats.error), null, { timeout: 15000 });
if (chatText) {
  await page.waitForTimeout(1500);
  await page.evaluate((t) => window.sendChat(t), chatText);
}
await page.waitForTimeout(Number(seconds) * 1000);
const stats = await page.evaluate(() => window.stats);
console.log(JSON.stringify(stats));
await ctx.close();
