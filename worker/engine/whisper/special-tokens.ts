/** The control tokens Whisper's decoder is steered with, read from the model's own files. */
export interface SpecialTokens {
  sot: number;
  eot: number;
  transcribe: number;
  translate: number;
  noTimestamps: number;
  /** <|0.00|>; every later id is another 20 ms. */
  timestampBegin: number;
  noSpeech: number | null;
  startOfPrev: number | null;
  languages: ReadonlyMap<string, number>;
  /** Never sampled: symbols and speaker tags OpenAI found Whisper invents. */
  suppress: readonly number[];
  /** Not sampled as the first token: a blank or an immediate end. */
  beginSuppress: readonly number[];
  vocabSize: number;
}

export interface GenerationConfig {
  decoder_start_token_id: number;
  eos_token_id: number;
  no_timestamps_token_id: number;
  lang_to_id?: Record<string, number>;
  task_to_id?: Record<string, number>;
  suppress_tokens?: number[];
  begin_suppress_tokens?: number[];
  alignment_heads?: Array<[number, number]>;
  is_multilingual?: boolean;
}

export function specialTokens(
  generation: GenerationConfig,
  tokenId: (token: string) => number | undefined,
  vocabSize: number,
): SpecialTokens {
  const languages = new Map<string, number>();
  for (const [token, id] of Object.entries(generation.lang_to_id ?? {})) languages.set(token.slice(2, -2), id);
  const noTimestamps = generation.no_timestamps_token_id;
  return {
    sot: generation.decoder_start_token_id,
    eot: generation.eos_token_id,
    transcribe: generation.task_to_id?.transcribe ?? tokenId('<|transcribe|>') ?? -1,
    translate: generation.task_to_id?.translate ?? tokenId('<|translate|>') ?? -1,
    noTimestamps,
    timestampBegin: noTimestamps + 1,
    noSpeech: tokenId('<|nospeech|>') ?? tokenId('<|nocaptions|>') ?? null,
    startOfPrev: tokenId('<|startofprev|>') ?? null,
    languages,
    suppress: generation.suppress_tokens ?? [],
    beginSuppress: generation.begin_suppress_tokens ?? [],
    vocabSize,
  };
}

/** The prompt before the first sampled token: [<|startofprev|> prompt…] <|sot|> <|lang|> <|task|>. */
export function promptTokens(
  tokens: SpecialTokens,
  options: { language: string | null; task: 'transcribe' | 'translate'; previous: readonly number[] },
): number[] {
  const prompt: number[] = [];
  if (options.previous.length > 0 && tokens.startOfPrev !== null) prompt.push(tokens.startOfPrev, ...options.previous);
  prompt.push(tokens.sot);
  if (tokens.languages.size > 0) {
    const language = tokens.languages.get(options.language ?? 'en');
    if (language === undefined) throw new Error(`This model does not know the language “${options.language}”.`);
    prompt.push(language, options.task === 'translate' ? tokens.translate : tokens.transcribe);
  }
  return prompt;
}
