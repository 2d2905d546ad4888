#!/usr/bin/env node
// Drives the study browser as a user would, with the keyboard where a user could:
//
//   node study-browser.mjs '<spec JSON>'
//
// spec: { base, page ("/" or "/tenants/t/"), patientName (a wildcard pattern), fillerName (26 studies), uploadFile, uploadPatientId,
//         dropFile, notDicomFile, downloadTo, screenshots }
// Searches, sorts, pages, opens the newest study (attributes, series, thumbnails or placeholders), downloads it as a
// zip, deletes it (cancelling once first), uploads files by picking and by dropping. Prints one JSON line of what
// the user saw; the JUnit test (StudyBrowserTest) judges it.
import fs from 'node:fs';
import path from 'node:path';
import { withPage } from './browser.mjs';

const spec = JSON.parse(process.argv[2]);

async function rows(page) {
  return page.$$eval('#studies tbody tr', trs => trs.map(tr => [...tr.cells].map(td => td.textContent.trim())));
}

async function search(page) {
  await page.getByLabel('Patient name').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !/Searching/.test(document.querySelector('#search-status').textContent));
  return { status: await page.textContent('#search-status'), rows: await rows(page) };
}

async function uploadOutcomes(page) {
  await page.waitForFunction(() => /Upload finished/.test(document.querySelector('#upload-status').textContent));
  return {
    status: await page.textContent('#upload-status'),
    progress: await page.$eval('#upload-progress', p => ({ value: p.value, max: p.max })),
    files: await page.$$eval('#upload-results tbody tr', trs => trs.map(tr => [...tr.cells].map(td => td.textContent.trim()))),
  };
}

await withPage(spec, async page => {
  const out = {};
  await page.goto(spec.base + spec.page);
  out.title = await page.title();
  // every control has a name a screen reader can say; the first Tab stops are the skip link, then the search
  out.unlabelled = await page.$$eval('input, select, button, a[href]', els => els
    .filter(e => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim()))
    .map(e => e.outerHTML));
  const stops = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => document.activeElement.getAttribute('name') || document.activeElement.textContent.trim()));
  }
  out.firstTabStops = stops;

  // search by name with a wild card, typed, Enter: newest first, then oldest first
  await page.getByLabel('Patient name').fill(spec.patientName);
  out.newestFirst = await search(page);
  await page.getByLabel('Sort by date').selectOption('asc');
  out.oldestFirst = await search(page);
  await page.getByLabel('Sort by date').selectOption('desc');
  await page.getByLabel('Patient name').fill('');
  await page.getByLabel('Modality').fill('MR');
  out.byModality = await search(page);
  await page.getByLabel('Modality').fill('');
  await page.getByLabel('Study date from').fill('2024-01-01');
  await page.getByLabel('to', { exact: true }).fill('2024-12-31');
  out.byDateRange = await search(page);
  await page.getByLabel('Study date from').fill('');
  await page.getByLabel('to', { exact: true }).fill('');
  await page.getByLabel('Patient name').fill(spec.patientName);
  await search(page);

  // pages: 26 studies of one name, 25 a page
  await page.getByLabel('Patient name').fill(spec.fillerName);
  const first = await search(page);
  out.paging = { first: { ...first, page: await page.textContent('#page'), next: await page.isEnabled('#next'), prev: await page.isEnabled('#prev') } };
  await page.click('#next');
  await page.waitForFunction(() => /Page 2/.test(document.querySelector('#page').textContent));
  out.paging.second = { rows: await rows(page), status: await page.textContent('#search-status'),
    next: await page.isEnabled('#next'), prev: await page.isEnabled('#prev') };
  await page.getByLabel('Patient name').fill(spec.patientName);
  await search(page);

  // the list says what it holds to a screen reader: a caption, column headers
  out.studyTable = await page.$eval('#studies', t => ({
    caption: t.caption?.textContent.trim(),
    headers: [...t.querySelectorAll('thead th')].map(th => `${th.textContent.trim()}:${th.getAttribute('scope')}`),
  }));
  // open the newest study with the keyboard only: Tab from the search button reaches it, Enter opens it
  const link = page.locator('#studies tbody tr').first().locator('a');
  out.openedHref = await link.getAttribute('href');
  await page.getByRole('button', { name: 'Search' }).focus();
  out.tabsToFirstStudy = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(() => document.activeElement.getAttribute('href') ?? document.activeElement.textContent.trim());
    out.tabsToFirstStudy.push(here);
    if (here === out.openedHref) break;
  }
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /series\./.test(document.querySelector('#study-status').textContent));
  out.focusOnStudy = await page.evaluate(() => document.activeElement.id);
  out.study = {
    heading: await page.textContent('#study-title'),
    attributes: await page.$$eval('#study-attributes dt', dts => Object.fromEntries(dts.map(dt => [dt.textContent, dt.nextElementSibling.textContent]))),
    series: await page.$$eval('#series li', lis => lis.map(li => ({
      title: li.querySelector('h3').textContent, text: li.querySelector('p').textContent,
      placeholder: !!li.querySelector('.thumb.placeholder'), image: !!li.querySelector('img.thumb'),
    }))),
    viewerLinkShown: await page.isVisible('#open-viewer'),
  };

  if (spec.screenshots) await page.screenshot({ path: `${spec.screenshots}/study-browser-study.png`, fullPage: true });

  // download the study
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  await download.saveAs(spec.downloadTo);
  out.download = { suggested: download.suggestedFilename(), bytes: fs.statSync(spec.downloadTo).size };

  // delete: cancel first (nothing happens), then confirm
  await page.click('#delete');
  out.dialogText = await page.textContent('#confirm-delete');
  await page.getByRole('button', { name: 'Cancel' }).click();
  out.afterCancel = { dialogOpen: await page.isVisible('#confirm-delete'), stillOnStudy: await page.isVisible('#study-view') };
  await page.click('#delete');
  await page.locator('#confirm-delete').getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction(() => /Deleted/.test(document.querySelector('#search-status').textContent));
  out.deleteStatus = await page.textContent('#search-status');
  out.afterDelete = await search(page);

  // upload by picking files: one DICOM, one not
  await page.setInputFiles('#pick-files', [spec.uploadFile, spec.notDicomFile]);
  out.picked = await uploadOutcomes(page);

  // upload by dropping a file on the drop zone
  const bytes = fs.readFileSync(spec.dropFile).toString('base64');
  await page.evaluate(({ b64, name }) => {
    const data = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([data], name, { type: 'application/dicom' }));
    document.querySelector('#upload-status').textContent = '';
    const zone = document.querySelector('#drop');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { b64: bytes, name: path.basename(spec.dropFile) });
  out.dropped = await uploadOutcomes(page);

  if (spec.screenshots) await page.screenshot({ path: `${spec.screenshots}/study-browser-upload.png`, fullPage: true });

  // what was uploaded can be found
  await page.getByLabel('Patient name').fill('');
  await page.getByLabel('Patient ID').fill(spec.uploadPatientId);
  out.uploadedFound = await search(page);
  return out;
});
