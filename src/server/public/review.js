import { api, el, session } from './common.js';

const CONTEXT = 400; // characters of page text shown on each side of the quote
let queue = [];
let index = -1;
const pageCache = new Map();

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

async function loadQueue() {
  const form = $('filters');
  const query = new URLSearchParams({ limit: '500' });
  for (const name of ['district', 'commune', 'flagType', 'document']) if (form[name].value.trim()) query.set(name, form[name].value.trim());
  // Going through one document: every unreviewed statement of it, the ones needing a human first.
  if (query.has('document')) query.set('all', 'true');
  const body = await api(`/api/review/queue?${query}`);
  queue = body.statements;
  $('queue-count').textContent = `${body.total} to review`;
  const list = $('queue');
  list.replaceChildren(...queue.map((s, i) => el('li', { 'data-id': String(s.id), onclick: () => select(i) },
    el('div', {}, `${s.commune ? s.commune.name : s.district ? s.district.name : '—'} · ${summary(s)}`),
    el('div', { class: 'flagged' }, s.flags.map((f) => f.type).join(', ') || (s.tier === 'low_ocr_confidence' ? `OCR unsure (${Math.round(s.quoteOcrConfidence)}%) in the quote` : `confidence ${s.confidence}`)),
    el('div', { class: 'keys' }, s.document.filename))));
  select(queue.length ? Math.min(Math.max(index, 0), queue.length - 1) : -1);
}

function summary(s) {
  if (s.kind === 'commune_count') return `${s.met}/${s.total}`;
  if (s.kind === 'criteria_list') return `${s.status} ${(s.criteria || []).join(', ')}`;
  if (s.kind === 'district_aggregate') return `${s.metric}: ${s.value}`;
  return s.kind;
}

async function select(i) {
  index = i;
  for (const [n, li] of [...$('queue').children].entries()) li.classList.toggle('selected', n === i);
  $('correct-form').classList.add('hidden');
  $('missed-form').classList.add('hidden');
  missed = null;
  $('action-message').textContent = '';
  const s = queue[i];
  if (!s) {
    $('statement').replaceChildren(el('p', {}, 'Nothing left to review.'));
    $('page-text').replaceChildren();
    $('scan-panel').classList.add('hidden');
    $('timeline').replaceChildren();
    return;
  }
  $('queue').children[i]?.scrollIntoView({ block: 'nearest' });
  const values = [['kind', s.kind], ['values', summary(s)], ['commune', s.commune ? `${s.commune.name} (${s.commune.code ?? 'unresolved'})` : '—'],
    ['district', s.district?.name ?? '—'], ['level', s.level ?? '—'], ['criteria set', s.criteriaSet ?? '—'], ['assessment', s.assessment ?? '—'],
    ['as of', s.asOf ?? '—'], ['rule', `${s.rule} (confidence ${s.confidence})`], ['file', `${s.document.filename}, page ${s.citation?.page ?? '?'}`]];
  $('statement').replaceChildren(
    el('dl', { class: 'values' }, ...values.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    ...s.flags.map((f) => el('div', { class: 'flag' }, el('b', {}, f.type), ': ', f.message)));
  await showPage(s);
  await showTimeline(s);
}

async function showPage(s) {
  const target = $('page-text');
  if (!s.citation) { target.replaceChildren('(no quote)'); $('scan-panel').classList.add('hidden'); return; }
  if (!pageCache.has(s.document.id)) pageCache.set(s.document.id, await api(`/api/documents/${s.document.id}`));
  const page = pageCache.get(s.document.id).pages.find((p) => p.page === s.citation.page);
  if (!page) { target.replaceChildren('(page not stored)'); $('scan-panel').classList.add('hidden'); return; }
  const { start, end } = s.citation;
  const from = Math.max(0, start - CONTEXT);
  const to = Math.min(page.text.length, end + CONTEXT);
  // Text nodes only: whatever the document holds (<script>, <img onerror>) is shown, never run.
  target.replaceChildren(from > 0 ? '…' : '', page.text.slice(from, start), el('mark', {}, page.text.slice(start, end)), page.text.slice(end, to), to < page.text.length ? '…' : '');
  target.querySelector('mark')?.scrollIntoView({ block: 'center' });
  await showScan(s, page);
}

const scanCache = new Map();

/** The page image at twice the panel's width, the quote's first word brought into view. */
function toggleZoom() {
  $('scan').classList.toggle('zoomed');
  $('scan').querySelector('.word-box')?.scrollIntoView({ block: 'center', inline: 'center' });
}

/** An OCR'd page: its image beside the text, with a box on each word of the quote (words overlapping [start, end)). */
async function showScan(s, page) {
  const panel = $('scan-panel');
  if (!page.hasImage) { panel.classList.add('hidden'); $('scan').replaceChildren(); return; }
  const key = `${s.document.id}/${page.page}`;
  if (!scanCache.has(key)) scanCache.set(key, await api(`/api/documents/${s.document.id}/pages/${page.page}/ocr`));
  const { image, words } = scanCache.get(key);
  const { start, end } = s.citation;
  const percent = (value, of) => `${((100 * value) / of).toFixed(3)}%`;
  // Boxes in percent of the image's own size, so they follow the image however wide it is shown.
  const boxes = words.filter((w) => w.start < end && w.end > start).map((w) => el('div', {
    class: 'word-box', 'data-start': String(w.start), 'data-end': String(w.end), title: `confidence ${Math.round(w.confidence)}`,
    style: `left:${percent(w.left, image.width)};top:${percent(w.top, image.height)};width:${percent(w.width, image.width)};height:${percent(w.height, image.height)}`,
  }));
  const img = el('img', { src: image.url, alt: `page ${page.page} as scanned`, width: String(image.width), height: String(image.height) });
  // The boxes' frame is the image itself (a wrapper its size), not the scrolling panel.
  $('scan').replaceChildren(el('div', { class: 'scan-page', ondblclick: toggleZoom }, img, ...boxes));
  panel.classList.remove('hidden');
  if (boxes[0]) {
    const scroll = () => boxes[0].scrollIntoView({ block: 'center' });
    if (img.complete) scroll(); else img.addEventListener('load', scroll, { once: true });
  }
}

async function showTimeline(s) {
  const body = $('timeline');
  if (!s.commune?.code) { body.replaceChildren(el('tr', {}, el('td', { colspan: '5' }, 'commune not resolved'))); return; }
  const timeline = await api(`/api/communes/${s.commune.code}/timeline`);
  body.replaceChildren(...timeline.counts.map((c) => el('tr', { class: c.standing ? 'standing' : '' },
    el('td', {}, c.asOf ?? '—'), el('td', {}, `${c.met}/${c.total}`), el('td', {}, c.source), el('td', {}, c.fileName ?? ''), el('td', {}, c.standing ? 'stands' : c.rejected ? 'rejected' : ''))));
}

async function act(body) {
  const s = queue[index];
  if (!s) return;
  try {
    await api(`/api/statements/${s.id}/review`, { method: 'POST', json: body });
    pageCache.delete(s.document.id);
    await loadQueue();
    $('action-message').textContent = '';
  } catch (error) {
    $('action-message').textContent = error.message;
  }
}

let criteriaSets = null;
const communesOf = new Map();

/** Only valid values on offer: the criteria of the statement's set, the communes of its district. */
async function fillChoices(s, form) {
  criteriaSets ??= (await api('/api/reference/criteria-sets')).criteriaSets;
  const set = criteriaSets.find((c) => c.code === s.criteriaSet);
  const chosen = new Set(s.criteria || []);
  $('criteria-choices').replaceChildren(el('legend', {}, set ? `criteria (${set.code})` : 'criteria'),
    ...(set ? set.criteria : []).map((c) => el('label', { title: c.name }, Object.assign(el('input', { type: 'checkbox', value: String(c.number) }), { checked: chosen.has(c.number) }), ` ${c.number}`)));
  $('criteria-choices').classList.toggle('hidden', s.kind !== 'criteria_list' || !set);
  if (s.total !== undefined && set) form.total.max = String(set.criteria.length);
  form.commune.replaceChildren(el('option', { value: '' }, s.commune ? `${s.commune.name} (as read)` : '—'), ...(await communeOptions(s)));
  form.commune.value = '';
}

/** From 1 July 2025 communes have no district: the document's date (or the statement's units) says which gazetteer to offer. */
const isAfterReform = (s) => s.unitSystem === 'two_level_2025' || (s.document.date ?? '').slice(0, 7) >= '2025-07';

/** The communes a reviewer may pick: the district's before the reform, the province's new communes after it. */
async function communeOptions(s) {
  if (isAfterReform(s)) {
    const province = s.province?.code;
    if (!province || !/^\d{2}$/.test(province)) return [];
    const key = `2025/${province}`;
    if (!communesOf.has(key)) communesOf.set(key, (await api(`/api/reference/units-2025/${province}/communes`)).units);
    return communesOf.get(key).map((u) => el('option', { value: u.code }, `${u.type} ${u.name} (${u.code}, from 1/7/2025)`));
  }
  const district = s.district?.code;
  if (!district || !/^\d{3}$/.test(district)) return [];
  if (!communesOf.has(district)) communesOf.set(district, (await api(`/api/reference/units/${district}/children`)).units.filter((u) => !u.validTo));
  return communesOf.get(district).map((u) => el('option', { value: u.code }, `${u.type} ${u.name} (${u.code})`));
}

// ---- Adding a statement the rules missed: the whole page as one text node, so a selection gives offsets.
let missed = null; // { page, start, end } of the selection, while the form is open

async function openMissed() {
  const s = queue[index];
  if (!s) return;
  const form = $('missed-form');
  $('correct-form').classList.add('hidden');
  if (!pageCache.has(s.document.id)) pageCache.set(s.document.id, await api(`/api/documents/${s.document.id}`));
  const pages = pageCache.get(s.document.id).pages;
  form.page.replaceChildren(...pages.map((p) => el('option', { value: String(p.page) }, `page ${p.page}`)));
  form.page.value = String(s.citation?.page ?? pages[0]?.page ?? 1);
  criteriaSets ??= (await api('/api/reference/criteria-sets')).criteriaSets;
  const set = criteriaSets.find((c) => c.code === s.criteriaSet);
  $('missed-criteria').replaceChildren(el('legend', {}, set ? `criteria (${set.code})` : 'criteria (no set known)'),
    ...(set ? set.criteria : []).map((c) => el('label', { title: c.name }, el('input', { type: 'checkbox', value: String(c.number) }), ` ${c.number}`)));
  form.commune.replaceChildren(el('option', { value: '' }, '—'), ...(await communeOptions(s)));
  form.quote.value = '';
  $('missed-message').textContent = '';
  $('missed-message').classList.remove('ok');
  missed = { page: Number(form.page.value), start: null, end: null };
  showKind(form);
  showWholePage();
  form.classList.remove('hidden');
  form.quote.focus();
}

function closeMissed() {
  if (!missed) return;
  missed = null;
  $('missed-form').classList.add('hidden');
  const s = queue[index];
  if (s) showPage(s);
}

function showKind(form) {
  for (const part of form.querySelectorAll('[data-for]')) part.classList.toggle('hidden', part.dataset.for !== form.kind.value);
}

function showWholePage() {
  const s = queue[index];
  const page = pageCache.get(s.document.id).pages.find((p) => p.page === missed.page);
  // One text node: a selection's offsets in it are offsets in the stored page text.
  $('page-text').replaceChildren(document.createTextNode(page ? page.text : ''));
  $('scan-panel').classList.add('hidden');
}

document.addEventListener('selectionchange', () => {
  if (!missed) return;
  const selection = document.getSelection();
  const node = $('page-text').firstChild;
  if (!selection || selection.rangeCount === 0 || !node) return;
  const range = selection.getRangeAt(0);
  if (range.collapsed || range.startContainer !== node || range.endContainer !== node) return;
  missed.start = range.startOffset;
  missed.end = range.endOffset;
  $('missed-form').quote.value = node.data.slice(missed.start, missed.end);
});

$('missed-form').quote.addEventListener('input', () => { missed.start = missed.end = null; });
$('missed-form').kind.addEventListener('change', (event) => showKind(event.target.form));
$('missed-form').page.addEventListener('change', (event) => {
  missed = { page: Number(event.target.value), start: null, end: null };
  event.target.form.quote.value = '';
  showWholePage();
});

$('missed-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const s = queue[index];
  const message = $('missed-message');
  message.classList.remove('ok');
  const values = {};
  if (form.kind.value === 'commune_count') {
    if (form.met.value === '' || form.total.value === '') { message.textContent = 'give met and total'; return; }
    values.met = Number(form.met.value);
    values.total = Number(form.total.value);
    if (values.met > values.total) { message.textContent = 'met cannot be over total'; return; }
  } else {
    values.status = form.status.value;
    values.criteria = [...$('missed-criteria').querySelectorAll('input:checked')].map((box) => Number(box.value));
    if (s.criteriaSet) values.criteriaSet = s.criteriaSet;
  }
  if (form.level.value) values.level = form.level.value;
  if (form.asOf.value.trim()) values.asOf = form.asOf.value.trim();
  if (form.commune.value) values.commune = { code: form.commune.value, name: form.commune.selectedOptions[0].textContent };
  const quote = form.quote.value;
  if (!quote.trim()) { message.textContent = 'select the words in the page text, or type them'; return; }
  const span = missed.start !== null ? { start: missed.start, end: missed.end } : {};
  try {
    const { correction } = await api(`/api/documents/${s.document.id}/missed`, { method: 'POST', json: {
      page: missed.page, quote, ...span, kind: form.kind.value, values, ...(form.comment.value.trim() ? { comment: form.comment.value.trim() } : {}) } });
    const at = correction.payload.citation;
    message.classList.add('ok');
    message.textContent = `Added: page ${at.page}, characters ${at.start}–${at.end}.`;
    form.quote.value = '';
    missed.start = missed.end = null;
  } catch (error) {
    message.textContent = error.message;
  }
});

async function openCorrection() {
  const s = queue[index];
  if (!s) return;
  closeMissed();
  const form = $('correct-form');
  await fillChoices(s, form);
  form.met.value = s.met ?? '';
  form.total.value = s.total ?? '';
  form.level.value = s.level ?? '';
  form.asOf.value = s.asOf ?? '';
  form.met.parentElement.classList.toggle('hidden', s.kind !== 'commune_count');
  form.total.parentElement.classList.toggle('hidden', s.kind !== 'commune_count');
  form.classList.remove('hidden');
  (s.kind === 'commune_count' ? form.met : form.level).focus();
  form.met.select?.();
}

$('correct-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const s = queue[index];
  const values = {};
  if (s.kind === 'commune_count') {
    if (form.met.value !== '') values.met = Number(form.met.value);
    if (form.total.value !== '') values.total = Number(form.total.value);
    if (values.met > values.total) { $('correct-message').textContent = 'met cannot be over total'; return; }
  }
  if (form.level.value) values.level = form.level.value;
  if (form.asOf.value.trim()) values.asOf = form.asOf.value.trim();
  if (s.kind === 'criteria_list' && !$('criteria-choices').classList.contains('hidden')) {
    values.criteria = [...$('criteria-choices').querySelectorAll('input:checked')].map((box) => Number(box.value));
  }
  if (form.commune.value) {
    const option = form.commune.selectedOptions[0];
    values.commune = { code: form.commune.value, name: option.textContent };
  }
  $('correct-message').textContent = '';
  await act({ action: 'correct', values, ...(form.comment.value.trim() ? { comment: form.comment.value.trim() } : {}) });
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') { $('correct-form').classList.add('hidden'); closeMissed(); return; }
  if (event.target.closest('input, select, textarea') || event.ctrlKey || event.metaKey || event.altKey) return;
  const actions = {
    a: () => act({ action: 'accept' }), r: () => act({ action: 'reject' }), c: openCorrection, m: openMissed,
    z: toggleZoom,
    n: () => select(Math.min(index + 1, queue.length - 1)), j: () => select(Math.min(index + 1, queue.length - 1)), k: () => select(Math.max(index - 1, 0)),
  };
  const action = actions[event.key];
  if (action) { event.preventDefault(); action(); }
});

// After filtering, the keys act on the queue again (not on the filter box).
$('filters').addEventListener('submit', (event) => { event.preventDefault(); document.activeElement?.blur(); index = 0; loadQueue(); });
if (params.get('document')) $('filters').document.value = params.get('document');
session(loadQueue);
