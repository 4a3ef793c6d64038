import { api, el, session, state } from './common.js';

const $ = (id) => document.getElementById(id);

/** One request per file, so each has its own progress bar, result and reason. */
function send(file, name = file.webkitRelativePath || file.name) {
  const bar = el('progress', { max: '100', value: '0' });
  const status = el('span', { class: 'status-queued' }, 'uploading');
  const item = el('li', { 'data-name': name }, `${name} `, bar, ' ', status);
  $('files').append(item);
  const form = new FormData();
  // The name (with its folder) is only shown and stored as the document's name, never used as a path.
  form.append('file', file, name);
  const request = new XMLHttpRequest();
  request.open('POST', '/api/documents');
  request.setRequestHeader('x-ntm-csrf', state.csrf);
  request.upload.onprogress = (event) => { if (event.lengthComputable) bar.value = Math.round((100 * event.loaded) / event.total); };
  request.onload = () => {
    let body;
    try { body = JSON.parse(request.responseText); } catch { body = {}; }
    if (request.status !== 200) { setStatus(status, 'failed', body.error || `HTTP ${request.status}`); return; }
    bar.value = 100;
    const result = body.documents[0];
    setStatus(status, result.status, result.error);
    if (result.documentId && result.status === 'queued') watch(result.documentId, status);
  };
  request.onerror = () => setStatus(status, 'failed', 'the upload did not reach the server');
  request.send(form);
}

function setStatus(node, status, error) {
  node.className = `status-${status === 'unchanged' ? 'done' : status}`;
  node.textContent = error ? `${status}: ${error}` : status;
}

function showProgress(status, document, progress) {
  setStatus(status, document.status, document.error);
  if (progress && document.status !== 'done' && document.status !== 'failed') {
    status.textContent = `${document.status}: ${progress.stage}${progress.pages ? ` page ${progress.page} of ${progress.pages}` : ''}`;
  }
}

/** Progress pushed by the server (Server-Sent Events); polling when the browser or the connection cannot stream. */
function watch(id, status) {
  if (typeof EventSource !== 'function') { poll(id, status); return; }
  const events = new EventSource(`/api/documents/events?ids=${id}`);
  let ended = false;
  events.addEventListener('state', (event) => {
    const state = JSON.parse(event.data);
    showProgress(status, { status: state.status, error: state.error }, state.progress);
  });
  events.addEventListener('end', () => { ended = true; events.close(); });
  events.onerror = () => {
    if (ended) return;
    events.close();
    poll(id, status);
  };
}

async function poll(id, status) {
  for (;;) {
    const { document, progress } = await api(`/api/documents/${id}`);
    showProgress(status, document, progress);
    if (document.status === 'done' || document.status === 'failed') return;
    await new Promise((resolve) => setTimeout(resolve, 700));
  }
}

const drop = $('drop');
drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', async (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  // Entries are taken from the items at once: the DataTransfer is emptied when this handler yields.
  const items = [...event.dataTransfer.items].filter((item) => item.kind === 'file');
  const entries = items.map((item) => item.webkitGetAsEntry?.() ?? null);
  const loose = items.map((item, n) => (entries[n] ? null : item.getAsFile())).filter(Boolean);
  for (const file of loose) send(file);
  for (const entry of entries.filter(Boolean)) for await (const [file, path] of filesIn(entry)) send(file, path);
});

/** Every file under a dropped entry (a folder is read to its bottom), with its path inside the drop. */
async function* filesIn(entry) {
  if (entry.isFile) {
    yield [await new Promise((resolve, reject) => entry.file(resolve, reject)), entry.fullPath.replace(/^\//, '')];
    return;
  }
  const reader = entry.createReader();
  for (;;) {
    // readEntries gives a batch at a time (100 in Chromium) and an empty one at the end.
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return;
    for (const child of batch) yield* filesIn(child);
  }
}

$('picker').addEventListener('change', (event) => { [...event.target.files].forEach((file) => send(file)); event.target.value = ''; });
$('folder-picker').addEventListener('change', (event) => { [...event.target.files].forEach((file) => send(file)); event.target.value = ''; });
session(() => {});
