#!/usr/bin/env node
// A signed-in user at work, with authorization on: uploads, deletes, and views in OHIF, every request with a token:
//
//   node signed-in-user.mjs '<spec JSON>'
//
// spec: { base, page ("/tenants/t/"), uploadFile, notDicomFile, deleteName (a stored study's patient name),
//         viewStudy (the uploaded study's UID), dicomweb ("/tenants/t/dicomweb"), screenshots }
// Opens the study browser (it signs in at the provider), uploads two files by picking them (progress, each file's
// outcome), deletes a study after the confirmation, opens the uploaded study in OHIF (which signs in too, as its own
// client) and measures the viewport; then asks the DICOMweb root without a token. Prints one JSON line of what the user
// saw and of the requests made; SignInBrowserTest judges it.
import { measureViewport, withPage } from './browser.mjs';

const spec = JSON.parse(process.argv[2]);

await withPage({ ...spec, timeoutMs: 90000 }, async (page, record) => {
  const out = { sentToArchive: [] };
  page.on('request', r => {
    if (r.url().includes('/dicomweb/')) {
      out.sentToArchive.push({ url: r.url(), authorization: (r.headers().authorization || '').split(' ')[0] });
    }
  });
  await page.goto(spec.base + spec.page);
  await page.waitForURL(url => url.toString() === spec.base + spec.page && !url.search);
  await page.waitForFunction(() => /Studies|No study|failed/.test(document.querySelector('#search-status').textContent));

  // upload: one DICOM file, one not
  await page.setInputFiles('#pick-files', [spec.uploadFile, spec.notDicomFile]);
  await page.waitForFunction(() => /Upload finished/.test(document.querySelector('#upload-status').textContent));
  out.upload = {
    status: await page.textContent('#upload-status'),
    progress: await page.$eval('#upload-progress', p => ({ value: p.value, max: p.max, shown: !p.hidden })),
    files: await page.$$eval('#upload-results tbody tr', trs => trs.map(tr => [...tr.cells].map(td => td.textContent.trim()))),
  };

  // delete a study, after the confirmation
  await page.getByLabel('Patient name').fill(spec.deleteName);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForFunction(() => /Studies|No study|failed/.test(document.querySelector('#search-status').textContent));
  await page.locator('#studies tbody tr').first().locator('a').click();
  await page.waitForFunction(() => /series\./.test(document.querySelector('#study-status').textContent));
  await page.getByRole('button', { name: 'Delete study…' }).click();
  out.dialogText = await page.textContent('#confirm-delete');
  await page.locator('#confirm-delete').getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction(() => /Deleted|failed/.test(document.querySelector('#search-status').textContent
    + document.querySelector('#study-status').textContent));
  out.deleteStatus = await page.textContent('#search-status');
  out.afterDelete = await page.$$eval('#studies tbody tr', trs => trs.map(tr => tr.cells[0].textContent.trim()));

  // the uploaded study, in the viewer: OHIF signs in by itself and sends its token
  await page.goto(`${spec.base}${spec.page}#/study/${spec.viewStudy}`);
  await page.waitForURL(url => url.hash === `#/study/${spec.viewStudy}` && !url.search);
  await page.waitForFunction(uid => document.querySelector('#study-attributes').textContent.includes(uid), spec.viewStudy);
  await page.getByRole('link', { name: 'Open in viewer' }).click();
  await page.waitForURL(url => url.pathname.endsWith('/viewer/viewer') && url.searchParams.get('StudyInstanceUIDs') === spec.viewStudy);
  out.viewer = await measureViewport(page);
  out.viewerUrl = page.url();
  if (spec.screenshots) await page.screenshot({ path: `${spec.screenshots}/signed-in-viewer.png` });
  out.storage = await page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]);

  // the same DICOMweb root, asked without a token
  out.withoutToken = await page.evaluate(async root => {
    const r = await fetch(`${root}/studies`, { headers: { Accept: 'application/dicom+json' } });
    return { status: r.status, challenge: r.headers.get('WWW-Authenticate') };
  }, spec.dicomweb);
  out.authorize = record.requests.filter(r => r.includes('/authorize?')).map(r => r.split(' ')[1]);
  return out;
});
