// File-system paths behind document URIs.
import { fileURLToPath } from 'node:url';

/**
 * The file a document stands for: itself for `file:` URIs, the notebook for a notebook cell
 * (`vscode-notebook-cell:/dir/nb.ipynb#cell`), none for untitled and virtual documents.
 */
export function uriToPath(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    if (url.protocol === 'file:') return fileURLToPath(url);
    if (url.protocol === 'vscode-notebook-cell:') return fileURLToPath(`file://${url.host}${url.pathname}`);
  } catch {
    // Not a URI we can map to a file.
  }
  return undefined;
}
