import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';

/** A4 in PDF points. */
const A4 = { width: 595.28, height: 841.89 };

/** Builds a PDF with pdfkit, page by page, into one buffer. */
async function buildPdf(addPages: (pdf: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({ autoFirstPage: false, compress: true, info: { CreationDate: new Date(0) } });
  const parts: Buffer[] = [];
  pdf.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => pdf.on('end', resolve));
  addPages(pdf);
  pdf.end();
  await ended;
  return Buffer.concat(parts);
}

/**
 * A long report with a text layer: `pages` pages of a few lines each (ASCII: pdfkit's
 * standard fonts), a commune count on every tenth page so that the rules have work throughout.
 */
export function textPagesPdf(pages: number): Promise<Buffer> {
  return buildPdf((pdf) => {
    for (let page = 1; page <= pages; page++) {
      pdf.addPage({ size: 'A4' }).fontSize(11);
      pdf.text(`Bao cao tong hop, trang ${page}/${pages}.`, 72, 72);
      pdf.text('Ket qua thuc hien Chuong trinh muc tieu quoc gia xay dung nong thon moi tren dia ban huyen.', 72, 100, { width: 450 });
      if (page % 10 === 0) pdf.text(`Xa Tan Lap dat ${page % 19 || 19}/19 tieu chi nong thon moi.`, 72, 140);
    }
  });
}

/**
 * A scanned report: `pages` image-only pages, each the same grey JPEG of a few typed lines at
 * 150 dpi (embedded once: pdfkit reuses an image given by path), so the file stays small while
 * every page must be rendered and recognised.
 */
export async function scannedPagesPdf(pages: number, lines = 6): Promise<Buffer> {
  const dpi = 150;
  const [width, height] = [Math.round((A4.width / 72) * dpi), Math.round((A4.height / 72) * dpi)];
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#000';
  context.font = '28px serif';
  for (let line = 0; line < lines; line++) context.fillText(`Xa Tan Lap dat ${14 + (line % 5)}/19 tieu chi nong thon moi nam 2024.`, 150, 200 + line * 50);
  const folder = mkdtempSync(join(tmpdir(), 'ntm-scan-'));
  const jpeg = join(folder, 'page.jpg');
  writeFileSync(jpeg, canvas.toBuffer('image/jpeg', 70));
  try {
    return await buildPdf((pdf) => {
      for (let page = 0; page < pages; page++) pdf.addPage({ size: 'A4', margin: 0 }).image(jpeg, 0, 0, { width: A4.width, height: A4.height });
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
