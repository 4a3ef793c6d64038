/**
 * The review and upload pages in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core; .ci/run installs it): upload from the browser, correct a flagged statement
 * with the keyboard alone, see it in `ntm export`, re-process and see it still applied.
 * Screenshots go to test-output/browser/ (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorrectionRepository } from '../db/correction.repository.js';
import { and, eq } from 'drizzle-orm';
import { wordFromTuple } from '../db/document.repository.js';
import { documents, pages } from '../db/schema.js';
import { projectPath } from '../extractors/util/project-root.js';
import { startApiServer, type RunningServer } from './support/api-server.js';
import { ntm, waitFor } from './support/run-cli.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = projectPath('test-output', 'browser');
const SEED = projectPath('fixtures', 'seeds', '001_f3406501ba6aec7a.txt');
/** Page 1 of seed 000 photographed (turned 3°, uneven light): read by OCR. */
const SCAN = projectPath('fixtures', 'scanned', 'photo-page.jpg');
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
    const requested: string[] = [];
    upload.on('request', (request) => requested.push(new URL(request.url()).pathname));
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
    // Progress came pushed (Server-Sent Events), not by polling each document.
    expect(requested).toContain('/api/documents/events');
    expect(requested.filter((path) => /^\/api\/documents\/\d+$/.test(path))).toEqual([]);
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

describe('upload page: folders', () => {
  it('uploads a whole folder (picked, or dropped), each file with its path, result and reason; polls where the browser cannot stream', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ntm-folder-'));
    try {
      mkdirSync(join(folder, 'reports', '2020'), { recursive: true });
      writeFileSync(
        join(folder, 'reports', 'tu-xuyen.txt'),
        'Báo cáo của UBND huyện Văn Quan, tỉnh Lạng Sơn.\nĐến nay, xã Tú Xuyên đạt 12/19 tiêu chí nông thôn mới.\n',
      );
      writeFileSync(
        join(folder, 'reports', '2020', 'yen-phuc.txt'),
        'Báo cáo của UBND huyện Văn Quan, tỉnh Lạng Sơn.\nĐến nay, xã Yên Phúc đạt 13/19 tiêu chí nông thôn mới.\n',
      );
      writeFileSync(join(folder, 'reports', '2020', 'empty.txt'), '   \n');
      const context = await browser.newContext();
      const page = await context.newPage();
      // A browser without EventSource: the page falls back to polling.
      await page.addInitScript(() => {
        delete (window as unknown as { EventSource?: unknown }).EventSource;
      });
      const requested: string[] = [];
      page.on('request', (request) => requested.push(new URL(request.url()).pathname));
      await logIn(page, '/upload.html', api.tokens.uploader);
      await page.setInputFiles('#folder-picker', join(folder, 'reports'));
      const finished = () =>
        page.waitForFunction(
          (count) => [...document.querySelectorAll('#files li span')].filter((s) => /^(done|failed|unchanged)/.test(s.textContent ?? '')).length === count,
          3,
          { timeout: 60_000 },
        );
      await finished();
      const rows = await page.$$eval('#files li', (items) => items.map((item) => [item.getAttribute('data-name'), item.querySelector('span')?.textContent]));
      expect(Object.fromEntries(rows)).toEqual({
        'reports/tu-xuyen.txt': 'done',
        'reports/2020/yen-phuc.txt': 'done',
        'reports/2020/empty.txt': expect.stringMatching(/^failed: .*empty\.txt.*only whitespace/),
      });
      expect(requested).not.toContain('/api/documents/events');
      expect(requested.some((path) => /^\/api\/documents\/\d+$/.test(path))).toBe(true);

      // Dropped on the drop zone (files here: a test cannot hand the page a folder entry).
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['Báo cáo.\nĐến nay, xã Hữu Lễ đạt 14/19 tiêu chí nông thôn mới.\n'], 'dropped.txt', { type: 'text/plain' }));
        document.getElementById('drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      await page.waitForFunction(() => /^(done|failed)/.test(document.querySelector('#files li[data-name="dropped.txt"] span')?.textContent ?? ''), undefined, {
        timeout: 60_000,
      });
      expect(await page.textContent('#files li[data-name="dropped.txt"] span')).toBe('done');
      await context.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('review page: a scanned page', () => {
  it('shows the page image beside the text, with a box on each word of the quote where tesseract found it', async () => {
    const upload = await fetch(`${api.base}/api/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens.uploader}` },
      body: (() => {
        const form = new FormData();
        form.append('file', new Blob([readFileSync(SCAN)]), 'photo-page.jpg');
        // A text file too (unchanged when the test above uploaded it): its pages have no image.
        form.append('file', new Blob([readFileSync(SEED)]), '001_f3406501ba6aec7a.txt');
        return form;
      })(),
    });
    expect(upload.status).toBe(200);
    const id = await documentIdOf('photo-page.jpg', 90_000);

    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await logIn(page, `/?document=${id}`, api.tokens.reviewer);
    // The district figure: a quote of several words, so several boxes.
    const found = (await (
      await fetch(`${api.base}/api/statements?document=${id}&kind=district_aggregate`, { headers: { authorization: `Bearer ${api.tokens.reader}` } })
    ).json()) as { statements: Array<{ id: number; citation: { page: number; start: number; end: number; quote: string } }> };
    const statement = found.statements[0]!;
    await page.click(`#queue li[data-id="${statement.id}"]`);
    await page.waitForSelector('#scan-panel:not(.hidden) #scan img');
    await page.waitForFunction(() => (document.querySelector('#scan img') as HTMLImageElement | null)?.complete);
    const { page: pageNo, start, end, quote } = statement.citation;
    expect(await page.textContent('#page-text mark')).toBe(quote);

    // The boxes drawn are the stored boxes of exactly the words inside the quote …
    const stored = api.db
      .select({ text: pages.text, ocrWords: pages.ocrWords, ocrImage: pages.ocrImage })
      .from(pages)
      .where(and(eq(pages.documentId, id), eq(pages.pageNo, pageNo)))
      .get()!;
    const words = stored.ocrWords!.map(wordFromTuple);
    const inQuote = words.filter((w) => w.start < end && w.end > start);
    expect(inQuote.length).toBeGreaterThan(2);
    // Every letter of the quote lies in one of its words (the words tesseract boxed are the quote's).
    for (let at = start; at < end; at++) {
      if (/\S/u.test(stored.text[at]!))
        expect(
          inQuote.some((w) => w.start <= at && at < w.end),
          `character ${at} of the quote`,
        ).toBe(true);
    }
    // … placed where they are on the image (to a pixel of the stored image), also zoomed in (key z).
    const expectBoxesOnWords = async () => {
      const shown = await page.$$eval('#scan .word-box', (boxes) => {
        const image = document.querySelector('#scan img') as HTMLImageElement;
        const frame = image.getBoundingClientRect();
        const scale = image.naturalWidth / frame.width;
        return boxes.map((box) => {
          const r = box.getBoundingClientRect();
          const at = (value: number) => value * scale;
          return {
            start: Number(box.getAttribute('data-start')),
            left: at(r.left - frame.left),
            top: at(r.top - frame.top),
            width: at(r.width),
            height: at(r.height),
          };
        });
      });
      expect(shown.map((b) => b.start)).toEqual(inQuote.map((w) => w.start));
      for (const [n, box] of shown.entries()) {
        const word = inQuote[n]!;
        for (const side of ['left', 'top', 'width', 'height'] as const) expect(Math.abs(box[side] - word[side]), `${side} of box ${n}`).toBeLessThan(1.5);
      }
      return shown;
    };
    const before = await expectBoxesOnWords();
    await page.locator('body').focus();
    await page.keyboard.press('z');
    await page.waitForSelector('#scan.zoomed');
    expect((await expectBoxesOnWords())[0]).toMatchObject({ start: before[0]!.start });
    // The image is the stored one, at its stored size.
    expect(await page.$eval('#scan img', (img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight])).toEqual([
      stored.ocrImage!.width,
      stored.ocrImage!.height,
    ]);
    await page.screenshot({ path: join(SHOTS, 'review-scan.png'), fullPage: true });

    // A page read from its text layer has no image panel.
    await page.goto(`${api.base}/?document=${await documentIdOf('001_f3406501ba6aec7a.txt')}`);
    await page.waitForSelector('#page-text mark');
    expect(await page.locator('#scan-panel.hidden').count()).toBe(1);
    await context.close();
  }, 120_000);
});

describe('review page: statements the rules missed, and the communes of 1 July 2025', () => {
  it('adds a missed statement from a selection in the page text, or from a typed quote the page has once', async () => {
    await uploadByApi([['001_f3406501ba6aec7a.txt', readFileSync(SEED)]]);
    const id = await documentIdOf('001_f3406501ba6aec7a.txt');
    const text = api.db
      .select({ text: pages.text })
      .from(pages)
      .where(and(eq(pages.documentId, id), eq(pages.pageNo, 1)))
      .get()!.text;
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, `/?document=${id}`, api.tokens.reviewer);
    await page.waitForSelector('#page-text mark');
    await page.locator('body').focus();
    await page.keyboard.press('m');
    await page.waitForSelector('#missed-form:not(.hidden)');
    // The whole page is shown for selecting; the reviewer selects a sentence with the mouse.
    expect(await page.textContent('#page-text')).toBe(text);
    const sentence = 'xã Tú Xuyên có 10/19 tiêu chí đạt chuẩn';
    const start = text.indexOf(sentence);
    expect(start).toBeGreaterThan(0);
    const box = await page.evaluate(
      ([from, to]) => {
        const range = document.createRange();
        const node = document.getElementById('page-text')!.firstChild!;
        range.setStart(node, from!);
        range.setEnd(node, to!);
        // Scrolled into the page-text box first: the mouse can only select what is on screen.
        const frame = document.getElementById('page-text')!;
        frame.scrollTop += range.getBoundingClientRect().top - frame.getBoundingClientRect().top - 20;
        const rects = range.getClientRects();
        const [first, last] = [rects[0]!, rects[rects.length - 1]!];
        return { x0: first.left + 1, y0: first.top + first.height / 2, x1: last.right - 1, y1: last.top + last.height / 2 };
      },
      [start, start + sentence.length],
    );
    await page.mouse.move(box.x0, box.y0);
    await page.mouse.down();
    await page.mouse.move(box.x1, box.y1, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => page.inputValue('#missed-form textarea[name=quote]')).toBe(sentence);
    await page.fill('#missed-form input[name=met]', '10');
    await page.fill('#missed-form input[name=total]', '19');
    const tuXuyen = await page.$eval(
      '#missed-form select[name=commune]',
      (select) => [...(select as HTMLSelectElement).options].find((option) => option.textContent?.includes('Tú Xuyên'))?.value,
    );
    expect(tuXuyen).toMatch(/^\d{5}$/);
    await page.selectOption('#missed-form select[name=commune]', tuXuyen!);
    await page.click('#missed-form button[type=submit]');
    await expect.poll(() => page.textContent('#missed-message')).toContain(`characters ${start}–${start + sentence.length}`);

    // A typed quote: found where the page has it; not found, or found twice, said so.
    const typed = 'Tại thời điểm kiểm tra riêng xã Hữu Lễ';
    await page.fill('#missed-form textarea[name=quote]', 'xã Hữu Lễ');
    await page.click('#missed-form button[type=submit]');
    await expect.poll(() => page.textContent('#missed-message')).toContain('more than once');
    await page.fill('#missed-form textarea[name=quote]', 'xã Hữu Lễ đạt 20/19');
    await page.click('#missed-form button[type=submit]');
    await expect.poll(() => page.textContent('#missed-message')).toContain('not on page 1');
    await page.fill('#missed-form textarea[name=quote]', typed);
    await page.fill('#missed-form input[name=met]', '19');
    await page.click('#missed-form button[type=submit]');
    await expect.poll(() => page.textContent('#missed-message')).toContain(`characters ${text.indexOf(typed)}–`);
    await page.screenshot({ path: join(SHOTS, 'review-missed.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await page.waitForSelector('#page-text mark');
    await context.close();

    // Stored append-only with the reviewer, quoting the page exactly.
    const added = new CorrectionRepository(api.db).added().filter((c) => c.reviewer === 'rita-reviewer' && c.note === null);
    const bySelection = added.find((c) => (c.payload as { citation: { quote: string } }).citation.quote === sentence)!;
    expect(bySelection.payload).toMatchObject({
      kind: 'commune_count',
      met: 10,
      total: 19,
      commune: { code: tuXuyen, name: 'Tú Xuyên' },
      citation: { page: 1, start, end: start + sentence.length },
    });
    const byTyping = added.find((c) => (c.payload as { citation: { quote: string } }).citation.quote === typed)!;
    const { citation } = byTyping.payload as { citation: { start: number; end: number } };
    expect(text.slice(citation.start, citation.end)).toBe(typed);
  });

  it('offers the communes of 1 July 2025 (no district) to correct a statement of a document dated from then, and stores the chosen one', async () => {
    const file = projectPath('fixtures', 'after-2025', '2025-10_thong-bao-van-quan.txt');
    await uploadByApi([['2025-10_thong-bao-van-quan.txt', readFileSync(file)]]);
    const id = await documentIdOf('2025-10_thong-bao-van-quan.txt');
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, `/?document=${id}`, api.tokens.reviewer);
    await page.waitForSelector('#page-text mark');
    const statementId = Number(await page.getAttribute('#queue li.selected', 'data-id'));
    const statement = (await (
      await fetch(`${api.base}/api/statements/${statementId}`, { headers: { authorization: `Bearer ${api.tokens.reader}` } })
    ).json()) as {
      statement: { unitSystem: string; province: { code: string }; commune: { code: string } };
    };
    expect(statement.statement.unitSystem).toBe('two_level_2025');
    await page.locator('body').focus();
    await page.keyboard.press('c');
    await page.waitForSelector('#correct-form:not(.hidden)');
    const offered = await page.$$eval('#correct-form select[name=commune] option', (options) =>
      options.map((option) => ({ value: (option as HTMLOptionElement).value, text: option.textContent ?? '' })).filter((option) => option.value),
    );
    // Exactly the province's new communes, from the gazetteer of 1 July 2025.
    const expected = api.db.$client
      .prepare(`select code from admin_units_2025 where level = 3 and parent_code = ? order by code`)
      .all(statement.statement.province.code) as Array<{ code: string }>;
    expect(offered.map((option) => option.value).sort()).toEqual(expected.map((row) => row.code));
    expect(offered.every((option) => option.text.includes('from 1/7/2025'))).toBe(true);
    const other = offered.find((option) => option.value !== statement.statement.commune.code && option.text.includes('Khánh Khê'))!;
    await page.selectOption('#correct-form select[name=commune]', other.value);
    await page.press('#correct-form select[name=commune]', 'Enter').catch(() => undefined);
    await page.click('#correct-form button[type=submit]');
    await page.waitForFunction((sid) => !document.querySelector(`#queue li[data-id="${sid}"]`), statementId);
    const after = (await (await fetch(`${api.base}/api/statements/${statementId}`, { headers: { authorization: `Bearer ${api.tokens.reader}` } })).json()) as {
      history: Array<{ payload: { commune?: { code: string; name: string } } }>;
    };
    expect(after.history.at(-1)!.payload.commune).toEqual({ code: other.value, name: 'Khánh Khê' });
    await context.close();
  });
});

async function uploadByApi(files: Array<[string, Buffer]>): Promise<void> {
  const form = new FormData();
  for (const [name, bytes] of files) form.append('file', new Blob([bytes]), name);
  const response = await fetch(`${api.base}/api/documents`, { method: 'POST', headers: { authorization: `Bearer ${api.tokens.uploader}` }, body: form });
  expect(response.status).toBe(200);
}

async function documentIdOf(fileName: string, timeoutMs?: number): Promise<number> {
  let found: number | undefined;
  await waitFor(
    `document ${fileName}`,
    async () => {
      const list = (await (await fetch(`${api.base}/api/documents`, { headers: { authorization: `Bearer ${api.tokens.reader}` } })).json()) as {
        documents: Array<{ id: number; fileName: string; status: string }>;
      };
      found = list.documents.find((d) => d.fileName === fileName && d.status === 'done')?.id;
      return found !== undefined;
    },
    timeoutMs,
  );
  return found!;
}
