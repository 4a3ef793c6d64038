import type { Cited, DocumentMetadata, DocumentType } from '../context/document-metadata.js';
import type { DocumentText, PageSpan } from '../text/document-text.js';
import { foldPhrase } from '../text/match-view.js';
import { monthDate, MONTH_DATE, numericDate, NUMERIC_DATE, repairNumericDate, spelledDate, SPELLED_DATE, type PartialDate } from '../tokens/dates.js';

/** The header is short; looking further only finds dates and numbers of cited documents. */
const HEADER_LENGTH = 1500;
const FOOTER_LENGTH = 700;

const TYPE_WORDS: Array<[RegExp, DocumentType]> = [
  [/^thong\s+bao$/, 'thong_bao'],
  [/^bao\s+cao$/, 'bao_cao'],
  [/^ke\s+hoach$/, 'ke_hoach'],
  [/^quyet\s+dinh$/, 'quyet_dinh'],
  [/^to\s+trinh$/, 'to_trinh'],
  [/^bien\s+ban$/, 'bien_ban'],
  [/^cong\s+van$/, 'cong_van'],
];
/** The type code in a document number: "245/KH-UBND" is a kế hoạch. */
const TYPE_CODES: Record<string, DocumentType> = {
  bc: 'bao_cao',
  tb: 'thong_bao',
  kh: 'ke_hoach',
  qd: 'quyet_dinh',
  tt: 'to_trinh',
  bb: 'bien_ban',
  cv: 'cong_van',
};
/** Issuer codes in document numbers, for documents whose header block was lost. */
const ISSUER_CODES: Record<string, string> = {
  ubnd: 'Ủy ban nhân dân',
  slđtbxh: 'Sở Lao động - Thương binh và Xã hội',
  stttt: 'Sở Thông tin và Truyền thông',
  snnptnt: 'Sở Nông nghiệp và Phát triển nông thôn',
  snn: 'Sở Nông nghiệp và Phát triển nông thôn',
  skhđt: 'Sở Kế hoạch và Đầu tư',
  stc: 'Sở Tài chính',
  sxd: 'Sở Xây dựng',
  sgtvt: 'Sở Giao thông vận tải',
  stnmt: 'Sở Tài nguyên và Môi trường',
  syt: 'Sở Y tế',
  sgdđt: 'Sở Giáo dục và Đào tạo',
  svhttdl: 'Sở Văn hóa, Thể thao và Du lịch',
  sct: 'Sở Công Thương',
  vpđp: 'Văn phòng Điều phối nông thôn mới',
  bcđ: 'Ban Chỉ đạo',
};

const ISSUER_BY_FOLDED_CODE = new Map(Object.entries(ISSUER_CODES).map(([code, name]) => [foldPhrase(code), name]));

export function extractMetadata(doc: DocumentText): DocumentMetadata {
  const headerEnd = Math.min(doc.fold.length, HEADER_LENGTH);
  const number = findNumber(doc, headerEnd);
  const type = findType(doc, headerEnd, number?.value ?? null);
  const placeAndDate = findPlaceAndDate(doc, headerEnd);
  return {
    type,
    number,
    issuer: findIssuer(doc, headerEnd, number?.value ?? null),
    place: placeAndDate.place,
    date: placeAndDate.date,
    title: findTitle(doc, headerEnd),
    signer: findSigner(doc),
    inspectionDate: findInspectionDate(doc, placeAndDate.date?.value ?? null),
    asOfDate: findAsOfDate(doc),
  };
}

function cite<T>(doc: DocumentText, value: T, start: number, end: number, rule: string): Cited<T> {
  return { value, citation: doc.toPageSpans(start, end)[0] ?? null, rule };
}

function findNumber(doc: DocumentText, headerEnd: number): Cited<string> | null {
  const match = /\bso\s*:\s*(\d*\s*\/\s*[a-z0-9&.]+(?:\s*-\s*[a-z0-9&.]+)*)/d.exec(doc.fold.slice(0, headerEnd));
  const range = match?.indices?.[1];
  if (!match || !range) return null;
  const value = doc.nfc.slice(range[0], range[1]).replace(/\s+/g, '');
  return cite(doc, value, range[0], range[1], 'metadata.number');
}

function findType(doc: DocumentText, headerEnd: number, number: string | null): Cited<DocumentType> | null {
  for (const line of linesOf(doc.fold, 0, headerEnd)) {
    const words = line.text.replace(/[#*\s]+/g, ' ').trim();
    const typed = TYPE_WORDS.find(([pattern]) => pattern.test(words));
    const upper = doc.nfc.slice(line.start, line.end);
    if (typed && upper === upper.toUpperCase()) return cite(doc, typed[1], line.start, line.end, 'metadata.type.heading');
  }
  const code = number ? /\/\s*([a-zđ]+)\s*-/.exec(number.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')) : null;
  const fromCode = code ? TYPE_CODES[(code[1] ?? '').replace('đ', 'd')] : undefined;
  if (fromCode) return { value: fromCode, citation: null, rule: 'metadata.type.number_code' };
  const subject = /^[\s*#]*v\s*\/\s*v\b/m.exec(doc.fold.slice(0, headerEnd));
  if (subject) return cite(doc, 'cong_van', subject.index, subject.index + subject[0].length, 'metadata.type.subject_line');
  return null;
}

function findIssuer(doc: DocumentText, headerEnd: number, number: string | null): Cited<string> | null {
  // The issuing body is the upper-case block above the national motto or the number.
  const motto = doc.fold.slice(0, headerEnd).search(/cong\s+hoa\s+xa\s+hoi|\bso\s*:/);
  if (motto > 0) {
    const block = doc.nfc.slice(0, motto);
    const lines = block
      .split('\n')
      .map((line) => line.replace(/[*#]/g, '').trim())
      .filter((line) => line.length > 2);
    const upper = lines.filter((line) => line === line.toUpperCase() && /\p{Lu}/u.test(line));
    if (upper.length > 0) {
      const first = block.indexOf(upper[0] ?? '');
      const lastLine = upper.at(-1) ?? '';
      return cite(doc, upper.join(' '), first, block.lastIndexOf(lastLine) + lastLine.length, 'metadata.issuer.header');
    }
  }
  const code = number?.split('-').at(-1);
  const name = code ? ISSUER_BY_FOLDED_CODE.get(foldPhrase(code)) : undefined;
  return name ? { value: name, citation: null, rule: 'metadata.issuer.number_code' } : null;
}

/** "Văn Lãng, ngày 17 tháng 7 năm 2023" or "Văn Quan, ngày 05/12/2023", alone on its line. */
const HEADER_DATES: Array<[RegExp, (match: RegExpExecArray) => PartialDate | null]> = [
  [new RegExp(SPELLED_DATE.source, 'g'), spelledDate],
  [/\bngay\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b/g, numericDate],
];
/** A place name: capitalised words ("Lạng Sơn", "TP. Lạng Sơn", "Thành phố Lạng Sơn"), nothing else. */
const PLACE_NAME = /^[\s*#_]*((?:(?:\p{Lu}[\p{L}\p{M}]*\.?|phố|pho|xã|xa|trấn|tran)\s*){1,5}?)\s*,\s*$/u;

function findPlaceAndDate(doc: DocumentText, headerEnd: number): { place: Cited<string> | null; date: Cited<PartialDate> | null } {
  const candidates = HEADER_DATES.flatMap(([pattern, read]) => [...doc.fold.slice(0, headerEnd).matchAll(pattern)].map((match) => ({ match, read })));
  for (const { match, read } of candidates.sort((a, b) => a.match.index - b.match.index)) {
    const date = read(match);
    if (!date) continue;
    const lineStart = doc.fold.lastIndexOf('\n', match.index) + 1;
    const before = doc.nfc.slice(lineStart, match.index);
    // The header's date line holds a place and the date, or the date alone; a date in a sentence is no header.
    const placeText = PLACE_NAME.exec(before)?.[1]?.trim();
    if (!placeText && before.replace(/[\s*#_]/g, '') !== '') continue;
    const placeStart = lineStart + before.indexOf(placeText ?? '');
    const place = placeText ? cite(doc, placeText, placeStart, placeStart + placeText.length, 'metadata.place') : null;
    return { place, date: cite(doc, date, match.index, match.index + match[0].length, 'metadata.date') };
  }
  return { place: null, date: null };
}

function findTitle(doc: DocumentText, headerEnd: number): Cited<string> | null {
  const header = doc.fold.slice(0, headerEnd);
  const subject = /^[\s*#]*(v\s*\/\s*v\b[\s\S]*?)(?=\n\s*\n|\n[\s*]*kinh\s+gui)/m.exec(header);
  if (subject) return titleFrom(doc, subject.index + subject[0].indexOf(subject[1] ?? ''), subject.index + subject[0].length, 'metadata.title.subject_line');
  for (const line of linesOf(doc.fold, 0, headerEnd)) {
    const words = line.text.replace(/[#*\s]+/g, ' ').trim();
    if (!TYPE_WORDS.some(([pattern]) => pattern.test(words))) continue;
    // The title runs from the line after the type word to the first line that opens the body.
    const rest = header.slice(line.end);
    const body = /\n[\s*#]*(?:can\s+cu|thuc\s+hien|kinh\s+gui|ngay\s+\d|qua\s|tren\s+co\s+so|theo\s|de\s|sau\s+khi|i\.\s)/.exec(rest);
    const end = line.end + (body ? body.index : Math.min(rest.length, 300));
    return titleFrom(doc, line.end, end, 'metadata.title.after_type');
  }
  return null;
}

function titleFrom(doc: DocumentText, start: number, end: number, rule: string): Cited<string> | null {
  const text = doc.nfc.slice(start, end).replace(/[*#]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!text) return null;
  const from = start + (doc.nfc.slice(start, end).search(/[^\s*#]/) ?? 0);
  let to = end;
  while (to > from && /[\s*#]/.test(doc.nfc[to - 1] ?? '')) to -= 1;
  return cite(doc, text, from, to, rule);
}

const SIGNER_ROLE =
  /^(?:(?:tm|kt|tl|q|tuq)\.\s*)?(?:chu\s+tich|pho\s+chu\s+tich|giam\s+doc|pho\s+giam\s+doc|truong\s+ban|pho\s+truong\s+ban|chanh\s+van\s+phong|pho\s+chanh\s+van\s+phong|truong\s+phong|uy\s+ban\s+nhan\s+dan|bi\s+thu|cuc\s+truong|vu\s+truong)\b/;

const SIGNATURE_MARK = /^[([]?\s*(?:da\s+ky|ky\s+ten(?:\s*,?\s*dong\s+dau)?|ky\s+va\s+dong\s+dau|daky|signed)\s*[)\]]?\s*\.?$/;

function findSigner(doc: DocumentText): Cited<{ role: string | null; name: string }> | null {
  const tailStart = Math.max(0, doc.fold.length - FOOTER_LENGTH);
  const lines = linesOf(doc.fold, tailStart, doc.fold.length).filter((line) => line.text.replace(/[*#\s]/g, '') !== '');
  const last = lines.at(-1);
  if (!last) return null;
  const name = doc.nfc.slice(last.start, last.end).replace(/[*#]/g, '').trim();
  if (!/^(?:\p{Lu}[\p{Ll}\p{M}]*\s+){1,4}\p{Lu}[\p{Ll}\p{M}]*$/u.test(name)) return null;
  const roles: string[] = [];
  let first = last;
  for (let index = lines.length - 2; index >= 0; index -= 1) {
    const line = lines[index];
    if (!line) break;
    const text = line.text.replace(/[*#]/g, '').trim();
    if (SIGNATURE_MARK.test(text)) continue; // "(Đã ký)", "(Ký tên, đóng dấu)" between role and name
    if (!SIGNER_ROLE.test(text)) break;
    roles.unshift(doc.nfc.slice(line.start, line.end).replace(/[*#]/g, '').trim());
    first = line;
  }
  // A last line in title case without a role above it is as likely a recipient as a signer.
  if (roles.length === 0) return null;
  return cite(doc, { role: roles.join(' / '), name }, first.start, last.end, 'metadata.signer');
}

/** Only blanks, "*", "#" or "-" between the start of the text, a line break or a full stop and `index`. */
function opensClause(fold: string, index: number): boolean {
  let at = index - 1;
  let newline = false;
  while (at >= 0 && /[\s*#-]/.test(fold[at] ?? '')) {
    if (fold[at] === '\n') newline = true;
    at -= 1;
  }
  return at < 0 || newline || (fold[at] === '.' && at + 1 < index && /\s/.test(fold[at + 1] ?? ''));
}

function findInspectionDate(doc: DocumentText, documentDate: PartialDate | null): Cited<PartialDate> | null {
  // "Ngày 20/7/2022, Sở … tổ chức kiểm tra": the date opens the sentence; dates inside it cite other documents.
  // The date is found first, then what stands before it is checked: a pattern that began with
  // the blanks before it would try every blank of a long run again, in quadratic time.
  const pattern = /ngay\s+(\d{1,3})\s*\/\s*(\d{1,3})\s*\/\s*(\d{4})\s*,?[^.]{0,400}?\bkiem\s+tra\b/g;
  for (const match of doc.fold.matchAll(pattern)) {
    if (!opensClause(doc.fold, match.index)) continue;
    const date = numericDate(match);
    if (date) return cite(doc, date, match.index, match.index + match[0].length, 'metadata.inspection_date');
    // A scan's "20/57/2020": mended only where one reading fits, and marked so that a reviewer checks it.
    const mended = repairNumericDate(match[1] ?? '', match[2] ?? '', match[3] ?? '', documentDate);
    if (mended) return cite(doc, mended, match.index, match.index + match[0].length, 'metadata.inspection_date.ocr_repaired');
  }
  return null;
}

function findAsOfDate(doc: DocumentText): Cited<PartialDate> | null {
  const pattern = /\b(?:tinh\s+)?den\s+(?:het\s+)?(?:ngay\s+\d{1,2}\s*\/\s*\d{1,2}\s*\/\s*\d{4}|thang\s+\d{1,2}\s*\/\s*\d{4})/g;
  for (const match of doc.fold.matchAll(pattern)) {
    const text = match[0];
    const numeric = new RegExp(NUMERIC_DATE.source).exec(text);
    const month = new RegExp(MONTH_DATE.source).exec(text);
    const date = numeric ? numericDate(numeric) : month ? monthDate(month) : null;
    if (date) return cite(doc, date, match.index, match.index + text.length, 'metadata.as_of');
  }
  return null;
}

interface Line {
  start: number;
  end: number;
  text: string;
}

function linesOf(text: string, from: number, to: number): Line[] {
  const lines: Line[] = [];
  let start = from;
  while (start < to) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 || newline > to ? to : newline;
    lines.push({ start, end, text: text.slice(start, end) });
    start = end + 1;
  }
  return lines;
}
