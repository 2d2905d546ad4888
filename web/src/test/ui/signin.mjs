#!/usr/bin/env node
// Signs in to the study browser through an OpenID provider (authorization code + PKCE), as a user would:
//
//   node signin.mjs '<spec JSON>'
//
// spec: { base, page ("/tenants/t/"), issuer, patientName, downloadTo, screenshots }
// Opens the page (it goes to the provider and comes back signed in), searches, opens the first study and downloads
// it; then reloads, which signs in again, this time (the provider's next token) for another tenant, and searches.
// Prints one JSON line of what the user saw and of the requests made; SignInBrowserTest judges it.
import { withPage } from './browser.mjs';

const spec = JSON.parse(process.argv[2]);

async function search(page) {
  await page.getByLabel('Patient name').fill(spec.patientName);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForFunction(() => /Studies|No study|failed/.test(document.querySelector('#search-status').textContent));
  return {
    status: await page.textContent('#search-status'),
    rows: await page.$$eval('#studies tbody tr', trs => trs.map(tr => tr.cells[0].textContent.trim())),
  };
}

await withPage(spec, async (page, record) => {
  const out = { sentToArchive: [] };
  page.on('request', r => {
    if (r.url().startsWith(`${spec.base}/`) && r.url().includes('/dicomweb/')) {
      out.sentToArchive.push({ url: r.url(), authorization: (r.headers().authorization || '').split(' ')[0] });
    }
  });
  const csp = [];
  page.on('response', r => { if (r.url() === spec.base + spec.page) csp.push(r.headers()['content-security-policy']); });

  await page.goto(spec.base + spec.page);
  await page.waitForURL(url => url.toString() === spec.base + spec.page && !url.search);
  await page.waitForFunction(() => /Studies|No study|failed/.test(document.querySelector('#search-status').textContent));
  out.firstUrl = page.url();
  out.csp = csp[0];
  out.search = await search(page);
  out.storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));

  await page.getByRole('link', { name: out.search.rows[0] }).click();
  await page.waitForFunction(() => /series\./.test(document.querySelector('#study-status').textContent));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download (zip)' }).click()]);
  await download.saveAs(spec.downloadTo);
  out.downloadName = download.suggestedFilename();

  // a reload forgets the token (it lived in memory): the provider signs the user in again, now for another tenant
  await page.goto(spec.base + spec.page);
  await page.waitForURL(url => url.toString() === spec.base + spec.page && !url.search);
  await page.waitForFunction(() => document.querySelector('#search-status').textContent !== '');
  out.otherTenant = await search(page);
  out.otherTenantError = await page.$eval('#search-status', e => e.classList.contains('error'));
  out.authorize = record.requests.filter(r => r.includes('/authorize?')).map(r => r.split(' ')[1]);
  return out;
});
