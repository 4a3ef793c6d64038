// Shared by the pages: the session, the API with its CSRF header, and safe text output.
// Document text is only ever put in the page with textContent, never as HTML.
export const state = { csrf: null, name: null, role: null };

export async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (options.method && options.method !== 'GET' && state.csrf) headers['x-ntm-csrf'] = state.csrf;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    options.body = JSON.stringify(options.json);
  }
  const response = await fetch(path, { ...options, headers, credentials: 'same-origin' });
  if (response.status === 401) { showLogin(); throw new Error('not logged in'); }
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new Error(body && body.error ? body.error : `HTTP ${response.status}`);
  return body;
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function showLogin() {
  document.getElementById('login').classList.remove('hidden');
  document.getElementById('app').classList.add('hidden');
}

/** Resolves once logged in (a session cookie already there, or after the token form). */
export async function session(onReady) {
  const form = document.getElementById('login');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const message = form.querySelector('.message');
    message.textContent = '';
    const response = await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: form.token.value.trim() }) });
    if (!response.ok) { message.textContent = 'This token is not valid.'; return; }
    form.token.value = '';
    ready(await response.json());
  });
  const ready = (who) => {
    Object.assign(state, who);
    document.getElementById('who').textContent = `${who.name} (${who.role})`;
    form.classList.add('hidden');
    document.getElementById('app').classList.remove('hidden');
    onReady();
  };
  const response = await fetch('/api/session', { credentials: 'same-origin' });
  if (response.ok) ready(await response.json());
  else showLogin();
}
