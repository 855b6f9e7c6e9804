// `npm run bench:ab -- <scenario> <git revision> [pairs]`: the same scenario on two builds, alternated, so that a
// change is compared with the build before it in the same half hour of a shared machine, whose speed moves every
// absolute figure by a third. The revision is built in a temporary git worktree (this checkout's node_modules
// linked in), this working tree in dist/; then `pairs` rounds (default 3), each running both builds, the order
// swapped every round. Prints each numeric figure's values per build and their medians; the worktree is removed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './support/load.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [scenario, revision, pairsArg = '3'] = process.argv.slice(2);
const pairs = Number(pairsArg);
if (!scenario || !revision || !Number.isInteger(pairs) || pairs < 1) {
  console.error('usage: npm run bench:ab -- <scenario> <git revision> [pairs, default 3]');
  process.exit(2);
}

const run = (command, args, cwd = ROOT) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const commit = run('git', ['rev-parse', '--verify', `${revision}^{commit}`]).trim();
const worktree = join(mkdtempSync(join(tmpdir(), 'textback-ab-')), 'base');

/** `name: value` lines of one run whose value starts with a number, as name → number. */
function figuresOf(output) {
  const figures = new Map();
  for (const line of output.split('\n')) {
    const match = /^([^#].*?): (-?\d+(?:\.\d+)?)/.exec(line);
    if (match) figures.set(match[1], Number(match[2]));
  }
  return figures;
}

function runScenario(dist) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bench', 'run.js'), scenario], {
    cwd: ROOT, env: { ...process.env, BENCH_DIST: dist }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${scenario} failed on ${dist}:\n${result.stderr}`);
  return figuresOf(result.stdout);
}

try {
  console.log(`# A/B of ${scenario}: ${commit.slice(0, 10)} (base) against this working tree (new), ${pairs} pair(s)`);
  run('git', ['worktree', 'add', '--detach', worktree, commit]);
  symlinkSync(join(ROOT, 'node_modules'), join(worktree, 'node_modules'));
  run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], worktree);
  run(process.execPath, [tsc, '-p', 'tsconfig.build.json']);
  const builds = { base: join(worktree, 'dist', 'src'), new: join(ROOT, 'dist', 'src') };
  const results = { base: [], new: [] };
  for (let pair = 0; pair < pairs; pair += 1) {
    for (const side of pair % 2 === 0 ? ['base', 'new'] : ['new', 'base']) {
      results[side].push(runScenario(builds[side]));
      console.log(`# pair ${pair + 1}: ${side} done`);
    }
  }
  // A median of two values is their mean: printed to the values' own precision (0.885, not 0.8849999999999999).
  const decimals = (value) => (String(value).split('.')[1] ?? '').length;
  const shown = (value, values) => Number(value.toFixed(Math.max(...values.map(decimals)) + 1));
  for (const name of results.new[0].keys()) {
    const values = (side) => results[side].map((figures) => figures.get(name)).filter((value) => value !== undefined);
    const base = values('base');
    const next = values('new');
    if (base.length === 0) continue;
    console.log(`${name}: base ${base.join(' / ')} (median ${shown(median(base), base)}) · new ${next.join(' / ')} (median ${shown(median(next), next)})`);
  }
} finally {
  // The link first, on its own: nothing below may reach into this checkout's node_modules.
  rmSync(join(worktree, 'node_modules'), { force: true });
  spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: ROOT });
  rmSync(dirname(worktree), { recursive: true, force: true });
}
