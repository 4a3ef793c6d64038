import { AlignmentType, Document, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { LEVEL_NAMES, subtotalText, unmetText, type StatusTable, type Subtotal } from './status-table.js';

const HEADERS = ['STT', 'Tên xã', 'Mức', 'Số tiêu chí đạt', 'Các tiêu chí chưa đạt', 'Tính đến', 'Nguồn', 'Cảnh báo'];
/** Column widths in percent of the page: the unmet list and the source need the room. */
const WIDTHS = [5, 13, 9, 8, 33, 9, 15, 8];
const FONT = 'Times New Roman';

function cell(text: string, options: { bold?: boolean; span?: number; width?: number; center?: boolean } = {}): TableCell {
  return new TableCell({
    columnSpan: options.span,
    width: options.width ? { size: options.width, type: WidthType.PERCENTAGE } : undefined,
    children: text.split('\n').map(
      (line) =>
        new Paragraph({
          alignment: options.center ? AlignmentType.CENTER : AlignmentType.LEFT,
          children: [new TextRun({ text: line, bold: options.bold, font: FONT, size: 22 })],
        }),
    ),
  });
}

function subtotalRow(label: string, subtotal: Subtotal): TableRow {
  return new TableRow({
    children: [
      cell(label, { bold: true, span: 3 }),
      cell(subtotal.averageMet === null ? '' : subtotal.averageMet.toLocaleString('vi-VN'), { bold: true, center: true }),
      cell(subtotalText(subtotal), { bold: true, span: 4 }),
    ],
  });
}

/**
 * `ntm report --format docx`: a real Word table per level and criteria set (header row repeated on
 * each page, a heading row per district, subtotal rows), landscape A4, for pasting into a report.
 */
export async function statusReportDocx(table: StatusTable): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new TextRun({ text: `BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ — ${table.area.toLocaleUpperCase('vi')}`, bold: true, font: FONT, size: 26 }),
      ],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new TextRun({ text: table.asOf ? `(Số liệu tính đến ngày ${table.asOf})` : '(Số liệu đang có hiệu lực)', italics: true, font: FONT, size: 24 }),
      ],
    }),
  ];
  if (table.sections.length === 0) children.push(new Paragraph({ children: [new TextRun({ text: 'Chưa có số liệu.', font: FONT })] }));
  for (const section of table.sections) {
    children.push(new Paragraph({ spacing: { before: 240, after: 120 }, children: [new TextRun({ text: section.title, bold: true, font: FONT, size: 24 })] }));
    const rows: TableRow[] = [
      new TableRow({ tableHeader: true, children: HEADERS.map((header, index) => cell(header, { bold: true, center: true, width: WIDTHS[index] })) }),
    ];
    for (const group of section.groups) {
      rows.push(new TableRow({ children: [cell(group.title, { bold: true, span: HEADERS.length })] }));
      for (const row of group.rows) {
        rows.push(
          new TableRow({
            children: [
              cell(String(row.stt), { center: true }),
              cell(row.communeName),
              cell(LEVEL_NAMES[row.level] ?? row.level),
              cell(row.met === null ? '' : `${row.met}/${row.total ?? '?'}`, { center: true }),
              cell(unmetText(row)),
              cell(row.asOf ?? ''),
              cell(row.source ?? ''),
              cell(row.flags.join(', ')),
            ],
          }),
        );
      }
      rows.push(subtotalRow(`Cộng ${group.title} (bình quân tiêu chí/xã)`, group.subtotal));
    }
    if (section.groups.length > 1) rows.push(subtotalRow('Tổng cộng (bình quân tiêu chí/xã)', section.total));
    children.push(new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }));
  }
  const document = new Document({
    creator: 'ntm-ingest',
    sections: [{ properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } }, children }],
  });
  return Packer.toBuffer(document);
}
