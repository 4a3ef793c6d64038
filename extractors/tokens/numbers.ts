/** "09" → 9, "13,43" → 13.43 (Vietnamese decimal comma), "10.9" → 10.9. */
export function parseVietnameseNumber(text: string): number {
  return Number(text.trim().replace(',', '.'));
}
