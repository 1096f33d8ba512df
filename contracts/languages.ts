/**
 * Every language Whisper's multilingual models know (the 99 of their tokenizer; large-v3 adds Cantonese, which the catalog does not offer), by its code, with
 * the English name people look for. The UI shows names, never codes; "auto" detects any of them.
 */
export const WHISPER_LANGUAGES: Readonly<Record<string, string>> = {
  af: 'Afrikaans', am: 'Amharic', ar: 'Arabic', as: 'Assamese', az: 'Azerbaijani', ba: 'Bashkir', be: 'Belarusian',
  bg: 'Bulgarian', bn: 'Bengali', bo: 'Tibetan', br: 'Breton', bs: 'Bosnian', ca: 'Catalan', cs: 'Czech', cy: 'Welsh',
  da: 'Danish', de: 'German', el: 'Greek', en: 'English', es: 'Spanish', et: 'Estonian', eu: 'Basque', fa: 'Persian',
  fi: 'Finnish', fo: 'Faroese', fr: 'French', gl: 'Galician', gu: 'Gujarati', ha: 'Hausa', haw: 'Hawaiian', he: 'Hebrew',
  hi: 'Hindi', hr: 'Croatian', ht: 'Haitian Creole', hu: 'Hungarian', hy: 'Armenian', id: 'Indonesian', is: 'Icelandic',
  it: 'Italian', ja: 'Japanese', jw: 'Javanese', ka: 'Georgian', kk: 'Kazakh', km: 'Khmer', kn: 'Kannada', ko: 'Korean',
  la: 'Latin', lb: 'Luxembourgish', ln: 'Lingala', lo: 'Lao', lt: 'Lithuanian', lv: 'Latvian', mg: 'Malagasy', mi: 'Māori',
  mk: 'Macedonian', ml: 'Malayalam', mn: 'Mongolian', mr: 'Marathi', ms: 'Malay', mt: 'Maltese', my: 'Burmese', ne: 'Nepali',
  nl: 'Dutch', nn: 'Norwegian Nynorsk', no: 'Norwegian', oc: 'Occitan', pa: 'Punjabi', pl: 'Polish', ps: 'Pashto',
  pt: 'Portuguese', ro: 'Romanian', ru: 'Russian', sa: 'Sanskrit', sd: 'Sindhi', si: 'Sinhala', sk: 'Slovak', sl: 'Slovenian',
  sn: 'Shona', so: 'Somali', sq: 'Albanian', sr: 'Serbian', su: 'Sundanese', sv: 'Swedish', sw: 'Swahili', ta: 'Tamil',
  te: 'Telugu', tg: 'Tajik', th: 'Thai', tk: 'Turkmen', tl: 'Tagalog', tr: 'Turkish', tt: 'Tatar', uk: 'Ukrainian',
  ur: 'Urdu', uz: 'Uzbek', vi: 'Vietnamese', yi: 'Yiddish', yo: 'Yoruba', zh: 'Chinese',
};

/** A language's name for people ("Welsh" for "cy"); the code itself when Whisper does not know it. */
export function languageName(code: string): string {
  return WHISPER_LANGUAGES[code] ?? code;
}

/** The languages by name, as a picker lists them. */
export const LANGUAGES_BY_NAME: ReadonlyArray<[code: string, name: string]> = Object.entries(WHISPER_LANGUAGES).sort(([, a], [, b]) => a.localeCompare(b, 'en'));
