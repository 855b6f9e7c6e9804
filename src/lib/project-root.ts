// Finds the project's root folder (the one holding package.json), from src/ under vitest or dist/src/ when built.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function projectRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('project root (a folder with package.json) not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
