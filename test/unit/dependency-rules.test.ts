// The layout's rules hold (.dependency-cruiser.cjs over src/), can fail (a planted tree breaks each once), and the
// two seams a cruise cannot see hold too: no cast to WorkflowDeps, no SQL outside src/store/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PLANTED = join(ROOT, 'test/fixtures/dependency-violations');
const RULES = ['workflow-is-pure', 'store-imports-no-vendor-adapter', 'adapters-do-not-import-the-composition-root', 'no-circular', 'lib-is-a-leaf'];

/** Cruises `src` under `baseDir` with the repository's rules; paths in the result are relative to `baseDir`. */
async function violationsUnder(baseDir: string): Promise<IViolation[]> {
  const options: ICruiseOptions = { ...(await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'))), baseDir };
  const tsConfig = extractTSConfig(join(ROOT, 'tsconfig.json'));
  const { output } = await cruise(['src'], options, undefined, { tsConfig });
  return (output as ICruiseResult).summary.violations;
}

/** One line per violation, as `npm run deps` would name it. */
function describeViolation(violation: IViolation): string {
  const cycle = violation.cycle?.map((step) => step.name).join(' → ');
  return `${violation.rule.name}: ${violation.from} → ${cycle ?? violation.to}`;
}

describe('the dependency rules (.dependency-cruiser.cjs)', () => {
  it('when src/ is cruised, then no rule is broken', async () => {
    const found = (await violationsUnder(ROOT)).map(describeViolation);
    expect(found, `dependency violations (run \`npm run deps\`):\n${found.join('\n')}`).toEqual([]);
  }, 60_000);

  it('when a tree breaks each rule once, then each rule names its break', async () => {
    const found = await violationsUnder(PLANTED);
    const byRule = (name: string) => found.filter((v) => v.rule.name === name).map((v) => `${v.from} → ${v.to}`).sort();
    expect(byRule('workflow-is-pure')).toEqual([
      'src/workflow/reads-store.ts → src/store/reads-highlevel.ts',
      expect.stringMatching(/^src\/workflow\/uses-express\.ts → .*node_modules\/express\//),
    ]);
    expect(byRule('store-imports-no-vendor-adapter')).toEqual([
      'src/store/job-rows.ts → src/scheduler/worker.ts',
      'src/store/reads-highlevel.ts → src/highlevel/client.ts',
    ]);
    expect(byRule('adapters-do-not-import-the-composition-root')).toEqual(['src/http/route.ts → src/compose.ts']);
    expect(byRule('lib-is-a-leaf')).toEqual(['src/lib/leaf.ts → src/workflow/reads-store.ts']);
    // A cycle is reported once, with the modules it runs through.
    const cycles = found.filter((v) => v.rule.name === 'no-circular');
    expect(cycles).toHaveLength(1);
    expect(new Set([cycles[0].from, ...cycles[0].cycle!.map((step) => step.name)])).toEqual(new Set(['src/workflow/cycle-a.ts', 'src/workflow/cycle-b.ts']));
    expect(new Set(found.map((v) => v.rule.name))).toEqual(new Set(RULES));
  }, 60_000);
});

/** Every .ts file under src/, as a path relative to the repository. */
function sourceFiles(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

/** Statements prepared or run on a better-sqlite3 handle (a regex's .exec() is not db.exec()). */
const SQL_CALL = /\.(?:prepare|pragma|transaction)\(|\bdb\.exec\(/g;
const WORKFLOW_DEPS_CAST = /\bas\s+WorkflowDeps\b/g;

function occurrences(pattern: RegExp, files: string[]): string[] {
  return files.flatMap((file) => readFileSync(join(ROOT, file), 'utf8').split('\n').flatMap((line, index) =>
    (line.match(pattern) ?? []).map((hit) => `${file}:${index + 1}: ${hit}`)));
}

describe('seams the import graph cannot show', () => {
  it('when the patterns meet the code they look for, then they match it', () => {
    const sample = "db.prepare('SELECT 1'); db.pragma('quick_check'); db.transaction(() => {}); db.exec(sql); /x/.exec(s); deps as WorkflowDeps;";
    expect(sample.match(SQL_CALL)).toHaveLength(4);
    expect(sample.match(WORKFLOW_DEPS_CAST)).toHaveLength(1);
  });

  it('when src/ is scanned, then nothing is cast to WorkflowDeps', () => {
    expect(occurrences(WORKFLOW_DEPS_CAST, sourceFiles())).toEqual([]);
  });

  it('when src/ is scanned, then only src/store/ prepares, runs or configures SQL', () => {
    const outsideStore = sourceFiles().filter((file) => !file.startsWith(join('src', 'store') + '/'));
    expect(outsideStore.length).toBeGreaterThan(50);
    expect(occurrences(SQL_CALL, outsideStore)).toEqual([]);
  });
});
