// The archive's public DICOMweb API as the study browser uses it (QIDO-RS, WADO-RS, STOW-RS, DELETE): the page is
// served at / or /tenants/{t}/, and the DICOMweb root of the same tenant is beside it. With authorization on, every
// request carries the signed-in user's bearer token (auth.js).
import * as auth from './auth.js';

const tenantMatch = location.pathname.match(/^\/tenants\/([A-Za-z0-9._-]{1,64})(\/|$)/);

/** The tenant this page is for, or null for the default one. */
export const tenant = tenantMatch ? tenantMatch[1] : null;
/** Where this tenant's pages live: "" or "/tenants/{t}". */
export const prefix = tenant ? `/tenants/${tenant}` : '';
export const root = `${prefix}/dicomweb`;

/** A failed request, with the archive's own explanation when it gave one. */
export class RequestFailed extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function failure(response, what) {
  let detail = '';
  try {
    const text = await response.text();
    try { detail = JSON.parse(text).message || text; } catch { detail = text; }
  } catch { /* no body */ }
  return new RequestFailed(response.status, `${what}: ${response.status} ${detail}`.trim());
}

/** fetch, with the bearer token when there is one; a 401 signs in again (the page is left) unless just signed in. */
export async function request(url, init = {}) {
  const headers = new Headers(init.headers);
  const bearer = auth.bearer();
  if (bearer) headers.set('Authorization', bearer);
  const response = await fetch(url, { ...init, headers });
  if (response.status === 401) await auth.refused();
  return response;
}

/** The first value of an attribute in a DICOM JSON data set, as a string ("" when absent). */
export function value(ds, tag) {
  const v = ds?.[tag]?.Value?.[0];
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return v.Alphabetic ?? '';
  return String(v);
}

/** Every value of an attribute, joined. */
export function values(ds, tag, sep = ', ') {
  return (ds?.[tag]?.Value ?? []).map(v => typeof v === 'object' ? (v.Alphabetic ?? '') : String(v)).join(sep);
}

/** A DICOM DA (YYYYMMDD) for people: YYYY-MM-DD. */
export function date(da) {
  return /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : da;
}

/** A PN for people: "DOE, JANE". */
export function personName(pn) {
  return pn.split('=')[0].split('^').filter(Boolean).join(', ');
}

/**
 * QIDO-RS: the matches and whether the archive has more (its Warning header says so, PS3.18 8.3.4.4).
 * @param {string} path "/studies", "/studies/{uid}/series", …
 * @param {URLSearchParams} params
 */
export async function search(path, params) {
  const response = await request(`${root}${path}?${params}`, { headers: { Accept: 'application/dicom+json' } });
  if (response.status === 204) return { matches: [], more: false };
  if (!response.ok) throw await failure(response, 'search failed');
  const more = (response.headers.get('Warning') || '').includes('additional results');
  return { matches: await response.json(), more };
}

/** DELETE of a study (the archive's own extension of DICOMweb). */
export async function deleteStudy(uid) {
  const response = await request(`${root}/studies/${uid}`, { method: 'DELETE' });
  if (!response.ok) throw await failure(response, 'delete failed');
}

/**
 * A series' thumbnail as an object URL, or null when the archive has none (404: no such route yet; 406: not for
 * this kind of image).
 */
export async function thumbnail(studyUid, seriesUid) {
  const response = await request(`${root}/studies/${studyUid}/series/${seriesUid}/thumbnail`,
    { headers: { Accept: 'image/jpeg, image/png, image/gif' } });
  if (!response.ok) return null;
  return URL.createObjectURL(await response.blob());
}

/** Where a study downloads as a zip of Part 10 files. */
export function archiveUrl(studyUid) {
  return `${prefix}/api/studies/${studyUid}/archive.zip`;
}

/**
 * The zip of a study saved as a file, when requests need a token: a link cannot carry one (and a token in its URL
 * would land in logs and history), so the zip is fetched with it and handed to the browser as a blob.
 */
export async function downloadArchive(studyUid) {
  const response = await request(archiveUrl(studyUid));
  if (!response.ok) throw await failure(response, 'download failed');
  const url = URL.createObjectURL(await response.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: `${studyUid}.zip` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** OHIF, served by the archive, on one study. */
export function viewerUrl(studyUid) {
  return `${prefix}/viewer/viewer?StudyInstanceUIDs=${encodeURIComponent(studyUid)}`;
}
