/** node:url's fileURLToPath for shared modules that locate files when they load (never opened here). */
export function fileURLToPath(u: string | URL): string {
  return new URL(String(u)).pathname;
}

export function pathToFileURL(p: string): URL {
  return new URL(`file://${p}`);
}

export default { fileURLToPath, pathToFileURL };
