// natural's main entry loads its storage back-ends, which pull in dotenv and print to stdout at
// import time; the distance module alone is all this project uses.
import distance from 'natural/lib/natural/distance/index.js';

/** Jaro–Winkler similarity in [0, 1]; 1 for equal strings. */
export function jaroWinkler(a: string, b: string): number {
  return distance.JaroWinklerDistance(a, b, {});
}

/** Levenshtein edit distance. */
export function editDistance(a: string, b: string): number {
  return distance.LevenshteinDistance(a, b, {});
}
