import { api, el, session } from './common.js';

async function load() {
  const { documents } = await api('/api/documents?limit=500');
  document.getElementById('documents').replaceChildren(...documents.map((d) => el('tr', {},
    el('td', {}, d.id), el('td', {}, d.fileName), el('td', { class: `status-${d.status}` }, d.error ? `${d.status}: ${d.error}` : d.status),
    el('td', {}, d.docType ?? ''), el('td', {}, d.docDate ?? ''), el('td', {}, d.rulesVersion ?? ''),
    el('td', {}, el('a', { href: `/?document=${d.id}` }, 'review')))));
  const nameOf = new Map(documents.map((d) => [d.sha256, d.fileName]));
  const { corrections } = await api('/api/corrections/orphaned');
  document.getElementById('orphaned').replaceChildren(...(corrections.length ? corrections.map((c) => el('tr', {},
    el('td', {}, nameOf.get(c.documentSha256) ?? c.documentSha256.slice(0, 12)), el('td', {}, c.action), el('td', {}, c.payload ? JSON.stringify(c.payload) : ''),
    el('td', {}, c.reviewer), el('td', {}, c.createdAt), el('td', {}, c.note ?? ''))) : [el('tr', {}, el('td', { colspan: '6' }, 'none'))]));
}
session(load);
