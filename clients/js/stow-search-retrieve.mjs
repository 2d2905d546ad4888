#!/usr/bin/env node
// Drives a DICOMweb archive with dicomweb-client, the JavaScript client behind the OHIF viewer, and checks
// what comes back with dcmjs:
//
//   node stow-search-retrieve.mjs <dicomweb-root-url> <directory-of-.dcm-files>
//
// STOW-RS (storeInstances), QIDO-RS (searchForStudies by PatientID and PatientName, searchForSeries,
// searchForInstances), WADO-RS (retrieveStudyMetadata, retrieveSeriesMetadata, retrieveInstance,
// retrieveInstanceFrames, retrieveBulkData) for every file of the directory. Prints one JSON line of
// results to stdout; on any failed check it still prints that line (with "ok": false and the errors) and
// then exits 1 with the errors on stderr. Exit 2: wrong arguments or unreadable input.
//
// The client is used as OHIF uses it, with no workaround for the archive: a request that fails is an error.
// Compressed frames are asked both in their own media type and as OHIF's image loader asks for every frame
// (multipart/related; type="application/octet-stream"; transfer-syntax=*). The one adjustment is for a bug of
// dicomweb-client 0.11.3 itself (see retrieveInstance below). Node has no XMLHttpRequest, which dicomweb-client
// needs; xhr2 provides it, as for any Node user of the client.

import fs from 'node:fs';
import path from 'node:path';
import XMLHttpRequest from 'xhr2';
import dcmjs from 'dcmjs';
import * as dicomweb from 'dicomweb-client';

globalThis.XMLHttpRequest = XMLHttpRequest;
dcmjs.log.setLevel('error');
// stdout carries the one JSON line only: whatever the libraries print goes to stderr.
console.log = console.info = console.debug = (...args) => console.error(...args);

const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1';
const NATIVE_SYNTAXES = new Set(['1.2.840.10008.1.2', TS_EXPLICIT_LE, '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.2']);
// The media type of a compressed frame, per transfer syntax (PS3.18 table 8.7.3-5), as dicomweb-client names them.
const FRAME_MEDIA_TYPES = {
  '1.2.840.10008.1.2.5': 'image/x-dicom-rle',
  '1.2.840.10008.1.2.4.50': 'image/jpeg',
  '1.2.840.10008.1.2.4.51': 'image/jpeg',
  '1.2.840.10008.1.2.4.57': 'image/jpeg',
  '1.2.840.10008.1.2.4.70': 'image/jpeg',
  '1.2.840.10008.1.2.4.80': 'image/jls',
  '1.2.840.10008.1.2.4.81': 'image/jls',
  '1.2.840.10008.1.2.4.90': 'image/jp2',
  '1.2.840.10008.1.2.4.91': 'image/jp2',
  '1.2.840.10008.1.2.4.92': 'image/jpx',
  '1.2.840.10008.1.2.4.93': 'image/jpx',
};

function usage(message) {
  process.stderr.write(`${message}\nusage: node stow-search-retrieve.mjs <dicomweb-root-url> <directory-of-.dcm-files>\n`);
  process.exit(2);
}

const [rootArg, dirArg] = process.argv.slice(2);
if (!rootArg || !dirArg || process.argv.length > 4) usage('expected two arguments');
const root = rootArg.replace(/\/+$/, '');
if (!/^https?:\/\//.test(root)) usage(`not an http(s) URL: ${rootArg}`);
if (!fs.existsSync(dirArg) || !fs.statSync(dirArg).isDirectory()) usage(`not a directory: ${dirArg}`);

const errors = [];
const result = { ok: false, root, client: { 'dicomweb-client': installedVersion('dicomweb-client'), dcmjs: installedVersion('dcmjs'), xhr2: installedVersion('xhr2') } };

/** The version of an installed package (dicomweb-client's own exported `version` is stale). */
function installedVersion(name) {
  try {
    const pkg = new URL(`./node_modules/${name}/package.json`, import.meta.url);
    return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
  } catch {
    return null;
  }
}

function fail(step, message) {
  errors.push(`${step}: ${message}`);
}

/** The message of a dicomweb-client rejection: its Error carries the HTTP status and response body. */
function describe(e) {
  if (e && typeof e === 'object' && 'status' in e) {
    let body = e.response;
    if (body instanceof ArrayBuffer) body = Buffer.from(body).toString('utf8');
    else if (body && typeof body === 'object') body = JSON.stringify(body);
    const url = e.request && e.request._url ? ` ${e.request._method || ''} ${urlText(e.request._url)}` : '';
    if (e.status === 0) return `no HTTP response (connection failed)${url}`;
    return `HTTP ${e.status}${url}: ${String(body ?? '').slice(0, 500)}`;
  }
  return e && e.stack ? String(e.stack).split('\n').slice(0, 3).join(' | ') : String(e);
}

function urlText(u) {
  return typeof u === 'string' ? u : (u && u.href) || String(u);
}

/** Runs one step; a rejection or exception is recorded as an error and gives undefined. */
async function step(name, fn) {
  try {
    return await fn();
  } catch (e) {
    fail(name, describe(e));
    return undefined;
  }
}

function toArrayBuffer(buf) {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

function bytesOf(part) {
  if (part instanceof ArrayBuffer) return new Uint8Array(part);
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
  throw new Error(`not binary: ${Object.prototype.toString.call(part)}`);
}

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(buffers) {
  const arrays = buffers.map(bytesOf);
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** The first value of an attribute in a DICOM JSON object (PS3.18 F.2), or undefined. */
function value(json, tag) {
  const e = json && json[tag];
  if (!e || !Array.isArray(e.Value) || e.Value.length === 0) return undefined;
  const v = e.Value[0];
  return v && typeof v === 'object' && 'Alphabetic' in v ? v.Alphabetic : v;
}

/** Reads one Part 10 file with dcmjs: its UIDs and, per frame, the pixel data bytes a frame retrieve returns. */
function readLocal(file) {
  const bytes = fs.readFileSync(file);
  const message = dcmjs.data.DicomMessage.readFile(toArrayBuffer(bytes));
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.dict);
  const transferSyntax = message.meta['00020010'].Value[0];
  const numberOfFrames = Number(ds.NumberOfFrames || 1);
  const pixel = message.dict['7FE00010'];
  const native = NATIVE_SYNTAXES.has(transferSyntax);
  let frames = null;
  if (pixel && Array.isArray(pixel.Value) && pixel.Value.length > 0) {
    if (native) {
      const all = concat(pixel.Value);
      const size = Number(ds.Rows) * Number(ds.Columns) * Number(ds.SamplesPerPixel || 1) * (Number(ds.BitsAllocated) / 8);
      frames = [];
      for (let i = 0; i < numberOfFrames; i++) frames.push(all.subarray(i * size, (i + 1) * size));
    } else if (pixel.Value.length === numberOfFrames) {
      frames = pixel.Value.map(bytesOf);
    } else if (numberOfFrames === 1) {
      frames = [concat(pixel.Value)];
    }
  }
  // Binary values by tag (top level), to compare with what their BulkDataURIs return.
  const values = new Map();
  for (const [tag, e] of Object.entries(message.dict)) {
    if (e && Array.isArray(e.Value) && e.Value.length > 0 && e.Value.every((v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v))) {
      values.set(tag, concat(e.Value));
    }
  }
  return {
    values,
    file: path.basename(file),
    buffer: toArrayBuffer(bytes),
    size: bytes.length,
    study: ds.StudyInstanceUID,
    series: ds.SeriesInstanceUID,
    sop: ds.SOPInstanceUID,
    sopClass: ds.SOPClassUID,
    patientId: ds.PatientID,
    modality: ds.Modality,
    studyDescription: ds.StudyDescription,
    patientName: typeof ds.PatientName === 'object' && ds.PatientName ? ds.PatientName[0]?.Alphabetic ?? ds.PatientName.Alphabetic : ds.PatientName,
    transferSyntax,
    native,
    numberOfFrames,
    frames,
  };
}

const files = fs.readdirSync(dirArg).filter((f) => f.toLowerCase().endsWith('.dcm')).sort();
if (files.length === 0) usage(`no .dcm files in ${dirArg}`);
let local;
try {
  local = files.map((f) => readLocal(path.join(dirArg, f)));
} catch (e) {
  process.stderr.write(`cannot read the input files with dcmjs: ${describe(e)}\n`);
  process.exit(2);
}
const bySop = new Map(local.map((l) => [l.sop, l]));
if (bySop.size !== local.length) usage('two input files have the same SOP Instance UID');

const client = new dicomweb.api.DICOMwebClient({ url: root, verbose: false });

// --- STOW-RS: every file in one request, as dcmjs/OHIF uploads do (storeInstances with ArrayBuffers).
const stow = { files: local.length, bytes: local.reduce((n, l) => n + l.size, 0) };
result.stow = stow;
const stowResponse = await step('storeInstances', () => client.storeInstances({ datasets: local.map((l) => l.buffer) }));
if (stowResponse === undefined) finish(); // nothing stored: the rest would only repeat the failure
if (stowResponse !== undefined) {
  let json = stowResponse;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch {
      fail('storeInstances', `response is not DICOM JSON: ${json.slice(0, 200)}`);
      json = null;
    }
  }
  if (json) {
    const referenced = (json['00081199'] && json['00081199'].Value) || [];
    const failed = (json['00081198'] && json['00081198'].Value) || [];
    stow.referenced = referenced.map((r) => value(r, '00081155'));
    stow.failed = failed.map((r) => ({ sop: value(r, '00081155'), reason: value(r, '00081197') }));
    for (const l of local) if (!stow.referenced.includes(l.sop)) fail('storeInstances', `${l.file} (${l.sop}) is not in the ReferencedSOPSequence`);
    if (failed.length) fail('storeInstances', `FailedSOPSequence: ${JSON.stringify(stow.failed)}`);
  }
}

// --- QIDO-RS: studies by PatientID and by PatientName, then series and instances of each study.
const studies = [...new Set(local.map((l) => l.study))];
const search = { byPatientId: {}, byPatientName: {}, studies: 0, series: 0, instances: 0, sopInstanceUIDs: [] };
result.search = search;
const foundStudies = new Set();
for (const patientId of [...new Set(local.map((l) => l.patientId))]) {
  // The parameters of OHIF's study list: paging, no fuzzy matching, StudyDescription and ModalitiesInStudy included.
  const queryParams = { PatientID: patientId, limit: 101, offset: 0, fuzzymatching: 'false', includefield: '00081030,00080061' };
  const name = `searchForStudies PatientID=${patientId}`;
  const found = await step(name, () => client.searchForStudies({ queryParams }));
  if (!found) continue;
  search.byPatientId[patientId] = found.length;
  for (const s of found) foundStudies.add(value(s, '0020000D'));
  const expected = new Set(local.filter((l) => l.patientId === patientId).map((l) => l.study));
  for (const study of expected) {
    const row = found.find((s) => value(s, '0020000D') === study);
    if (!row) {
      fail(name, `study ${study} not found`);
      continue;
    }
    const modalities = (row['00080061'] && row['00080061'].Value) || [];
    for (const m of new Set(local.filter((l) => l.study === study && l.modality).map((l) => l.modality))) {
      if (!modalities.includes(m)) fail(name, `study ${study}: ModalitiesInStudy ${JSON.stringify(modalities)} lacks ${m}`);
    }
    const description = local.find((l) => l.study === study && l.studyDescription)?.studyDescription;
    if (description && value(row, '00081030') !== description) {
      fail(name, `study ${study}: StudyDescription ${JSON.stringify(value(row, '00081030'))}, stored ${JSON.stringify(description)}`);
    }
  }
}
for (const patientName of [...new Set(local.map((l) => l.patientName).filter(Boolean))]) {
  // OHIF's study list filters the name with a trailing wildcard.
  const prefix = patientName.split('^')[0];
  const query = `${prefix}*`;
  const found = await step(`searchForStudies PatientName=${query}`,
    () => client.searchForStudies({ queryParams: { PatientName: query, fuzzymatching: 'false' } }));
  if (!found) continue;
  search.byPatientName[query] = found.length;
  const expected = new Set(local.filter((l) => l.patientName && l.patientName.startsWith(prefix)).map((l) => l.study));
  for (const study of expected) {
    if (!found.some((s) => value(s, '0020000D') === study)) fail(`searchForStudies PatientName=${query}`, `study ${study} not found`);
  }
}
search.studies = foundStudies.size;
const seenBySearch = new Set();
for (const study of studies) {
  const series = await step(`searchForSeries ${study}`, () => client.searchForSeries({ studyInstanceUID: study }));
  if (!series) continue;
  search.series += series.length;
  for (const s of series) {
    const seriesUid = value(s, '0020000E');
    const instances = await step(`searchForInstances ${seriesUid}`,
      () => client.searchForInstances({ studyInstanceUID: study, seriesInstanceUID: seriesUid }));
    if (!instances) continue;
    search.instances += instances.length;
    for (const i of instances) seenBySearch.add(value(i, '00080018'));
    const expectedCount = local.filter((l) => l.series === seriesUid).length;
    const reported = value(s, '00201209'); // NumberOfSeriesRelatedInstances
    if (reported !== undefined && Number(reported) !== expectedCount) {
      fail(`searchForSeries ${study}`, `series ${seriesUid}: NumberOfSeriesRelatedInstances ${reported}, stored ${expectedCount}`);
    }
  }
}
search.sopInstanceUIDs = [...seenBySearch].sort();
for (const l of local) if (!seenBySearch.has(l.sop)) fail('searchForInstances', `${l.file} (${l.sop}) not found`);

// --- WADO-RS metadata: every study, then every series.
const metadata = { study: { instances: 0, sopInstanceUIDs: [] }, series: { instances: 0, sopInstanceUIDs: [] } };
result.metadata = metadata;
const metadataBySop = new Map();
for (const study of studies) {
  const items = await step(`retrieveStudyMetadata ${study}`, () => client.retrieveStudyMetadata({ studyInstanceUID: study }));
  if (!items) continue;
  metadata.study.instances += items.length;
  for (const m of items) {
    metadata.study.sopInstanceUIDs.push(value(m, '00080018'));
    metadataBySop.set(value(m, '00080018'), m);
    if (value(m, '0020000D') !== study) fail(`retrieveStudyMetadata ${study}`, `item of ${value(m, '00080018')} has study ${value(m, '0020000D')}`);
  }
}
for (const [study, series] of [...new Set(local.map((l) => `${l.study} ${l.series}`))].map((k) => k.split(' '))) {
  const items = await step(`retrieveSeriesMetadata ${series}`,
    () => client.retrieveSeriesMetadata({ studyInstanceUID: study, seriesInstanceUID: series }));
  if (!items) continue;
  metadata.series.instances += items.length;
  for (const m of items) metadata.series.sopInstanceUIDs.push(value(m, '00080018'));
  const expected = local.filter((l) => l.series === series).map((l) => l.sop).sort();
  const got = items.map((m) => value(m, '00080018')).sort();
  if (JSON.stringify(expected) !== JSON.stringify(got)) {
    fail(`retrieveSeriesMetadata ${series}`, `expected ${expected.join(',')} got ${got.join(',')}`);
  }
}
metadata.study.sopInstanceUIDs.sort();
metadata.series.sopInstanceUIDs.sort();
for (const l of local) {
  if (!metadata.study.sopInstanceUIDs.includes(l.sop)) fail('retrieveStudyMetadata', `${l.file} (${l.sop}) missing`);
  if (!metadata.series.sopInstanceUIDs.includes(l.sop)) fail('retrieveSeriesMetadata', `${l.file} (${l.sop}) missing`);
}

// --- WADO-RS instance: every instance must come back, parse with dcmjs and carry its SOP Instance UID.
// Native ones are asked as dicomweb-client asks by default (type="application/dicom": Explicit VR Little Endian,
// PS3.18 8.7.8.2). Encapsulated ones are asked as stored (transfer-syntax=*, PS3.18 8.7.3.5.2): dicomweb-client
// 0.11.3 cannot ask that through retrieveInstance's mediaTypes (it throws "Media type application/ is not
// supported for retrieval of instance"), so the transfer-syntax=* range is added with a request hook, the
// client's own way to adjust requests. The default request is also made for them and its answer recorded: an
// archive that does not decompress may refuse it with 406 (PS3.18 9.4.2.4 note, 8.7.3.5.2).
const anyTransferSyntax = (request, metadata) => {
  request.setRequestHeader('Accept', 'multipart/related; type="application/dicom"; transfer-syntax=*');
  return request;
};
const clientAsStored = new dicomweb.api.DICOMwebClient({ url: root, verbose: false, requestHooks: [anyTransferSyntax] });

function checkRetrieved(l, part, expectedSyntax, entry, stepName) {
  try {
    const bytes = bytesOf(part);
    entry.bytes = bytes.length;
    entry.dicm = bytes.length > 132 && Buffer.from(bytes.subarray(128, 132)).toString('latin1') === 'DICM';
    entry.contentType = part.contentType ?? null;
    entry.contentTransferSyntax = part.transferSyntaxUID ?? null;
    const parsed = dcmjs.data.DicomMessage.readFile(toArrayBuffer(Buffer.from(bytes)));
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.dict);
    entry.parsedSopInstanceUID = ds.SOPInstanceUID;
    entry.transferSyntax = parsed.meta['00020010'].Value[0];
    if (ds.SOPInstanceUID !== l.sop) fail(stepName, `SOPInstanceUID ${ds.SOPInstanceUID}, expected ${l.sop}`);
    if (entry.transferSyntax !== expectedSyntax) fail(stepName, `transfer syntax ${entry.transferSyntax}, expected ${expectedSyntax}`);
    const pixel = parsed.dict['7FE00010'];
    // Same pixel bytes when both are native, or both in the stored compressed syntax (a decompressed copy of a
    // compressed original is not compared).
    const comparable = l.native ? NATIVE_SYNTAXES.has(entry.transferSyntax) : entry.transferSyntax === l.transferSyntax;
    if (l.frames && pixel && comparable) {
      const got = l.native ? [concat(pixel.Value)] : pixel.Value.map(bytesOf);
      const want = l.native ? [concat(l.frames)] : l.frames;
      entry.pixelDataEqual = got.length === want.length && got.every((g, i) => equalBytes(g, want[i]));
      if (!entry.pixelDataEqual) fail(stepName, 'pixel data differs from the stored file');
    }
  } catch (e) {
    fail(stepName, `dcmjs cannot read the retrieved instance: ${describe(e)}`);
  }
}

result.instances = [];
for (const l of local) {
  const ids = { studyInstanceUID: l.study, seriesInstanceUID: l.series, sopInstanceUID: l.sop };
  if (l.native) {
    const entry = { file: l.file, sop: l.sop, native: true, accept: 'default' };
    result.instances.push(entry);
    const part = await step(`retrieveInstance ${l.file}`, () => client.retrieveInstance(ids));
    if (part !== undefined) checkRetrieved(l, part, TS_EXPLICIT_LE, entry, `retrieveInstance ${l.file}`);
    continue;
  }
  const entry = { file: l.file, sop: l.sop, native: false, accept: 'transfer-syntax=*' };
  result.instances.push(entry);
  const part = await step(`retrieveInstance ${l.file} transfer-syntax=*`, () => clientAsStored.retrieveInstance(ids));
  if (part !== undefined) checkRetrieved(l, part, l.transferSyntax, entry, `retrieveInstance ${l.file} transfer-syntax=*`);
  // The default request: recorded, not required (the archive may not decompress).
  const byDefault = { file: l.file, sop: l.sop, native: false, accept: 'default', optional: true };
  result.instances.push(byDefault);
  try {
    const p = await client.retrieveInstance(ids);
    byDefault.status = 200;
    checkRetrieved(l, p, TS_EXPLICIT_LE, byDefault, `retrieveInstance ${l.file} default`);
  } catch (e) {
    byDefault.status = e && typeof e === 'object' && 'status' in e ? e.status : null;
    if (byDefault.status !== 406) fail(`retrieveInstance ${l.file} default`, describe(e));
  }
}

// --- WADO-RS frames: every frame of every image. Native: dicomweb-client's default (application/octet-stream);
// encapsulated: the frame's own media type and transfer syntax, and also OHIF's image loader default
// (application/octet-stream; transfer-syntax=*).
result.frames = [];
async function checkFrames(l, label, mediaTypes) {
  const numbers = l.frames.map((_, i) => i + 1);
  const entry = { file: l.file, sop: l.sop, native: l.native, request: label, frameNumbers: numbers, expectedSizes: l.frames.map((f) => f.length) };
  result.frames.push(entry);
  const options = { studyInstanceUID: l.study, seriesInstanceUID: l.series, sopInstanceUID: l.sop, frameNumbers: numbers };
  if (mediaTypes) options.mediaTypes = mediaTypes;
  const parts = await step(`retrieveInstanceFrames ${l.file} ${label}`, () => client.retrieveInstanceFrames(options));
  if (parts === undefined) return;
  try {
    entry.sizes = parts.map((p) => bytesOf(p).length);
    entry.contentTypes = parts.map((p) => p.contentType ?? null);
    entry.equal = parts.length === l.frames.length && parts.every((p, i) => equalBytes(bytesOf(p), l.frames[i]));
    if (parts.length !== l.frames.length) fail(`retrieveInstanceFrames ${l.file} ${label}`, `${parts.length} parts for ${l.frames.length} frames`);
    else if (!entry.equal) fail(`retrieveInstanceFrames ${l.file} ${label}`, `frame bytes differ: sizes ${entry.sizes}, expected ${entry.expectedSizes}`);
  } catch (e) {
    fail(`retrieveInstanceFrames ${l.file} ${label}`, describe(e));
  }
}
for (const l of local) {
  if (!l.frames) continue;
  if (l.native) {
    await checkFrames(l, 'default', null);
  } else {
    const mediaType = FRAME_MEDIA_TYPES[l.transferSyntax];
    if (mediaType) await checkFrames(l, `${mediaType}; transfer-syntax=${l.transferSyntax}`, [{ mediaType, transferSyntaxUID: l.transferSyntax }]);
    await checkFrames(l, 'application/octet-stream; transfer-syntax=*', [{ mediaType: 'application/octet-stream', transferSyntaxUID: '*' }]);
  }
}

// --- BulkDataURIs of the study metadata: every value left out of the metadata as .../bulkdata/... is fetched with
// retrieveBulkData (multipart, the client's default) and compared with the value in the stored file; native pixel
// data is fetched a second time as OHIF configures the client (singlepart: 'bulkdata'). Encapsulated pixel data
// refers to its frames, fetched above.
result.bulkData = [];
const singlepartClient = new dicomweb.api.DICOMwebClient({ url: root, verbose: false, singlepart: 'bulkdata' });
for (const l of local) {
  const m = metadataBySop.get(l.sop);
  if (!m) continue;
  for (const [tag, element] of Object.entries(m)) {
    if (!element || typeof element.BulkDataURI !== 'string') continue;
    const uri = element.BulkDataURI;
    const entry = { file: l.file, sop: l.sop, tag, uri, fetched: false };
    result.bulkData.push(entry);
    if (!/\/bulkdata\//.test(uri)) continue;
    const want = tag === '7FE00010' && l.native && l.frames ? concat(l.frames) : l.values.get(tag);
    entry.expectedSize = want ? want.length : null;
    const clients = [['multipart', client]];
    if (tag === '7FE00010') clients.push(['singlepart', singlepartClient]);
    for (const [mode, c] of clients) {
      const parts = await step(`retrieveBulkData ${mode} ${uri}`, () => c.retrieveBulkData({ BulkDataURI: uri }));
      if (parts === undefined) continue;
      try {
        const bytes = concat(Array.isArray(parts) ? parts : [parts]);
        entry.fetched = true;
        entry[mode === 'multipart' ? 'size' : 'singlepartSize'] = bytes.length;
        const equal = want ? equalBytes(bytes, want) : null;
        entry[mode === 'multipart' ? 'equal' : 'singlepartEqual'] = equal;
        if (equal === false) fail(`retrieveBulkData ${mode} ${uri}`, `${bytes.length} bytes, differ from the stored value (${want.length} bytes)`);
      } catch (e) {
        fail(`retrieveBulkData ${mode} ${uri}`, describe(e));
      }
    }
  }
}
if (!result.bulkData.some((b) => b.fetched && b.tag === '7FE00010')) fail('retrieveBulkData', 'no native pixel data BulkDataURI fetched from the study metadata');

finish();

/** Prints the JSON line; on failed checks, the errors on stderr and exit status 1. */
function finish() {
  result.stored = local.map((l) => ({ file: l.file, sop: l.sop, study: l.study, series: l.series, transferSyntax: l.transferSyntax, frames: l.numberOfFrames }));
  result.errors = errors;
  result.ok = errors.length === 0;
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (!result.ok) {
    process.stderr.write(`stow-search-retrieve: ${errors.length} check(s) failed:\n${errors.map((e) => `  - ${e}`).join('\n')}\n`);
    process.exit(1);
  }
}
