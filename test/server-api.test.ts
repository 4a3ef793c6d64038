/**
 * The HTTP API of `ntm serve`: a real server on 127.0.0.1 over a real SQLite file, seeds
 * uploaded through it, every route tried without a token (401), with a role that may not
 * use it (403) and with one that may.
 */
import { readFileSync } from 'node:fs';
import { imageSize } from 'image-size';
import { pipelineFailureRules } from '../src/pipeline/failure-rules.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokenRepository } from '../db/api-token.repository.js';
import { closeDatabase, openDatabase } from '../db/index.js';
import { apiTokens, corrections, sessions } from '../db/schema.js';
import { loadConfig } from '../src/config.js';
import { buildServer } from '../src/server/build-server.js';
import { projectPath } from '../extractors/util/project-root.js';
import { BullmqPipeline } from '../queues/bullmq.queue.js';
import { startApiServer, type RunningServer } from './support/api-server.js';
import { startTestRedis } from './support/redis-server.js';
import { ntm, waitFor } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

const SEED = '001_f3406501ba6aec7a.txt';
const seedBytes = () => readFileSync(projectPath('fixtures', 'seeds', SEED));

let api: RunningServer;
const call = (path: string, init: RequestInit & { token?: string } = {}) => {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  return fetch(`${api.base}${path}`, { ...init, headers });
};
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const upload = (files: Array<[string, Buffer]>, token: string) => {
  const form = new FormData();
  for (const [name, bytes] of files) form.append('file', new Blob([bytes]), name);
  return call('/api/documents', { method: 'POST', body: form, token });
};
const documentStatus = async (id: number) =>
  ((await (await call(`/api/documents/${id}`, { token: api.tokens.reader })).json()) as { document: { status: string } }).document.status;

let documentId: number;
/** A photographed page (read by OCR): its image and word boxes have routes of their own. */
let scanId: number;

beforeAll(async () => {
  api = await startApiServer();
  const response = await upload([[SEED, seedBytes()]], api.tokens.uploader);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { documents: Array<{ documentId: number; status: string; fileName: string }> };
  expect(body.documents).toHaveLength(1);
  expect(body.documents[0]).toMatchObject({ fileName: SEED, status: 'queued' });
  documentId = body.documents[0]!.documentId;
  await waitFor('the uploaded seed to be read', async () => (await documentStatus(documentId)) === 'done');
  const scan = await upload([['photo-page.jpg', readFileSync(projectPath('fixtures', 'scanned', 'photo-page.jpg'))]], api.tokens.uploader);
  scanId = ((await scan.json()) as { documents: Array<{ documentId: number }> }).documents[0]!.documentId;
  await waitFor('the uploaded scan to be read', async () => (await documentStatus(scanId)) === 'done', 90_000);
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

/** Every route with a valid request, and the roles that may use it (admin may use all). */
const ROUTES: Array<{ method: string; path: () => string; body?: () => RequestInit; allowed: string[] }> = [
  { method: 'GET', path: () => '/api/documents', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => `/api/documents/${documentId}`, allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => '/api/statements?kind=commune_count', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => '/api/flags', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => `/api/documents/${scanId}/pages/1/ocr`, allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => `/api/documents/${scanId}/pages/1/image`, allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => '/api/review/queue', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => '/api/communes/06322/status', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => '/api/communes/06322/timeline', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => '/api/export?format=csv', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => '/api/corrections/orphaned', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => '/api/reference/criteria-sets', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => '/api/reference/units/184/children', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'GET', path: () => '/api/reference/units-2025/20/communes', allowed: ['reader', 'reviewer', 'uploader'] },
  { method: 'POST', path: () => `/api/documents/${documentId}/reprocess`, allowed: ['uploader'] },
  { method: 'POST', path: () => '/api/statements/1/review', body: () => json({ action: 'accept' }), allowed: ['reviewer'] },
  {
    method: 'POST',
    path: () => `/api/documents/${documentId}/missed`,
    body: () => json({ page: 1, start: 0, end: 10, kind: 'commune_count', values: { met: 19, total: 19 } }),
    allowed: ['reviewer'],
  },
  {
    method: 'POST',
    path: () => '/api/documents',
    body: () => {
      const form = new FormData();
      form.append('file', new Blob([seedBytes()]), SEED);
      return { body: form };
    },
    allowed: ['uploader'],
  },
];

describe('access control', () => {
  for (const route of ROUTES) {
    it(`${route.method} ${route.path()}: 401 without a token, 403 for other roles, 200 for ${route.allowed.join('/')} and admin`, async () => {
      // The statement id of the review route is looked up now that the seed is read.
      const path = route.path().replace('/api/statements/1/', `/api/statements/${await firstStatementId()}/`);
      const request = (token?: string) => call(path, { method: route.method, ...(route.body?.() ?? {}), ...(token ? { token } : {}) });
      expect((await request()).status).toBe(401);
      expect((await request('ntm_not-a-real-token')).status).toBe(401);
      for (const role of ['reader', 'reviewer', 'uploader', 'admin'] as const) {
        const response = await request(api.tokens[role]);
        const allowed = role === 'admin' || route.allowed.includes(role);
        expect(response.status, `${role} on ${route.method} ${path}: ${await response.clone().text()}`).toBe(allowed ? 200 : 403);
      }
    });
  }

  it('ntm token create prints the secret once and stores only its hash; ntm token revoke ends it', async () => {
    const created = await ntm(['token', 'create', '--role', 'reader', '--name', 'cli-reader', '--db', api.databasePath]);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^ntm_[\w-]{40,}$/);
    const stored = api.db.select().from(apiTokens).all();
    expect(stored.find((row) => row.name === 'cli-reader')).toMatchObject({ role: 'reader', revokedAt: null });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect((await call('/api/documents', { token: secret })).status).toBe(200);
    expect((await ntm(['token', 'create', '--role', 'reader', '--name', 'cli-reader', '--db', api.databasePath])).stderr).toContain('exists already');
    expect((await ntm(['token', 'create', '--role', 'boss', '--name', 'x', '--db', api.databasePath])).stderr).toContain('unknown role "boss"');
    expect((await ntm(['token', 'revoke', 'cli-reader', '--db', api.databasePath])).code).toBe(0);
    expect((await call('/api/documents', { token: secret })).status).toBe(401);
    expect((await ntm(['token', 'revoke', 'cli-reader', '--db', api.databasePath])).code).toBe(1);
    // Six CLI runs: each starts Node and opens the database (5–6 s each with the machine loaded).
  }, 180_000);

  it('the page session: HttpOnly SameSite=Strict cookie; actions need the CSRF header', async () => {
    expect((await call('/api/session', json({ token: 'wrong' }))).status).toBe(401);
    const login = await call('/api/session', json({ token: api.tokens.reviewer }));
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const { csrf, name } = (await login.json()) as { csrf: string; name: string };
    expect(name).toBe('rita-reviewer');
    const session = cookie.split(';')[0]!;
    expect((await call('/api/documents', { headers: { cookie: session } })).status).toBe(200);
    const id = await firstStatementId();
    const review = (headers: Record<string, string>) =>
      call(`/api/statements/${id}/review`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session, ...headers },
        body: JSON.stringify({ action: 'accept' }),
      });
    expect((await review({})).status).toBe(403);
    expect((await review({ 'x-ntm-csrf': 'guess' })).status).toBe(403);
    expect((await review({ 'x-ntm-csrf': csrf })).status).toBe(200);
  });

  it('a page session survives a restart of the server (stored hashed in SQLite) and ends when its token is revoked', async () => {
    const secret = new ApiTokenRepository(api.db).create('sam-session', 'reviewer');
    const login = await call('/api/session', json({ token: secret }));
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrf } = (await login.json()) as { csrf: string };
    // Another server process in all but name: its own connection to the database file, its own memory.
    const db = openDatabase(api.databasePath);
    const restarted = await buildServer({ db, databasePath: api.databasePath, config: loadConfig({ NTM_DB: api.databasePath }) });
    try {
      const again = await restarted.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ name: 'sam-session', role: 'reviewer', csrf });
      const review = (headers: Record<string, string>) =>
        restarted.inject({
          method: 'POST',
          url: `/api/statements/${statementId}/review`,
          headers: { cookie, 'content-type': 'application/json', ...headers },
          payload: JSON.stringify({ action: 'accept' }),
        });
      const statementId = await firstStatementId();
      expect((await review({})).statusCode).toBe(403);
      expect((await review({ 'x-ntm-csrf': csrf })).statusCode).toBe(200);
      // The database holds no cookie value and no CSRF value.
      const stored = JSON.stringify(db.select().from(sessions).all());
      expect(stored).not.toContain(cookie.split('=')[1]);
      expect(stored).not.toContain(csrf);
      expect((await ntm(['token', 'revoke', 'sam-session', '--db', api.databasePath])).code).toBe(0);
      expect((await restarted.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
      expect((await call('/api/documents', { headers: { cookie } })).status).toBe(401);
    } finally {
      await restarted.close();
      closeDatabase(db);
    }
  }, 120_000);
});

async function firstStatementId(): Promise<number> {
  const body = (await (await call(`/api/statements?document=${documentId}&kind=commune_count`, { token: api.tokens.reader })).json()) as {
    statements: Array<{ id: number }>;
  };
  return body.statements[0]!.id;
}

type ApiStatement = {
  id: number;
  commune: { name: string; code: string | null } | null;
  met?: number;
  total?: number;
  corrected?: boolean;
  reviewedBy?: string;
  reviewedAt?: string;
  fingerprint: string;
  flags: unknown[];
  confidence: number;
};

describe('reading', () => {
  it('lists documents and gives one with its pages, statements and flags', async () => {
    const list = (await (await call('/api/documents?status=done', { token: api.tokens.reader })).json()) as {
      total: number;
      documents: Array<{ id: number; fileName: string }>;
    };
    expect(list.documents.map((d) => d.fileName)).toContain(SEED);
    const one = (await (await call(`/api/documents/${documentId}`, { token: api.tokens.reader })).json()) as {
      pages: Array<{ text: string }>;
      statements: ApiStatement[];
      flags: unknown[];
    };
    expect(one.pages[0]!.text).toContain('Hữu Lễ');
    expect(one.statements.length).toBeGreaterThan(5);
    expect((await call('/api/documents/99999', { token: api.tokens.reader })).status).toBe(404);
    expect((await call('/api/documents/abc', { token: api.tokens.reader })).status).toBe(400);
  });

  it('filters statements by commune, kind, reviewed and confidence', async () => {
    const get = async (query: string) =>
      (await (await call(`/api/statements?${query}`, { token: api.tokens.reader })).json()) as { total: number; statements: ApiStatement[] };
    const huuLe = await get('commune=huu%20le&kind=commune_count');
    expect(huuLe.total).toBeGreaterThan(0);
    expect(huuLe.statements.every((s) => s.commune?.code === '06322')).toBe(true);
    const all = await get('limit=1000');
    const low = await get('confidenceBelow=0.8&limit=1000');
    expect(low.statements.every((s) => s.confidence < 0.8)).toBe(true);
    expect(low.total).toBe(all.statements.filter((s) => s.confidence < 0.8).length);
    expect((await get('confidenceBelow=7')).total).toBeUndefined();
  });

  it('gives the commune status from the views, and the export as a download', async () => {
    const status = (await (await call('/api/communes/06322/status', { token: api.tokens.reader })).json()) as {
      counts: Array<{ met: number; total: number; standing: boolean }>;
    };
    expect(status.counts.length).toBeGreaterThan(0);
    expect(status.counts.every((c) => c.standing)).toBe(true);
    const exported = await call('/api/export', { token: api.tokens.reader });
    expect(exported.headers.get('content-disposition')).toContain('ntm-export.jsonl');
    const lines = (await exported.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string });
    expect(lines.some((line) => line.kind === 'commune_count')).toBe(true);
    expect((await call('/api/communes/123/status', { token: api.tokens.reader })).status).toBe(400);
  });

  it("gives an OCR'd page's image and every word's box with its span of the page text; kept when the document is re-read", async () => {
    const one = (await (await call(`/api/documents/${scanId}`, { token: api.tokens.reader })).json()) as {
      pages: Array<{ page: number; text: string; source: string | null; hasImage: boolean }>;
    };
    expect(one.pages).toMatchObject([{ page: 1, source: 'ocr', hasImage: true }]);
    const text = one.pages[0]!.text;
    type Ocr = {
      image: { url: string; width: number; height: number };
      words: Array<{ start: number; end: number; left: number; top: number; width: number; height: number; confidence: number }>;
    };
    const ocr = (await (await call(`/api/documents/${scanId}/pages/1/ocr`, { token: api.tokens.reader })).json()) as Ocr;
    expect(ocr.image).toMatchObject({ url: `/api/documents/${scanId}/pages/1/image`, width: 1240 });
    expect(ocr.words.length).toBeGreaterThan(300);
    let end = 0;
    for (const word of ocr.words) {
      // In text order, one word each: no whitespace inside, no overlap, boxes on the image.
      expect(word.start).toBeGreaterThanOrEqual(end);
      expect(text.slice(word.start, word.end)).toMatch(/^\S+$/u);
      expect(word.left + word.width).toBeLessThanOrEqual(ocr.image.width);
      expect(word.top + word.height).toBeLessThanOrEqual(ocr.image.height);
      end = word.end;
    }
    // Every letter of the page is in a word.
    const covered = text.split('').filter((c, at) => /\S/u.test(c) && !ocr.words.some((w) => w.start <= at && at < w.end));
    expect(covered).toEqual([]);
    const image = await call(ocr.image.url, { token: api.tokens.reader });
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(imageSize(bytes)).toMatchObject({ type: 'jpg', width: ocr.image.width, height: ocr.image.height });

    expect((await call(`/api/documents/${documentId}/pages/1/ocr`, { token: api.tokens.reader })).status).toBe(404);
    expect((await call(`/api/documents/${scanId}/pages/2/image`, { token: api.tokens.reader })).status).toBe(404);
    expect((await call(`/api/documents/${scanId}/reprocess`, { method: 'POST', token: api.tokens.uploader })).status).toBe(200);
    expect(await (await call(`/api/documents/${scanId}/pages/1/ocr`, { token: api.tokens.reader })).json()).toEqual(ocr);
  });

  it('puts statements whose quote has a word tesseract was unsure of in a tier of their own, after the flagged ones', async () => {
    type Queued = { id: number; tier: string; quoteOcrConfidence?: number; flags: unknown[]; citation: { page: number; start: number; end: number } };
    const queue = async (query: string) =>
      ((await (await call(`/api/review/queue?${query}`, { token: api.tokens.reader })).json()) as { statements: Queued[] }).statements;
    const { words } = (await (await call(`/api/documents/${scanId}/pages/1/ocr`, { token: api.tokens.reader })).json()) as {
      words: Array<{ start: number; end: number; confidence: number }>;
    };
    const all = await queue(`document=${scanId}&all=true`);
    expect(all.length).toBeGreaterThan(0);
    for (const s of all) {
      // The lowest confidence of the stored words inside the quote (tuples keep one decimal).
      const inQuote = words.filter((w) => w.start < s.citation.end && w.end > s.citation.start).map((w) => w.confidence);
      expect(s.quoteOcrConfidence).toBe(Math.min(...inQuote));
    }
    const order = ['flagged', 'low_ocr_confidence', 'low_confidence', 'other'];
    const inOrder = (list: Queued[]) => list.every((s, n) => n === 0 || order.indexOf(list[n - 1]!.tier) <= order.indexOf(s.tier));
    // A strict reviewer's threshold: every unflagged statement of the scan comes in the OCR tier.
    const strict = await queue(`document=${scanId}&all=true&ocrBelow=100`);
    expect(strict.filter((s) => s.flags.length === 0).every((s) => s.tier === 'low_ocr_confidence')).toBe(true);
    expect(inOrder(strict)).toBe(true);
    const none = await queue(`document=${scanId}&all=true&ocrBelow=0`);
    expect(none.some((s) => s.tier === 'low_ocr_confidence')).toBe(false);
    expect(inOrder(none)).toBe(true);
    // Mixed with a text document: the OCR tier after the flagged statements, before low rule confidence.
    const mixed = await queue('ocrBelow=100&limit=1000');
    expect(inOrder(mixed)).toBe(true);
    expect(mixed.some((s) => s.tier === 'flagged') && mixed.some((s) => s.tier === 'low_ocr_confidence')).toBe(true);
    expect((await queue(`document=${documentId}&all=true`)).every((s) => s.quoteOcrConfidence === undefined)).toBe(true);
  });

  it('serves its OpenAPI document', async () => {
    const spec = (await (await call('/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of ['/api/documents', '/api/documents/{id}', '/api/statements/{id}/review', '/api/review/queue', '/api/export'])
      expect(Object.keys(spec.paths)).toContain(path);
  });
});

describe('review', () => {
  const newGoldFolder = useTempFolder();
  it('a correction is appended with the reviewer, shows in the export and the views, and survives re-processing', async () => {
    const target = (await (await call(`/api/statements?document=${documentId}&kind=commune_count&commune=huu%20le`, { token: api.tokens.reader })).json()) as {
      statements: ApiStatement[];
    };
    const statement = target.statements[0]!;
    const corrected = { met: (statement.met ?? 0) === 18 ? 17 : 18, total: 19 };
    expect(
      (await call(`/api/statements/${statement.id}/review`, { ...json({ action: 'correct', values: { met: 20, total: 19 } }), token: api.tokens.reviewer }))
        .status,
    ).toBe(400);
    expect(
      (await call(`/api/statements/${statement.id}/review`, { ...json({ action: 'correct', values: { met: 1, colour: 'red' } }), token: api.tokens.reviewer }))
        .status,
    ).toBe(400);
    const response = await call(`/api/statements/${statement.id}/review`, {
      ...json({ action: 'correct', values: corrected, comment: 'the scan reads 18' }),
      token: api.tokens.reviewer,
    });
    expect(response.status).toBe(200);

    const exported = async () =>
      (await (await call('/api/export', { token: api.tokens.reader })).text())
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as ApiStatement & { kind: string });
    const inExport = (await exported()).find((record) => record.id === statement.id)!;
    expect(inExport).toMatchObject({ met: corrected.met, total: 19, corrected: true, reviewedBy: 'rita-reviewer' });
    expect(inExport.reviewedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const cli = await ntm(['export', '--db', api.databasePath]);
    expect(
      cli.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: number })
        .find((record) => record.id === statement.id),
    ).toMatchObject({ met: corrected.met, corrected: true, reviewedBy: 'rita-reviewer' });
    const timeline = (await (await call('/api/communes/06322/timeline', { token: api.tokens.reader })).json()) as {
      counts: Array<{ statementId: number; met: number; source: string; standing: boolean }>;
    };
    expect(timeline.counts.find((claim) => claim.statementId === statement.id)).toMatchObject({ met: corrected.met, source: 'correction', standing: true });

    // Re-processing replaces every statement row; the correction follows the fingerprint.
    expect((await call(`/api/documents/${documentId}/reprocess`, { method: 'POST', token: api.tokens.uploader })).status).toBe(200);
    const after = (await exported()).find(
      (record) => record.kind === 'commune_count' && record.fingerprint === undefined && record.commune?.code === '06322' && record.corrected,
    );
    expect(after).toBeDefined();
    expect(after!.id).not.toBe(statement.id);
    expect(after).toMatchObject({ met: corrected.met, corrected: true, reviewedBy: 'rita-reviewer' });
    const history = (await (await call(`/api/statements/${after!.id}`, { token: api.tokens.reader })).json()) as {
      history: Array<{ action: string; reviewer: string; note: string }>;
    };
    expect(history.history.at(-1)).toMatchObject({ action: 'replace', reviewer: 'rita-reviewer', note: 'the scan reads 18' });
    expect(((await (await call('/api/corrections/orphaned', { token: api.tokens.reader })).json()) as { corrections: unknown[] }).corrections).toEqual([]);

    // Reviewed statements leave the queue; the table refuses to forget.
    const queue = (await (await call('/api/review/queue?limit=1000', { token: api.tokens.reader })).json()) as { statements: ApiStatement[] };
    expect(queue.statements.map((s) => s.id)).not.toContain(after!.id);
    expect(() => api.db.delete(corrections).run()).toThrow(/append-only/);
  });

  it('ntm export --format gold --reviewed writes the reviewed documents as an evaluation set that ntm eval reads', async () => {
    const out = newGoldFolder();
    expect((await ntm(['export', '--format', 'gold', '--db', api.databasePath, '--out', out])).stderr).toContain('needs --reviewed');
    const result = await ntm(['export', '--format', 'gold', '--reviewed', '--db', api.databasePath, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1 reviewed document\(s\)/);
    expect(readFileSync(join(out, 'docs', `d${documentId}.txt`))).toEqual(seedBytes());
    const gold = JSON.parse(readFileSync(join(out, 'gold', `d${documentId}.json`), 'utf8')) as {
      doc: string;
      statements: Array<{ kind: string; commune: string; met: number; total: number; quote: string }>;
    };
    expect(gold.doc).toBe(`d${documentId}`);
    const records = (await ntm(['export', '--db', api.databasePath])).stdout
      .split('\n')
      .filter(Boolean)
      .map(
        (line) =>
          JSON.parse(line) as { kind: string; document: { id: number }; corrected?: boolean; met?: number; rejected?: boolean; citation: { quote: string } },
      );
    const corrected = records.find((r) => r.corrected && r.kind === 'commune_count')!;
    expect(gold.statements).toContainEqual(expect.objectContaining({ kind: 'commune_count', commune: 'Hữu Lễ', met: corrected.met, total: 19 }));
    // Every statement not rejected, and the ones reviewers added (here by the access-control tests, at 19/19).
    const added = api.db
      .select()
      .from(corrections)
      .all()
      .filter((c) => c.action === 'add');
    expect(added.length).toBeGreaterThan(0);
    expect(gold.statements.length).toBe(
      records.filter(
        (r) => r.document.id === documentId && ['commune_count', 'criteria_list', 'indicator_list', 'district_aggregate'].includes(r.kind) && !r.rejected,
      ).length + added.length,
    );
    // The rules read 16/19 where the reviewer wrote otherwise: eval on this set counts that as a miss.
    const score = await ntm(['eval', join(out, 'docs'), join(out, 'gold')]);
    expect(score.stdout).toMatch(/recall/i);
    expect(score.stdout).toContain(`MISS d${documentId} commune_count ${corrected.citation.quote}`);
    // Four CLI runs, one an evaluation.
  }, 180_000);

  it('a correction only takes values of the reference data: criteria of the set, communes of the gazetteer', async () => {
    const review = async (kind: string, values: Record<string, unknown>) => {
      const list = (await (await call(`/api/statements?document=${documentId}&kind=${kind}`, { token: api.tokens.reader })).json()) as {
        statements: Array<{ id: number }>;
      };
      return call(`/api/statements/${list.statements[0]!.id}/review`, { ...json({ action: 'correct', values }), token: api.tokens.reviewer });
    };
    const outside = await review('criteria_list', { criteria: [1, 2, 25] });
    expect(outside.status).toBe(400);
    expect(((await outside.json()) as { error: string }).error).toMatch(/criteria 25 are not in the set ntm_2016_2020/);
    expect((await review('commune_count', { total: 25 })).status).toBe(400);
    expect((await review('commune_count', { commune: { name: 'nowhere', code: '99999' } })).status).toBe(400);
    const communes = (await (await call('/api/reference/units/184/children', { token: api.tokens.reader })).json()) as {
      units: Array<{ code: string; name: string }>;
    };
    expect(communes.units.map((u) => u.code)).toContain('06322');
    const moved = await review('commune_count', { commune: { name: 'anything', code: '06316' } });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { correction: { payload: { commune: unknown } } }).correction.payload.commune).toEqual({
      name: 'Tràng Phái',
      code: '06316',
    });
    const sets = (await (await call('/api/reference/criteria-sets', { token: api.tokens.reader })).json()) as {
      criteriaSets: Array<{ code: string; criteria: unknown[] }>;
    };
    expect(sets.criteriaSets.find((set) => set.code === 'ntm_2016_2020')?.criteria).toHaveLength(19);
  });

  it('a missed statement must quote a span of a stored page', async () => {
    const bad = await call(`/api/documents/${documentId}/missed`, {
      ...json({ page: 1, start: 10, end: 10_000_000, kind: 'commune_count', values: { met: 19, total: 19 } }),
      token: api.tokens.reviewer,
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('not within page 1');
    const missed = (body: Record<string, unknown>) =>
      call(`/api/documents/${documentId}/missed`, {
        ...json({ page: 1, kind: 'commune_count', values: { met: 10, total: 19 }, ...body }),
        token: api.tokens.reviewer,
      });
    const error = async (response: Response) => ((await response.json()) as { error: string }).error;
    const text = seedBytes().toString('utf8');
    // A typed quote is found where the page has it once; twice, or not at all, is refused with the reason.
    const typed = 'xã Tú Xuyên có 10/19 tiêu chí đạt chuẩn';
    const found = await missed({ quote: typed });
    expect(found.status).toBe(200);
    const { correction } = (await found.json()) as { correction: { payload: { citation: { start: number; end: number; quote: string } } } };
    expect(correction.payload.citation).toMatchObject({ start: text.indexOf(typed), end: text.indexOf(typed) + typed.length, quote: typed });
    expect(await error(await missed({ quote: 'xã Hữu Lễ' }))).toContain('more than once');
    expect(await error(await missed({ quote: 'xã Hữu Lễ đạt 20/19' }))).toContain('not on page 1');
    // Offsets and a quote together must agree.
    expect(await error(await missed({ start: 0, end: 5, quote: typed }))).toContain('is not what page 1 has at [0, 5)');
    expect((await missed({})).status).toBe(400);
  });

  it('a statement of a document dated from 1 July 2025 takes only a commune of the units of that date', async () => {
    const name = '2025-10_thong-bao-van-quan.txt';
    const response = await upload([[name, readFileSync(projectPath('fixtures', 'after-2025', name))]], api.tokens.uploader);
    const id = ((await response.json()) as { documents: Array<{ documentId: number }> }).documents[0]!.documentId;
    await waitFor('the 2025 document to be read', async () => (await documentStatus(id)) === 'done');
    const list = (await (await call(`/api/statements?document=${id}&kind=commune_count`, { token: api.tokens.reader })).json()) as {
      statements: Array<{ id: number; unitSystem: string; province: { code: string }; commune: { code: string; name: string } }>;
    };
    const statement = list.statements[0]!;
    expect(statement.unitSystem).toBe('two_level_2025');
    const communes = (await (await call(`/api/reference/units-2025/${statement.province.code}/communes`, { token: api.tokens.reader })).json()) as {
      units: Array<{ code: string; name: string }>;
    };
    expect(communes.units.map((u) => u.code)).toContain(statement.commune.code);
    const correct = (code: string) =>
      call(`/api/statements/${statement.id}/review`, { ...json({ action: 'correct', values: { commune: { code, name: 'x' } } }), token: api.tokens.reviewer });
    // Hữu Lễ's pre-reform code (06322) is no commune of the new gazetteer.
    const old = await correct('06322');
    expect(old.status).toBe(400);
    expect(((await old.json()) as { error: string }).error).toContain('not a commune code of the units of 1 July 2025');
    const other = communes.units.find((u) => u.code !== statement.commune.code)!;
    const ok = await correct(other.code);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { correction: { payload: { commune: unknown } } }).correction.payload.commune).toEqual({ code: other.code, name: other.name });
  });
});

describe('uploads', () => {
  const newTempFolder = useTempFolder();

  it('a client file name never becomes a path; the same bytes again are unchanged', async () => {
    void newTempFolder;
    const text = Buffer.from('Báo cáo kết quả xây dựng nông thôn mới của một xã, chưa có con số nào.\n', 'utf8');
    const response = await upload(
      [
        ['../../../../tmp/evil/../x.txt', text],
        [SEED, seedBytes()],
      ],
      api.tokens.uploader,
    );
    const body = (await response.json()) as { documents: Array<{ fileName: string; documentId: number; status: string }> };
    expect(body.documents[1]).toMatchObject({ status: 'unchanged', documentId });
    await waitFor('the text to be read', async () => ['done', 'failed'].includes(await documentStatus(body.documents[0]!.documentId)));
    const stored = (await (await call(`/api/documents/${body.documents[0]!.documentId}`, { token: api.tokens.reader })).json()) as {
      document: { fileName: string };
    };
    expect(stored.document.fileName).toBe('x.txt');
  });

  it("reports each document's progress: stage, then page n of m", async () => {
    const seen: Array<{ documentId: number; stage: string; page?: number; pages?: number }> = [];
    const stop = api.server.ingestion.onProgress((id, progress) => seen.push({ documentId: id, ...progress }));
    try {
      const response = await upload([['001.pdf', readFileSync(projectPath('fixtures', 'seeds', '001_f3406501ba6aec7a.pdf'))]], api.tokens.uploader);
      const id = ((await response.json()) as { documents: Array<{ documentId: number }> }).documents[0]!.documentId;
      await waitFor('the PDF to be read', async () => (await documentStatus(id)) === 'done');
      const mine = seen.filter((entry) => entry.documentId === id);
      expect(mine.map((entry) => entry.stage)).toEqual(expect.arrayContaining(['text', 'rules']));
      const paged = mine.filter((entry) => entry.pages);
      expect(paged.length).toBeGreaterThan(0);
      expect(paged.at(-1)!.page).toBe(paged.at(-1)!.pages);
      // Once done, the document's own status speaks; no stale progress is left.
      expect(((await (await call(`/api/documents/${id}`, { token: api.tokens.reader })).json()) as { progress: unknown }).progress).toBeNull();
    } finally {
      stop();
    }
  });

  it("streams each document's progress as Server-Sent Events until it is done", async () => {
    expect((await call('/api/documents/events?ids=1')).status).toBe(401);
    expect((await call('/api/documents/events?ids=x', { token: api.tokens.reader })).status).toBe(400);
    // Two scanned pages: seconds of OCR, reported page by page.
    const response = await upload([['two-pages.tif', readFileSync(projectPath('fixtures', 'scanned', 'two-pages.tif'))]], api.tokens.uploader);
    const id = ((await response.json()) as { documents: Array<{ documentId: number }> }).documents[0]!.documentId;
    const stream = await call(`/api/documents/events?ids=${id},999999`, { token: api.tokens.reader });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const text = await stream.text(); // the server ends the stream once the document is done
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('event:'))
      .map((block) => {
        const [event, data] = block.split('\n');
        return { event: event!.slice('event: '.length), data: JSON.parse(data!.slice('data: '.length)) as Record<string, unknown> };
      });
    expect(events.at(-1)).toEqual({ event: 'end', data: { ids: [id, 999999] } });
    const states = events
      .filter((e) => e.event === 'state')
      .map((e) => e.data as { documentId: number; status: string; progress?: { page?: number; pages?: number } });
    expect(states).toContainEqual({ documentId: 999999, status: 'unknown', error: 'no document 999999' });
    const mine = states.filter((s) => s.documentId === id);
    expect(mine.at(-1)).toMatchObject({ status: 'done', error: null });
    expect(mine.some((s) => s.progress?.pages === 2)).toBe(true);
  });

  it('a file over the size limit is refused with 413', async () => {
    const small = await startApiServer({ NTM_MAX_FILE_MB: '0.01' });
    try {
      const form = new FormData();
      form.append('file', new Blob([seedBytes()]), SEED);
      const response = await fetch(`${small.base}/api/documents`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${small.tokens.uploader}` },
      });
      expect(response.status).toBe(413);
    } finally {
      await small.stop();
    }
  });
});

describe('uploads through BullMQ when REDIS_URL is set', () => {
  it('the server runs the persist stage and an extraction worker; the upload is answered queued and ends done', async () => {
    const redis = await startTestRedis();
    const prefix = `ntm-serve-test-${process.pid}-${Date.now()}`;
    const queued = await startApiServer({ REDIS_URL: redis.url, NTM_QUEUE_PREFIX: prefix, NTM_JOB_BACKOFF_MS: '100' });
    try {
      expect(queued.server.ingestion.mode).toBe('bullmq');
      const form = new FormData();
      form.append('file', new Blob([seedBytes()]), SEED);
      const response = await fetch(`${queued.base}/api/documents`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${queued.tokens.uploader}` },
      });
      const body = (await response.json()) as { documents: Array<{ documentId: number; status: string }> };
      expect(body.documents[0]!.status).toBe('queued');
      const read = async () =>
        (await (
          await fetch(`${queued.base}/api/documents/${body.documents[0]!.documentId}`, { headers: { authorization: `Bearer ${queued.tokens.reader}` } })
        ).json()) as { document: { status: string }; statements: unknown[] };
      await waitFor('the queued document to be done', async () => (await read()).document.status === 'done');
      expect((await read()).statements.length).toBeGreaterThan(5);
    } finally {
      await queued.stop();
      const cleanup = new BullmqPipeline({ url: redis.url, prefix, attempts: 1, backoffMs: 100, lockMs: 2000, failures: pipelineFailureRules });
      await cleanup.obliterate();
      await cleanup.close();
      await redis.stop();
    }
  });
});
