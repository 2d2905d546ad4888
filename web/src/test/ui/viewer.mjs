#!/usr/bin/env node
// Drives OHIF as served by Stratus at /viewer/:
//
//   node viewer.mjs '<spec JSON>'
//
// spec: { base, page ("/viewer/" or "/tenants/t/viewer/"), browserPage (the study browser's, "/tenants/t/"),
//         patientName (as OHIF's list shows it),
//         studies: [StudyInstanceUID, …], screenshots }
// Opens the study list and waits for the stored study, then opens each study in the viewer (the first through the
// study browser's "Open in viewer") and measures what the
// viewport canvas holds (how many distinct grey levels, how many non-black pixels): a blank canvas would be one
// level. Prints one JSON line; the JUnit test (ViewerTest) judges it.
import { withPage } from './browser.mjs';

const spec = JSON.parse(process.argv[2]);

await withPage({ ...spec, timeoutMs: 90000 }, async page => {
  const out = { studies: {} };
  await page.goto(spec.base + spec.page);
  await page.getByText(spec.patientName, { exact: false }).first().waitFor();
  out.listText = (await page.textContent('body')).slice(0, 4000);
  for (const [i, uid] of spec.studies.entries()) {
    if (i === 0 && spec.browserPage) {
      // the first one as a user reaches it: the study browser's "Open in viewer"
      await page.goto(`${spec.base}${spec.browserPage}#/study/${uid}`);
      await page.getByRole('link', { name: 'Open in viewer' }).click();
      out.openedFromBrowser = page.url();
    } else {
      await page.goto(`${spec.base}${spec.page}viewer?StudyInstanceUIDs=${uid}`);
    }
    const canvas = page.locator('canvas.cornerstone-canvas').first();
    await canvas.waitFor();
    // the image arrives after the canvas: wait until something is drawn, or give up and report what is there
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
    out.studies[uid] = m;
    if (spec.screenshots) await page.screenshot({ path: `${spec.screenshots}/viewer-${uid}.png` });
  }
  return out;
});
