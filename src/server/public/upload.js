import { api, el, session, state } from './common.js';

const $ = (id) => document.getElementById(id);

/** One request per file, so each has its own progress bar, result and reason. */
function send(file) {
  const bar = el('progress', { max: '100', value: '0' });
  const status = el('span', { class: 'status-queued' }, 'uploading');
  const item = el('li', { 'data-name': file.name }, `${file.name} `, bar, ' ', status);
  $('files').append(item);
  const form = new FormData();
  form.append('file', file, file.name);
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
    if (result.documentId && result.status === 'queued') poll(result.documentId, status);
  };
  request.onerror = () => setStatus(status, 'failed', 'the upload did not reach the server');
  request.send(form);
}

function setStatus(node, status, error) {
  node.className = `status-${status === 'unchanged' ? 'done' : status}`;
  node.textContent = error ? `${status}: ${error}` : status;
}

async function poll(id, status) {
  for (;;) {
    const { document, progress } = await api(`/api/documents/${id}`);
    setStatus(status, document.status, document.error);
    if (progress && document.status !== 'done' && document.status !== 'failed') {
      status.textContent = `${document.status}: ${progress.stage}${progress.pages ? ` page ${progress.page} of ${progress.pages}` : ''}`;
    }
    if (document.status === 'done' || document.status === 'failed') return;
    await new Promise((resolve) => setTimeout(resolve, 700));
  }
}

const drop = $('drop');
drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => { event.preventDefault(); drop.classList.remove('over'); [...event.dataTransfer.files].forEach(send); });
$('picker').addEventListener('change', (event) => { [...event.target.files].forEach(send); event.target.value = ''; });
session(() => {});
