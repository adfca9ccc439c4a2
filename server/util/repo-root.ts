/**
 * The repository (or install) root, wherever this module runs from: `server/util/` in the sources (tsx), or
 * `dist-server/server/util/` in the production build (`npm run build`), whose root is the folder holding
 * `dist-server/` (where `dist/`, the app package, also lives).
 */
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root above `server/`, stepping out of `dist-server/` when running compiled. */
export function repoRootOf(moduleUrl: string, levelsUp: number): string {
  const up = resolve(dirname(fileURLToPath(moduleUrl)), ...Array<string>(levelsUp).fill('..'));
  return basename(up) === 'dist-server' ? dirname(up) : up;
}

export const REPO_ROOT = repoRootOf(import.meta.url, 2);
