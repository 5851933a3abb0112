/** Saves text as a file the user downloads (web and desktop alike: the browser's or Electron's save flow). */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once started; keep the URL a moment for slow starts.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Opens an HTML document in a new tab for reading and printing. Returns false when the shell
 * refuses new windows (the desktop app allows none); the caller then shows it inside the app.
 */
export function openHtmlInNewTab(html: string): boolean {
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  const win = window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return win !== null;
}

export async function readFileText(file: File): Promise<string> {
  return file.text();
}

export async function readFileBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}
