/** "09" → 9, "13,43" → 13.43 (Vietnamese decimal comma), "10.9" → 10.9. */
export function parseVietnameseNumber(text: string): number {
  return Number(text.trim().replace(',', '.'));
}

const COUNT_WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10 };

/**
 * "hai" → 2, "ba" → 3 (folded words, as in "hai xã trên"); null for a word that counts nothing
 * ("các", "những"). "năm" (five) is left out: it is far more often "year".
 */
export function countWordValue(word: string): number | null {
  return COUNT_WORDS[word] ?? null;
}
