import type { Flag, Statement } from '../statement.js';
import { foldName } from './place-names.js';
import type { DocumentScope } from './document-scope.js';
import type { UnitVersion } from './gazetteer.js';

/** "huyện X và xã Y", "huyện X cùng xã Y": a district and a commune named as one addressee. */
const DISTRICT_THEN_COMMUNE = /^\s+(?:va|cung)\s+(?:cac\s+)?xa\s*$/;
/** "xã A (huyện X) và xã B", "xã A - huyện X": a district that locates the commune before it. */
const LOCATING_BEFORE = /[(\-,;]\s*$/;

/**
 * A district named together with a commune that is not in it ("Đề nghị hỗ trợ huyện Văn Lãng và
 * xã Cao Minh" where xã Cao Minh lies in huyện Tràng Định): flagged even when the document's own
 * district is right, with both places and where the gazetteer puts the commune.
 */
export function jointMentionFlags(scope: DocumentScope, statements: readonly Statement[]): Flag[] {
  const { context, gazetteer } = scope;
  const mentions = context.mentions.all;
  const flags: Flag[] = [];
  const seen = new Set<string>();
  for (let index = 1; index < mentions.length; index += 1) {
    const commune = mentions[index];
    const district = mentions[index - 1];
    if (!commune || !district || commune.level !== 'commune' || district.level !== 'district' || commune.plural || district.plural) continue;
    if (commune.start - district.end > 12 || !DISTRICT_THEN_COMMUNE.test(context.fold.slice(district.end, commune.start + 3))) continue;
    const before = mentions[index - 2];
    if (LOCATING_BEFORE.test(context.fold.slice(Math.max(0, district.start - 3), district.start))) continue;
    if (before?.level === 'commune' && district.start - before.end <= 3) continue;
    const districtName = district.names[0];
    const communeName = commune.names[0];
    if (!districtName || !communeName) continue;
    const key = `${foldName(districtName)}|${foldName(communeName)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const named = scope.districtNamed(districtName);
    if (!named || named === 'ambiguous') continue;
    const candidates = scope.lookup(3, communeName)?.versions ?? [];
    const province = gazetteer.provinceOf(named.unit)?.code;
    const inProvince = candidates.filter((unit) => gazetteer.provinceOf(unit)?.code === province);
    if (inProvince.length === 0 || inProvince.some((unit) => unit.parentCode === named.unit.code)) continue;
    const where = inProvince.map((unit) => `${unit.type} ${unit.name} (${unit.code}) in ${describe(gazetteer.districtOf(unit))}`).join('; ');
    const about = statements.filter((statement) => statement.place.commune !== null && foldName(statement.place.commune) === foldName(communeName));
    flags.push({
      type: 'jurisdiction_mismatch',
      message: `${named.unit.type} ${named.unit.name} and xã ${communeName} are named together, but xã ${communeName} is not in ${named.unit.type} ${named.unit.name}: the gazetteer has ${where}.`,
      statements: about.map((statement) => statement.index),
      evidence: context.text.toPageSpans(district.start, commune.end),
    });
  }
  return flags;
}

function describe(unit: UnitVersion | undefined): string {
  return unit ? `${unit.type} ${unit.name}` : 'another district';
}
