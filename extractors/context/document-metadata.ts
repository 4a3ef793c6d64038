import type { PageSpan } from '../text/document-text.js';
import type { PartialDate } from '../tokens/dates.js';

/*
 * What the metadata rules (extractors/metadata/) read from a document's header and footer. The
 * pipeline runs those rules and hands the result to the DocumentContext, which every rule reads:
 * the type lives here, in the shared layer, so that no rule folder needs another's.
 */

export type DocumentType = 'bao_cao' | 'thong_bao' | 'ke_hoach' | 'cong_van' | 'quyet_dinh' | 'to_trinh' | 'bien_ban';

/** A value read from the document, with where it was read. */
export interface Cited<T> {
  value: T;
  citation: PageSpan | null;
  rule: string;
}

export interface DocumentMetadata {
  type: Cited<DocumentType> | null;
  number: Cited<string> | null;
  issuer: Cited<string> | null;
  place: Cited<string> | null;
  date: Cited<PartialDate> | null;
  title: Cited<string> | null;
  signer: Cited<{ role: string | null; name: string }> | null;
  /** The day of an inspection the document reports on ("Ngày 20/7/2022, … kiểm tra"). */
  inspectionDate: Cited<PartialDate> | null;
  /** A cut-off stated for the whole document ("đánh giá đến tháng 9/2024"). */
  asOfDate: Cited<PartialDate> | null;
}
