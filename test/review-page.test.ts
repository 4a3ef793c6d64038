/**
 * The review and upload pages in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core; .ci/run installs it): upload from the browser, correct a flagged statement
 * with the keyboard alone, see it in `ntm export`, re-process and see it still applied.
 * Screenshots go to test-output/browser/ (git-ignored).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorrectionRepository } from '../db/correction.repository.js';
import { documents } from '../db/schema.js';
import { projectPath } from '../extractors/util/project-root.js';
import { startApiServer, type RunningServer } from './support/api-server.js';
import { ntm, waitFor } from './support/run-cli.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = projectPath('test-output', 'browser');
const SEED = projectPath('fixtures', 'seeds', '001_f3406501ba6aec7a.txt');
/** Our own words, with markup that would run if the page ever put document text in as HTML. */
const HOSTILE_TEXT =
  'BÁO CÁO\nKết quả xây dựng nông thôn mới huyện Văn Quan, tỉnh Lạng Sơn\n<script>window.__ran = "script"</script>\nĐến nay, xã Hữu Lễ đạt 17/19 tiêu chí nông thôn mới. <img src="x" onerror="window.__ran = \'img\'">\n';
const HOSTILE_NAME = '<img src=x onerror=window.__ran=1>.txt';

let api: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (see .ci/run), or set CHROMIUM_PATH`);
  mkdirSync(SHOTS, { recursive: true });
  api = await startApiServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

async function logIn(page: Page, path: string, token: string): Promise<void> {
  await page.goto(`${api.base}${path}`);
  await page.fill('#login input[name=token]', token);
  await page.press('#login input[name=token]', 'Enter');
  await page.waitForSelector('#app:not(.hidden)');
}

type Exported = {
  id: number;
  kind: string;
  commune?: { code: string | null } | null;
  met?: number;
  corrected?: boolean;
  reviewedBy?: string;
  reviewedAt?: string;
};
async function exported(): Promise<Exported[]> {
  const result = await ntm(['export', '--db', api.databasePath]);
  expect(result.code).toBe(0);
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Exported);
}

describe('review page', () => {
  it('a bad token is refused on the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.base}/`);
    await page.fill('#login input[name=token]', 'ntm_wrong');
    await page.press('#login input[name=token]', 'Enter');
    await expect.poll(() => page.textContent('#login .message')).toContain('not valid');
    await page.close();
  });

  it('upload from the browser, correct with the keyboard, see it in the export, re-process, still there', async () => {
    // An office clerk uploads two files and watches each one to its end.
    const clerk = await browser.newContext();
    const upload = await clerk.newPage();
    await logIn(upload, '/upload.html', api.tokens.uploader);
    await upload.setInputFiles('#picker', [
      { name: '001_f3406501ba6aec7a.txt', mimeType: 'text/plain', buffer: readFileSync(SEED) },
      { name: HOSTILE_NAME, mimeType: 'text/plain', buffer: Buffer.from(HOSTILE_TEXT) },
    ]);
    await upload.waitForFunction(
      () => [...document.querySelectorAll('#files li span')].filter((s) => /^(done|failed|unchanged)/.test(s.textContent ?? '')).length === 2,
      undefined,
      { timeout: 30_000 },
    );
    expect(await upload.textContent('#files')).toContain('001_f3406501ba6aec7a.txt');
    expect(await upload.textContent('#files')).toContain(HOSTILE_NAME);
    await upload.screenshot({ path: join(SHOTS, 'upload.png'), fullPage: true });
    await clerk.close();

    // A reviewer: the queue, a flagged statement, corrected without the mouse.
    const reviewer = await browser.newContext();
    const review = await reviewer.newPage();
    await logIn(review, '/', api.tokens.reviewer);
    await review.waitForSelector('#queue li');
    await review.fill('#filters input[name=commune]', 'Hữu Lễ');
    await review.press('#filters input[name=commune]', 'Enter');
    await review.waitForFunction(() => document.querySelector('#queue li.selected')?.textContent?.includes('Hữu Lễ'));
    await review.waitForSelector('#page-text mark');
    const selectedId = Number(await review.getAttribute('#queue li.selected', 'data-id'));
    const quote = await review.textContent('#page-text mark');
    expect(quote).toMatch(/\d+\/19/);
    await review.screenshot({ path: join(SHOTS, 'review.png'), fullPage: true });

    await review.locator('body').focus();
    await review.keyboard.press('c');
    await expect.poll(() => review.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('met');
    await review.keyboard.press('Control+A');
    await review.keyboard.type('18');
    await review.keyboard.press('Enter');
    await review.waitForFunction((id) => !document.querySelector(`#queue li[data-id="${id}"]`), selectedId);

    const corrected = (await exported()).find((record) => record.id === selectedId);
    expect(corrected).toMatchObject({ met: 18, corrected: true, reviewedBy: 'rita-reviewer' });

    // A new reading of the document: new rows, the same correction.
    const reprocess = await fetch(`${api.base}/api/documents/${await documentIdOf('001_f3406501ba6aec7a.txt')}/reprocess`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens.uploader}` },
    });
    expect(reprocess.status).toBe(200);
    const after = (await exported()).filter((record) => record.corrected);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(selectedId);
    expect(after[0]).toMatchObject({ met: 18, commune: { code: '06322' }, reviewedBy: 'rita-reviewer' });
    await reviewer.close();
  });

  it('document text and file names with markup are shown as text and run nothing', async () => {
    // A review whose statement a rules change no longer reads, as markup: listed as orphaned, as text.
    const sha256 = api.db
      .select()
      .from(documents)
      .all()
      .find((d) => d.fileName === HOSTILE_NAME)!.sha256;
    new CorrectionRepository(api.db).append({
      documentSha256: sha256,
      statementFingerprint: 'gone0000gone0000gone0000',
      action: 'reject',
      payload: null,
      reviewer: 'rita-reviewer',
      note: '<img src=x onerror=window.__ran=2>',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, '/documents.html', api.tokens.reader);
    await page.waitForSelector('#documents tr');
    await page.waitForSelector('#orphaned tr td:nth-child(2)');
    expect(await page.textContent('#orphaned')).toContain('<img src=x onerror=window.__ran=2>');
    expect(await page.textContent('#orphaned')).toContain('reject');
    expect(await page.textContent('#documents')).toContain(HOSTILE_NAME);
    expect(await page.locator('#documents img, #orphaned img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __ran?: unknown }).__ran)).toBeUndefined();
    await page.screenshot({ path: join(SHOTS, 'documents.png'), fullPage: true });

    // The hostile document in the review page: its statement, its page text around the quote.
    const id = await documentIdOf(HOSTILE_NAME);
    await page.goto(`${api.base}/?document=${id}`);
    await page.waitForSelector('#page-text mark');
    expect(await page.textContent('#page-text mark')).toContain('17/19');
    const shown = await page.textContent('#page-text');
    expect(shown).toContain('<script>window.__ran = "script"</script>');
    expect(shown).toContain('<img src="x" onerror=');
    expect(await page.locator('#page-text script, #page-text img, #statement img, #statement script').count()).toBe(0);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __ran?: unknown }).__ran)).toBeUndefined();
    await context.close();
  });
});

async function documentIdOf(fileName: string): Promise<number> {
  let found: number | undefined;
  await waitFor(`document ${fileName}`, async () => {
    const list = (await (await fetch(`${api.base}/api/documents`, { headers: { authorization: `Bearer ${api.tokens.reader}` } })).json()) as {
      documents: Array<{ id: number; fileName: string; status: string }>;
    };
    found = list.documents.find((d) => d.fileName === fileName && d.status === 'done')?.id;
    return found !== undefined;
  });
  return found!;
}
