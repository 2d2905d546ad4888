// The study browser: search (#/), a study (#/study/{uid}), upload, download, delete. It uses only the archive's
// public DICOMweb API (and the zip download), so it is also an example of a DICOMweb client.
import * as dw from './dicomweb.js';
import { upload, filesOf, filesOfInput } from './upload.js';
import * as auth from './auth.js';

const $ = sel => document.querySelector(sel);
const viewerInstalled = document.querySelector('meta[name="stratus-viewer"]')?.content === 'true';

const T = {
  PatientName: '00100010', PatientID: '00100020', PatientBirthDate: '00100030', PatientSex: '00100040',
  StudyDate: '00080020', StudyTime: '00080030', AccessionNumber: '00080050', ReferringPhysicianName: '00080090',
  StudyDescription: '00081030', StudyID: '00200010', ModalitiesInStudy: '00080061', StudyInstanceUID: '0020000D',
  NumberOfStudyRelatedSeries: '00201206', NumberOfStudyRelatedInstances: '00201208', SeriesInstanceUID: '0020000E',
  Modality: '00080060', SeriesNumber: '00200011', SeriesDescription: '0008103E', BodyPartExamined: '00180015',
  NumberOfSeriesRelatedInstances: '00201209', InstitutionName: '00080080',
};
const STUDY_FIELDS = ['NumberOfStudyRelatedSeries', 'NumberOfStudyRelatedInstances', 'ModalitiesInStudy', 'StudyDescription',
  'StudyTime', 'ReferringPhysicianName', 'PatientBirthDate', 'PatientSex', 'StudyID', 'InstitutionName'].map(k => T[k]).join(',');

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

// ---- search

let offset = 0;
let lastQuery = null;

function queryFromForm() {
  const f = new FormData($('#search'));
  const p = new URLSearchParams();
  for (const key of ['PatientName', 'PatientID', 'AccessionNumber', 'ModalitiesInStudy', 'StudyDescription']) {
    const v = String(f.get(key) ?? '').trim();
    if (v) p.set(key, v);
  }
  const from = String(f.get('from') ?? '').replaceAll('-', ''), to = String(f.get('to') ?? '').replaceAll('-', '');
  if (from || to) p.set('StudyDate', from === to ? from : `${from}-${to}`);
  const sort = f.get('sort') === 'asc' ? '' : '-';
  p.set('orderby', `${sort}StudyDate,${sort}StudyTime`);
  p.set('includefield', STUDY_FIELDS);
  return { params: p, size: Number(f.get('size') ?? 25) };
}

async function runSearch() {
  const { params, size } = lastQuery;
  params.set('limit', String(size));
  params.set('offset', String(offset));
  const status = $('#search-status');
  status.textContent = 'Searching…';
  status.classList.remove('error');
  const body = $('#studies tbody');
  try {
    const { matches, more } = await dw.search('/studies', params);
    body.replaceChildren(...matches.map(studyRow));
    const first = matches.length ? offset + 1 : 0;
    status.textContent = matches.length === 0 ? 'No study matches.'
      : `Studies ${first}–${offset + matches.length}${more ? ' (more on the next page)' : ''}.`;
    $('#page').textContent = `Page ${Math.floor(offset / size) + 1}`;
    $('#prev').disabled = offset === 0;
    $('#next').disabled = !more;
  } catch (e) {
    body.replaceChildren();
    status.textContent = e.message;
    status.classList.add('error');
  }
}

function studyRow(ds) {
  const uid = dw.value(ds, T.StudyInstanceUID);
  const link = el('a', { href: `#/study/${uid}` }, dw.personName(dw.value(ds, T.PatientName)) || '(no name)');
  return el('tr', {},
    el('td', {}, link), el('td', {}, dw.value(ds, T.PatientID)), el('td', {}, dw.date(dw.value(ds, T.StudyDate))),
    el('td', {}, dw.value(ds, T.AccessionNumber)), el('td', {}, dw.values(ds, T.ModalitiesInStudy)),
    el('td', {}, dw.value(ds, T.StudyDescription)),
    el('td', { class: 'number' }, dw.value(ds, T.NumberOfStudyRelatedSeries)),
    el('td', { class: 'number' }, dw.value(ds, T.NumberOfStudyRelatedInstances)));
}

// ---- a study

async function showStudy(uid) {
  $('#search-view').hidden = true;
  $('#study-view').hidden = false;
  const status = $('#study-status');
  status.textContent = 'Loading…';
  status.classList.remove('error');
  $('#series').replaceChildren();
  $('#study-attributes').replaceChildren();
  const actions = $('#study-view .actions');
  actions.hidden = true; // until they are this study's: a quick click would open, download or delete the one shown before
  try {
    const params = new URLSearchParams({ StudyInstanceUID: uid, includefield: STUDY_FIELDS });
    const { matches } = await dw.search('/studies', params);
    if (matches.length === 0) throw new Error(`There is no study ${uid} in this archive.`);
    const ds = matches[0];
    $('#study-title').textContent = `${dw.personName(dw.value(ds, T.PatientName)) || '(no name)'}: ${dw.value(ds, T.StudyDescription) || 'study'}`;
    const shown = [
      ['Patient ID', dw.value(ds, T.PatientID)], ['Birth date', dw.date(dw.value(ds, T.PatientBirthDate))],
      ['Sex', dw.value(ds, T.PatientSex)], ['Study date', dw.date(dw.value(ds, T.StudyDate))],
      ['Accession number', dw.value(ds, T.AccessionNumber)], ['Modalities', dw.values(ds, T.ModalitiesInStudy)],
      ['Referring physician', dw.personName(dw.value(ds, T.ReferringPhysicianName))], ['Study ID', dw.value(ds, T.StudyID)],
      ['Series', dw.value(ds, T.NumberOfStudyRelatedSeries)], ['Instances', dw.value(ds, T.NumberOfStudyRelatedInstances)],
      ['Study Instance UID', uid],
    ];
    $('#study-attributes').replaceChildren(...shown.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v || '—')]));
    $('#download').href = dw.archiveUrl(uid);
    $('#open-viewer').hidden = !viewerInstalled;
    if (viewerInstalled) $('#open-viewer').href = dw.viewerUrl(uid);
    $('#delete').dataset.uid = uid;
    $('#delete').dataset.label = $('#study-title').textContent;
    actions.hidden = false;
    const series = await dw.search(`/studies/${uid}/series`, new URLSearchParams({
      includefield: [T.NumberOfSeriesRelatedInstances, T.SeriesDescription, T.BodyPartExamined].join(','), orderby: 'SeriesNumber',
    }));
    $('#series').replaceChildren(...series.matches.map(s => seriesItem(uid, s)));
    status.textContent = `${series.matches.length} series.`;
  } catch (e) {
    status.textContent = e.message;
    status.classList.add('error');
  }
}

function count(n, noun) {
  return n === '' ? `? ${noun}s` : `${n} ${noun}${n === '1' ? '' : 's'}`;
}

function seriesItem(studyUid, s) {
  const uid = dw.value(s, T.SeriesInstanceUID);
  const title = `Series ${dw.value(s, T.SeriesNumber) || '?'}: ${dw.value(s, T.SeriesDescription) || dw.value(s, T.Modality)}`;
  const thumb = el('div', { class: 'thumb placeholder', role: 'img', 'aria-label': `no preview of ${title}` }, 'No preview');
  const item = el('li', {}, thumb, el('h3', {}, title), el('p', {},
    `${dw.value(s, T.Modality)} · ${count(dw.value(s, T.NumberOfSeriesRelatedInstances), 'instance')}`
    + (dw.value(s, T.BodyPartExamined) ? ` · ${dw.value(s, T.BodyPartExamined)}` : '')));
  dw.thumbnail(studyUid, uid).then(url => {
    if (!url) return;
    const img = el('img', { class: 'thumb', src: url, alt: `preview of ${title}` });
    img.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
    thumb.replaceWith(img);
  }).catch(() => { /* the placeholder stays */ });
  return item;
}

async function confirmDelete() {
  const button = $('#delete');
  const dialog = $('#confirm-delete');
  $('#confirm-text').textContent = `${button.dataset.label} (${button.dataset.uid}) and all its series and instances will be deleted.`;
  dialog.returnValue = '';
  dialog.showModal();
  const answer = await new Promise(resolve => dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true }));
  if (answer !== 'delete') return;
  const status = $('#study-status');
  try {
    await dw.deleteStudy(button.dataset.uid);
    location.hash = '#/';
    if (lastQuery) await runSearch(); // the list no longer shows what was deleted
    $('#search-status').textContent = `Deleted ${button.dataset.label}. ${$('#search-status').textContent}`;
  } catch (e) {
    status.textContent = e.status === 403 ? 'You may not delete studies here.' : e.message;
    status.classList.add('error');
  }
}

// ---- upload

async function sendFiles(items) {
  if (items.length === 0) return;
  const progress = $('#upload-progress'), results = $('#upload-results'), status = $('#upload-status');
  progress.hidden = false;
  $('#upload-progress-label').hidden = false;
  progress.value = 0;
  results.hidden = false;
  results.tBodies[0].replaceChildren();
  const counts = {};
  status.textContent = `Uploading ${items.length} file(s)…`;
  try {
    await upload(items, {
      onProgress: (sent, total) => { progress.max = Math.max(total, 1); progress.value = sent; },
      onOutcome: ({ name, outcome, detail }) => {
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        const cls = outcome === 'stored' ? 'outcome-stored' : outcome === 'refused' ? 'outcome-refused' : 'outcome-warning';
        results.tBodies[0].append(el('tr', {}, el('td', {}, name), el('td', { class: cls }, outcome), el('td', {}, detail)));
      },
    });
  } catch (e) {
    status.textContent = e.message;
    return;
  }
  progress.value = progress.max;
  status.textContent = `Upload finished: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}.`;
  if (lastQuery) runSearch();
}

function wireUpload() {
  const drop = $('#drop');
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async e => {
    e.preventDefault();
    drop.classList.remove('over');
    try {
      await sendFiles(await filesOf(e.dataTransfer));
    } catch (err) {
      $('#upload-status').textContent = err.message;
    }
  });
  for (const id of ['#pick-files', '#pick-folder']) {
    $(id).addEventListener('change', async e => {
      await sendFiles(filesOfInput(e.target));
      e.target.value = '';
    });
  }
}

// ---- routes

/** @param moveFocus after a navigation inside the page, as a new page would (not on the first load) */
function route(moveFocus = true) {
  const m = location.hash.match(/^#\/study\/([0-9.]{1,64})$/);
  if (m) {
    showStudy(m[1]);
  } else {
    $('#study-view').hidden = true;
    $('#search-view').hidden = false;
  }
  if (moveFocus) $('#main').focus();
}

async function start() {
  try {
    await auth.ready();
  } catch (e) {
    $('#search-status').textContent = e.message;
    $('#search-status').classList.add('error');
    return;
  }
  if (dw.tenant) $('#tenant').textContent = `tenant ${dw.tenant}`;
  $('#search').addEventListener('submit', e => {
    e.preventDefault();
    offset = 0;
    lastQuery = queryFromForm();
    runSearch();
  });
  $('#prev').addEventListener('click', () => { offset = Math.max(0, offset - lastQuery.size); runSearch(); });
  $('#next').addEventListener('click', () => { offset += lastQuery.size; runSearch(); });
  $('#delete').addEventListener('click', confirmDelete);
  $('#download').addEventListener('click', async e => {
    if (!auth.enabled()) return; // the link itself downloads
    e.preventDefault();
    try {
      await dw.downloadArchive($('#delete').dataset.uid);
    } catch (err) {
      $('#study-status').textContent = err.message;
      $('#study-status').classList.add('error');
    }
  });
  wireUpload();
  window.addEventListener('hashchange', () => route());
  route(false);
  lastQuery = queryFromForm();
  runSearch();
}

start();
