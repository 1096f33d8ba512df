import type { Readable } from 'node:stream';

export interface AudioResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  body: Readable | null;
}

/** An HTTP answer for `total` bytes of `mimeType`, whole or the range asked for; `read` streams bytes [start, end]. */
export function rangeResponse(total: number, mimeType: string, rangeHeader: string | undefined, read: (start: number, end: number) => Readable): AudioResponse {
  const base = { 'content-type': mimeType, 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
  const range = parseRange(rangeHeader, total);
  if (range === 'unsatisfiable') return { status: 416, headers: { ...base, 'content-range': `bytes */${total}` }, body: null };
  const [start, end] = range ?? [0, total - 1];
  const headers = { ...base, 'content-length': String(end - start + 1), ...(range ? { 'content-range': `bytes ${start}-${end}/${total}` } : {}) };
  return { status: range ? 206 : 200, headers, body: read(start, end) };
}

/** bytes=a-b, a-, -n; multiple ranges are answered with the first. null: no (usable) Range header. */
export function parseRange(header: string | undefined, total: number): [number, number] | null | 'unsatisfiable' {
  const found = header && /^bytes=(\d*)-(\d*)/.exec(header.trim());
  if (!found || (found[1] === '' && found[2] === '')) return null;
  let start: number;
  let end: number;
  if (found[1] === '') {
    start = Math.max(0, total - Number(found[2]));
    end = total - 1;
  } else {
    start = Number(found[1]);
    end = found[2] === '' ? total - 1 : Math.min(total - 1, Number(found[2]));
  }
  return start >= total || start > end ? 'unsatisfiable' : [start, end];
}
