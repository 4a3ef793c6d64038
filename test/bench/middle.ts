/** The middle value of rounds by a key (the upper middle of an even count): a bench's median round, shown whole. */
export function middleBy<T>(values: readonly T[], key: (value: T) => number): T {
  const middle = [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)];
  if (middle === undefined) throw new Error('no rounds to take the middle of');
  return middle;
}
