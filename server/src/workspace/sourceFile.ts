// Turning bytes into source text, or into one clear reason why a file is not analyzed.
import * as fs from 'node:fs';

/**
 * Larger sources are not analyzed. Tree-sitter's WASM heap aborts somewhere past 20 MB of Python,
 * and a 10 MB file already takes seconds and more than a gigabyte; Python that large is generated.
 */
export const MAX_SOURCE_LENGTH = 10 * 1024 * 1024;

export type SourceText = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 (a BOM is dropped); binary data and invalid UTF-8 give a reason instead. */
export function decodeSource(bytes: Uint8Array): SourceText {
  if (bytes.length > MAX_SOURCE_LENGTH) return { ok: false, reason: tooLarge(bytes.length) };
  if (bytes.indexOf(0) !== -1) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
}

/** Reads and decodes a file; a file that vanished or cannot be read gives a reason, not an exception. */
export function readSourceFile(path: string): SourceText {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    return { ok: false, reason: describeFsError(err) };
  }
  return decodeSource(bytes);
}

/** Why an in-memory text (an editor's document) is not analyzed, or undefined when it is fine. */
export function checkSourceText(text: string): string | undefined {
  if (text.length > MAX_SOURCE_LENGTH) return tooLarge(text.length);
  if (text.includes('\0')) return 'binary content (contains NUL characters)';
  return undefined;
}

function tooLarge(size: number): string {
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  return `file too large to analyze (${mb(size)} MB; the limit is ${mb(MAX_SOURCE_LENGTH)} MB)`;
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
