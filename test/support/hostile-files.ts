import { crc32, createDeflateRaw, deflateRawSync, deflateSync } from 'node:zlib';

/**
 * Hostile inputs built in memory, small on disk and huge once opened: no large file is ever
 * committed. Each builder writes the format by hand, byte by byte, so that it can lie.
 */

interface ZipEntry {
  name: string;
  compressed: Buffer;
  crc: number;
  size: number;
  /** The uncompressed size written in the headers; a bomb may declare less than it holds. */
  declaredSize?: number;
}

/** Deflates `count` copies of `chunk` as one stream, never holding the inflated whole. */
async function deflateRepeated(head: string, chunk: string, count: number, tail: string): Promise<{ compressed: Buffer; crc: number; size: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  let crc = 0;
  let size = 0;
  const write = async (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    crc = crc32(bytes, crc);
    size += bytes.length;
    if (!deflate.write(bytes)) await new Promise((resolve) => deflate.once('drain', resolve));
  };
  await write(head);
  const block = chunk.repeat(Math.max(1, Math.floor((1 << 20) / chunk.length)));
  const blocks = Math.ceil(count / Math.max(1, Math.floor((1 << 20) / chunk.length)));
  for (let i = 0; i < blocks; i++) await write(block);
  await write(tail);
  deflate.end();
  await done;
  return { compressed: Buffer.concat(parts), crc, size };
}

function storedEntry(name: string, text: string): ZipEntry {
  const bytes = Buffer.from(text, 'utf8');
  return { name, compressed: deflateRawSync(bytes), crc: crc32(bytes), size: bytes.length };
}

function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const declared = entry.declaredSize ?? entry.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.compressed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(entry.crc >>> 0, 16);
    central.writeUInt32LE(entry.compressed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.compressed);
    centrals.push(central, name);
    offset += local.length + name.length + entry.compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELATIONSHIPS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const BODY_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
const BODY_TAIL = '</w:body></w:document>';
const paragraph = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;

/**
 * A Word document whose word/document.xml holds `inflatedMiB` MiB of one repeated paragraph.
 * `declaredSize` makes the ZIP headers claim a smaller size than the part really inflates to.
 */
export async function docxBomb(inflatedMiB: number, options: { declaredSize?: number } = {}): Promise<Buffer> {
  const text = paragraph('Xã Hòa Bình đạt 12/19 tiêu chí.');
  const document = await deflateRepeated(BODY_HEAD, text, Math.ceil((inflatedMiB * (1 << 20)) / text.length), BODY_TAIL);
  return zip([
    storedEntry('[Content_Types].xml', CONTENT_TYPES),
    storedEntry('_rels/.rels', RELATIONSHIPS),
    { name: 'word/document.xml', ...document, ...(options.declaredSize !== undefined ? { declaredSize: options.declaredSize } : {}) },
  ]);
}

/** A small, honest Word document with the given paragraphs. */
export function docx(paragraphs: string[]): Buffer {
  return zip([
    storedEntry('[Content_Types].xml', CONTENT_TYPES),
    storedEntry('_rels/.rels', RELATIONSHIPS),
    storedEntry('word/document.xml', `${BODY_HEAD}${paragraphs.map(paragraph).join('')}${BODY_TAIL}`),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A PNG header declaring width × height grey pixels, followed by a few bytes of image data. */
export function pngBomb(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grey
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(16))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A baseline JPEG frame header declaring width × height pixels, and no real scan. */
export function jpegBomb(width: number, height: number): Buffer {
  const frame = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x01, 0x01, 0x11, 0x00]);
  const jfif = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jfif,
    frame,
    Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]),
    Buffer.alloc(16),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/**
 * A little-endian TIFF with one uncompressed grey page per entry of `pages`, every page
 * pointing at the same 256 bytes of pixels: a 16×16 page is whole, a larger one only declares its size.
 */
export function tiffBomb(pages: Array<{ width: number; height: number }>): Buffer {
  // 256 white bytes: all of a 16×16 page, a few rows of a larger one (whose strip is then cut short).
  const pixels = Buffer.alloc(256, 0xff);
  const entries = 9;
  const ifdSize = 2 + entries * 12 + 4;
  const pixelOffset = 8;
  const ifdStart = pixelOffset + pixels.length + (pixels.length % 2);
  const out = Buffer.alloc(ifdStart + pages.length * ifdSize);
  out.write('II', 0, 'ascii');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(ifdStart, 4);
  pixels.copy(out, pixelOffset);
  pages.forEach(({ width, height }, index) => {
    let at = ifdStart + index * ifdSize;
    out.writeUInt16LE(entries, at);
    at += 2;
    const tag = (id: number, type: number, value: number) => {
      out.writeUInt16LE(id, at);
      out.writeUInt16LE(type, at + 2);
      out.writeUInt32LE(1, at + 4);
      if (type === 3) out.writeUInt16LE(value, at + 8);
      else out.writeUInt32LE(value, at + 8);
      at += 12;
    };
    tag(256, 4, width);
    tag(257, 4, height);
    tag(258, 3, 8);
    tag(259, 3, 1);
    tag(262, 3, 1);
    tag(273, 4, pixelOffset);
    tag(277, 3, 1);
    tag(278, 4, height);
    tag(279, 4, width * height);
    out.writeUInt32LE(index + 1 < pages.length ? ifdStart + (index + 1) * ifdSize : 0, at);
  });
  return out;
}

/** A PDF of `blankPages` empty pages, with `text` (ASCII: the standard fonts) on the last page when given. */
export async function blankPagesPdf(blankPages: number, text?: string, size: string | [number, number] = 'A4'): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({ autoFirstPage: false, compress: true, info: { CreationDate: new Date(0) } });
  const parts: Buffer[] = [];
  pdf.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => pdf.on('end', resolve));
  for (let i = 0; i < blankPages; i++) pdf.addPage({ size });
  if (text !== undefined) pdf.addPage({ size: 'A4' }).fontSize(12).text(text, 72, 72);
  pdf.end();
  await ended;
  return Buffer.concat(parts);
}
