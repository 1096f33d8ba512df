/**
 * English text normalisation for word error rate, after the rules of OpenAI Whisper's
 * EnglishTextNormalizer (whisper/normalizers/english.py): spelled-out numbers become digits
 * ("fourteen fifty five" → "1455", "fifteenth" → "15th"), titles are spelled out ("Mr." → "mister"),
 * contractions are expanded, British spellings become American, fillers are dropped, and
 * punctuation goes. Both sides of a comparison go through it, so WER measures hearing, not spelling.
 * A subset of Whisper's rules: the ones that decide read English; no package on the registry keeps them.
 */
const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const MULTIPLIERS: Record<string, number> = { hundred: 100, thousand: 1_000, million: 1_000_000, billion: 1_000_000_000 };
const ORDINAL_WORDS: Record<string, string> = { first: 'one', second: 'two', third: 'three', fifth: 'five', eighth: 'eight', ninth: 'nine', twelfth: 'twelve' };

const TITLES: Record<string, string> = {
  mr: 'mister', mrs: 'missus', ms: 'miss', dr: 'doctor', prof: 'professor', st: 'saint', jr: 'junior', sr: 'senior', gen: 'general', capt: 'captain', gov: 'governor', rev: 'reverend', sgt: 'sergeant', lt: 'lieutenant', col: 'colonel',
};

const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bwon't\b/g, 'will not'],
  [/\bcan't\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\blet's\b/g, 'let us'],
  [/\bain't\b/g, 'aint'],
  [/\by'all\b/g, 'you all'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'ll\b/g, ' will'],
  [/'ve\b/g, ' have'],
  [/'m\b/g, ' am'],
  [/'d\b/g, ' would'],
  [/\b(it|that|there|here|what|where|who|how|he|she)'s\b/g, '$1 is'],
];

/** The spellings that differ in read English most often; Whisper's list has ~1,700 of this kind. */
const AMERICAN: Record<string, string> = {
  colour: 'color', honour: 'honor', favour: 'favor', labour: 'labor', neighbour: 'neighbor', behaviour: 'behavior', harbour: 'harbor', humour: 'humor', centre: 'center', theatre: 'theater', metre: 'meter', realise: 'realize', realised: 'realized', recognise: 'recognize', recognised: 'recognized', organise: 'organize', organised: 'organized', civilised: 'civilized', travelled: 'traveled', travelling: 'traveling', grey: 'gray', defence: 'defense', offence: 'offense', catalogue: 'catalog', programme: 'program', jewellery: 'jewelry', amongst: 'among', whilst: 'while', towards: 'toward',
};

const FILLERS = new Set(['hmm', 'mm', 'mhm', 'mmm', 'uh', 'um', 'er', 'ah', 'eh', 'hm', 'huh']);

export function normaliseEnglish(text: string): string[] {
  let s = text.toLowerCase().replace(/[’‘`]/g, "'");
  s = s.replace(/[[(<][^\])>]*[\])>]/g, ' '); // [laughter], (inaudible), <noise>
  for (const [pattern, replacement] of CONTRACTIONS) s = s.replace(pattern, replacement);
  s = s.replace(/(\d),(?=\d{3}\b)/g, '$1'); // 12,000 → 12000
  s = s.replace(/(\d)\.(\d)/g, '$1_DOT_$2'); // keep decimals while punctuation goes
  s = s.replace(/%/g, ' percent ').replace(/\$(\d+)/g, '$1 dollars').replace(/&/g, ' and ');
  s = s.replace(/[^\p{L}\p{N}'_\s]/gu, ' ').replace(/_DOT_/g, '.');
  const words = s
    .split(/\s+/)
    .map((word) => word.replace(/^'+|'+$/g, '').replace(/'s$/, 's'))
    .filter((word) => word && !FILLERS.has(word))
    .map((word) => TITLES[word] ?? AMERICAN[word] ?? word)
    .flatMap((word) => word.split(/(?<=\d)(?=[a-z]{3,})|(?<=[a-z]{3,})(?=\d)/)); // "1455a" typos stay apart
  return numbersToDigits(words);
}

function cardinal(word: string): number | undefined {
  const ones = ONES.indexOf(word);
  if (ones >= 0) return ones;
  const tens = TENS.indexOf(word);
  return tens >= 2 ? tens * 10 : undefined;
}

/** "fifteenth" → "15th", "twenty first" is handled by the caller; undefined if not an ordinal. */
function ordinal(word: string): { value: number; suffix: string } | undefined {
  const base = ORDINAL_WORDS[word] ?? (word.endsWith('ieth') ? `${word.slice(0, -4)}y` : word.endsWith('th') ? word.slice(0, -2) : undefined);
  if (base === undefined) return undefined;
  const value = cardinal(base) ?? (MULTIPLIERS[base] !== undefined ? MULTIPLIERS[base] : undefined);
  if (value === undefined) return undefined;
  return { value, suffix: word.endsWith('st') ? 'st' : word.endsWith('nd') ? 'nd' : word.endsWith('rd') ? 'rd' : 'th' };
}

/**
 * Replaces each run of number words by digits. A run is read as a cardinal ("three hundred and
 * five" → 305) until a word cannot continue it ("fourteen fifty five": 14 cannot take a fifty, so
 * the groups are written side by side as years and codes are read: 1455).
 */
function numbersToDigits(words: readonly string[]): string[] {
  const out: string[] = [];
  let groups: string[] = [];
  let total = 0; // completed thousands/millions of the current group
  let current: number | null = null; // below the next multiplier
  let lastKind: 'ones' | 'teen' | 'tens' | 'hundred' | 'big' | null = null;
  const closeGroup = (): void => {
    if (lastKind !== null) groups.push(String(total + (current ?? 0)));
    total = 0;
    current = null;
    lastKind = null;
  };
  const flush = (): void => {
    closeGroup();
    if (groups.length) out.push(groups.join(''));
    groups = [];
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const value = cardinal(word);
    const multiplier = MULTIPLIERS[word];
    const ord = ordinal(word);
    const inRun = lastKind !== null || groups.length > 0;
    if (word === 'and' && (lastKind === 'hundred' || lastKind === 'big') && cardinal(words[i + 1] ?? '') !== undefined) continue;
    if (word === 'oh' && inRun) {
      closeGroup();
      groups.push('0');
      continue;
    }
    if (value !== undefined) {
      const kind = value < 10 ? 'ones' : value < 20 ? 'teen' : 'tens';
      const continues = lastKind === 'hundred' || lastKind === 'big' || (lastKind === 'tens' && kind === 'ones');
      if (!continues) closeGroup();
      current = (current ?? 0) + value;
      lastKind = kind;
      continue;
    }
    if (multiplier !== undefined && lastKind !== null && (multiplier === 100 ? lastKind !== 'hundred' : true)) {
      if (multiplier === 100) current = (current ?? 1) * 100;
      else {
        total += (current ?? 1) * multiplier;
        current = null;
      }
      lastKind = multiplier === 100 ? 'hundred' : 'big';
      continue;
    }
    if (ord !== undefined) {
      // "twenty first" → 21st, "fifteenth" → 15th, "first" → 1st.
      const joins = (lastKind === 'tens' && ord.value < 10) || lastKind === 'hundred' || lastKind === 'big';
      if (!joins) closeGroup();
      current = (current ?? 0) + ord.value;
      lastKind = 'ones';
      closeGroup();
      out.push(`${groups.join('')}${ord.suffix}`);
      groups = [];
      continue;
    }
    flush();
    out.push(word);
  }
  flush();
  return out;
}
