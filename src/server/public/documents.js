import { api, el, session } from './common.js';

async function load() {
  const { documents } = await api('/api/documents?limit=500');
  document.getElementById('documents').replaceChildren(...documents.map((d) => el('tr', {},
    el('td', {}, d.id), el('td', {}, d.fileName), el('td', { class: `status-${d.status}` }, d.error ? `${d.status}: ${d.error}` : d.status),
    el('td', {}, d.docType ?? ''), el('td', {}, d.docDate ?? ''), el('td', {}, d.rulesVersion ?? ''),
    el('td', {}, el('a', { href: `/?document=${d.id}` }, 'review')))));
}
session(load);
