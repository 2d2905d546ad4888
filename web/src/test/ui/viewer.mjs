#!/usr/bin/env node
// Drives OHIF as served by Stratus at /viewer/:
//
//   node viewer.mjs '<spec JSON>'
//
// spec: { base, page ("/viewer/" or "/tenants/t/viewer/"), browserPage (the study browser's, "/tenants/t/"),
//         patientName (as OHIF's list shows it),
//         studies: [{ uid: StudyInstanceUID, page (the viewer's, when not the first's) }, …], screenshots }
// Opens the study list and waits for the stored study, then opens each study in the viewer (the first through the
// study browser's "Open in viewer", the others by their address) and measures what the
// viewport canvas holds (how many distinct grey levels, how many non-black pixels): a blank canvas would be one
// level. Prints one JSON line; the JUnit test (ViewerTest) judges it.
import { measureViewport, withPage } from './browser.mjs';

const spec = JSON.parse(process.argv[2]);

await withPage({ ...spec, timeoutMs: 90000 }, async page => {
  const out = { studies: {} };
  await page.goto(spec.base + spec.page);
  await page.getByText(spec.patientName, { exact: false }).first().waitFor();
  out.listText = (await page.textContent('body')).slice(0, 4000);
  for (const [i, { uid, page: viewerPage }] of spec.studies.entries()) {
    if (i === 0 && spec.browserPage) {
      // the first one as a user reaches it: the study browser's "Open in viewer"
      await page.goto(`${spec.base}${spec.browserPage}#/study/${uid}`);
      await page.getByRole('link', { name: 'Open in viewer' }).click();
      out.openedFromBrowser = page.url();
    } else {
      await page.goto(`${spec.base}${viewerPage ?? spec.page}viewer?StudyInstanceUIDs=${uid}`);
    }
    const m = await measureViewport(page);
    out.studies[uid] = m;
    if (spec.screenshots) await page.screenshot({ path: `${spec.screenshots}/viewer-${uid}.png` });
  }
  return out;
});
