/**
 * Does the learner named in the credential look like the person whose profile this is? Tolerant
 * of case, accents (and German ae/oe/ue spellings), punctuation, word order and extra (middle) names: every word of the shorter
 * name must appear in the longer one, and at least two words must agree when both names have two.
 * It never answers silently: "matches", "differs", or "none" when either name is missing.
 */
export type NameMatch = 'matches' | 'differs' | 'none';

export function compareNames(profileName: string | undefined, credentialName: string | undefined): NameMatch {
  const a = words(profileName);
  const b = words(credentialName);
  if (a.length === 0 || b.length === 0) return 'none';
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  const pool = new Set(longer);
  const shared = shorter.filter((w) => pool.has(w) || (w.length === 1 && longer.some((l) => l.startsWith(w))));
  if (shared.length !== shorter.length) return 'differs';
  return shorter.length >= 2 || longer.length === 1 ? 'matches' : 'differs';
}

function words(name: string | undefined): string[] {
  if (!name) return [];
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '' && !TITLES.has(w))
    // German transliteration: "Jürgen" is often written "Juergen"; both fold to "jurgen".
    .map((w) => w.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u'));
}

/** Academic and courtesy titles LinkedIn users put next to their names. */
const TITLES = new Set(['dr', 'prof', 'mr', 'mrs', 'ms', 'mag', 'dipl', 'ing', 'msc', 'ma', 'ba', 'bsc', 'phd', 'mba']);
