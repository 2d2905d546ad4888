// Shared by the browser scripts: Debian's chromium, headless, through playwright-core; every request the page
// makes is recorded, and any that would leave this machine is refused (and so shows in the list the test checks).
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

export function isLocal(url) {
  if (url.startsWith('blob:') || url.startsWith('data:') || url === 'about:blank') return true;
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/** A browser and one page; calls body(page, record) and prints one JSON line: what it returned and what was seen. */
export async function withPage(spec, body) {
  const browser = await chromium.launch({ executablePath: spec.chromium || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const record = { requests: [], external: [], consoleErrors: [], pageErrors: [] };
  let result = {}, error = null;
  try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 800 } });
    context.on('request', r => {
      record.requests.push(`${r.method()} ${r.url()}`);
      if (!isLocal(r.url())) record.external.push(r.url());
    });
    await context.route(url => !isLocal(url.toString()), route => route.abort());
    const page = await context.newPage();
    page.setDefaultTimeout(spec.timeoutMs || 20000);
    page.on('console', m => { if (m.type() === 'error') record.consoleErrors.push(m.text()); });
    page.on('pageerror', e => record.pageErrors.push(String(e)));
    try {
      result = await body(page, record);
    } catch (e) {
      error = String(e.stack || e);
      if (spec.screenshots) {
        const file = `${spec.screenshots}/failure-${Date.now()}.png`;
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        record.screenshot = file;
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ ...result, error, ...record }) + '\n');
  process.exit(error ? 1 : 0);
}

/**
 * What OHIF's first viewport canvas holds once an image is drawn (how many distinct grey levels, how many non-black
 * pixels; a blank canvas is one level): waits for the canvas, then up to 30 s for the image, and reports what is there.
 */
export async function measureViewport(page) {
  await page.locator('canvas.cornerstone-canvas').first().waitFor();
  const measure = () => page.evaluate(() => {
    const c = document.querySelector('canvas.cornerstone-canvas');
    const ctx = c.getContext('2d', { willReadFrequently: true });
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    const levels = new Set();
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) {
      const v = (data[i] + data[i + 1] + data[i + 2]) / 3 | 0;
      levels.add(v);
      if (v > 8) lit++;
    }
    return { width: c.width, height: c.height, levels: levels.size, lit };
  });
  let m = await measure();
  for (let i = 0; i < 60 && m.levels < 16; i++) {
    await page.waitForTimeout(500);
    m = await measure();
  }
  return m;
}
