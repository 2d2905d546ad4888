// Upload by STOW-RS: the files a user drops or picks (folders walked), sent in batches of multipart/related
// application/dicom, with the progress of the bytes sent and each file's outcome as the archive reported it.
import { root } from './dicomweb.js';
import * as auth from './auth.js';
import { sopInstanceUid } from './part10.js';

/** A batch holds at most this many files or bytes (a single larger file goes alone). */
const BATCH_FILES = 50;
const BATCH_BYTES = 32 * 1024 * 1024;
/** More files than this at once are refused (a folder is not walked further). */
const MAX_FILES = 20000;

const REFERENCED = '00081199', FAILED = '00081198', SOP_UID = '00081155', FAILURE_REASON = '00081197';
const WARNING_REASON = '00081196', REASON_TEXT = '00091001';

/** Every file in what was dropped, folders walked (DataTransfer entries), in a stable order. */
export async function filesOf(dataTransfer) {
  const entries = [...dataTransfer.items].map(i => i.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length === 0) return [...dataTransfer.files].map(f => ({ file: f, name: f.name }));
  const out = [];
  async function walk(entry, path) {
    if (out.length >= MAX_FILES) throw new Error(`more than ${MAX_FILES} files: upload fewer at a time`);
    if (entry.isFile) {
      const file = await new Promise((ok, fail) => entry.file(ok, fail));
      out.push({ file, name: path + entry.name });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, `${path}${entry.name}/`);
      }
    }
  }
  for (const e of entries) await walk(e, '');
  return out;
}

/** Files picked with an input element (a folder's keep their relative path). */
export function filesOfInput(input) {
  return [...input.files].map(f => ({ file: f, name: f.webkitRelativePath || f.name }));
}

function batches(items) {
  const out = [];
  let current = [], bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= BATCH_FILES || bytes + item.file.size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.file.size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function reasonOf(item) {
  return item?.[REASON_TEXT]?.Value?.[0] ?? '';
}

/** One STOW-RS request with upload progress (fetch reports none); resolves with the status and the JSON answer. */
function post(body, boundary, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${root}/studies`);
    xhr.setRequestHeader('Content-Type', `multipart/related; type="application/dicom"; boundary=${boundary}`);
    xhr.setRequestHeader('Accept', 'application/dicom+json');
    const bearer = auth.bearer();
    if (bearer) xhr.setRequestHeader('Authorization', bearer);
    xhr.upload.onprogress = e => onProgress(e.loaded);
    xhr.onload = async () => {
      if (xhr.status === 401) await auth.refused();
      let json = null;
      try { json = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      resolve({ status: xhr.status, json, text: xhr.responseText });
    };
    xhr.onerror = () => reject(new Error('the archive could not be reached'));
    xhr.send(body);
  });
}

/**
 * Sends the files; calls onProgress(sentBytes, totalBytes) and onOutcome({name, outcome, detail}) for each file,
 * outcome one of "stored", "stored with a warning", "refused".
 */
export async function upload(items, { onProgress, onOutcome }) {
  if (items.length > MAX_FILES) throw new Error(`${items.length} files: upload at most ${MAX_FILES} at a time`);
  const named = [];
  for (const item of items) {
    const uid = await sopInstanceUid(item.file);
    if (uid) named.push({ ...item, uid });
    else onOutcome({ name: item.name, outcome: 'refused', detail: 'not a DICOM file (no Part 10 header): not sent' });
  }
  const total = named.reduce((n, i) => n + i.file.size, 0);
  let sentBefore = 0;
  for (const batch of batches(named)) {
    const boundary = `stratus-${crypto.randomUUID()}`;
    const parts = [];
    for (const item of batch) parts.push(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, item.file, '\r\n');
    parts.push(`--${boundary}--\r\n`);
    const body = new Blob(parts);
    const batchBytes = batch.reduce((n, i) => n + i.file.size, 0);
    let answer;
    try {
      answer = await post(body, boundary, loaded => onProgress(sentBefore + Math.min(loaded, batchBytes), total));
    } catch (e) {
      for (const item of batch) onOutcome({ name: item.name, outcome: 'refused', detail: e.message });
      sentBefore += batchBytes;
      continue;
    }
    sentBefore += batchBytes;
    onProgress(sentBefore, total);
    const stored = new Map(), failed = new Map();
    let general = '';
    for (const item of answer.json?.[REFERENCED]?.Value ?? []) stored.set(item?.[SOP_UID]?.Value?.[0], item);
    for (const item of answer.json?.[FAILED]?.Value ?? []) {
      const uid = item?.[SOP_UID]?.Value?.[0];
      if (uid) failed.set(uid, item);
      else general = reasonOf(item) || `reason ${item?.[FAILURE_REASON]?.Value?.[0]}`;
    }
    if (!answer.json) general = `${answer.status} ${answer.text.slice(0, 300)}`;
    for (const item of batch) {
      if (stored.has(item.uid)) {
        const s = stored.get(item.uid);
        const warned = s[WARNING_REASON] !== undefined;
        onOutcome({ name: item.name, outcome: warned ? 'stored with a warning' : 'stored', detail: reasonOf(s) || item.uid });
      } else if (failed.has(item.uid)) {
        const f = failed.get(item.uid);
        onOutcome({ name: item.name, outcome: 'refused', detail: reasonOf(f) || `failure reason ${f[FAILURE_REASON]?.Value?.[0]}` });
      } else {
        onOutcome({ name: item.name, outcome: 'refused', detail: general || 'not acknowledged by the archive' });
      }
    }
  }
}
