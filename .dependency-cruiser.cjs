// The import rules the layout promises (README "Development"), checked by `npm run deps` and test/unit/dependency-rules.test.ts.
// Paths are relative to the folder cruised from (the repository root); type-only imports count like any other.

/** What the workflow may import from node_modules: validation and phone numbers, nothing that does I/O. */
const PURE_PACKAGES = ['zod', 'libphonenumber-js'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'workflow-is-pure',
      comment:
        'src/workflow/ holds the rules and the ports they need; adapters (highlevel/, messaging/, store/), frameworks '
        + '(express, better-sqlite3, pg, axios, twilio, pino) and node built-ins (node:http …) plug in from outside, '
        + 'so the rules are tested without I/O and a second engine or provider changes no rule.',
      severity: 'error',
      from: { path: '^src/workflow/' },
      to: {
        pathNot: [
          '^src/workflow/',
          '^src/lib/',
          ...PURE_PACKAGES.map((name) => `^node_modules/${name}/`),
        ],
      },
    },
    {
      name: 'store-imports-no-vendor-adapter',
      comment:
        'src/store/ is the SQL adapter behind the workflow\'s ports: it may know the ports (workflow/), lib/ and the '
        + 'queue port (scheduler/queue-port.ts), never HighLevel, Twilio, HTTP, job kinds, the CLI or the sandbox.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: ['^src/(highlevel|messaging|http|jobs|cli|sandbox)/', '^src/scheduler/(?!queue-port\\.ts$)'] },
    },
    {
      name: 'adapters-do-not-import-the-composition-root',
      comment:
        'src/compose.ts builds everything; what it builds must not reach back for it (that is a hidden global). '
        + 'Only the entry points start it: src/main.ts, the CLI, the sandbox, and tests/bench.',
      severity: 'error',
      from: { pathNot: ['^src/main\\.ts$', '^src/cli/', '^src/sandbox/', '^test/', '^bench/'] },
      to: { path: '^src/compose\\.ts$' },
    },
    {
      name: 'no-circular',
      comment:
        'A cycle means two modules are one module in two files: neither can be understood, tested or moved alone. '
        + 'Type-only imports count too (they are design dependencies).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-is-a-leaf',
      comment:
        'src/lib/ is the toolbox every layer may use (clock, logger, crypto, phone); it imports nothing else from src/ '
        + 'so using it never drags a layer in.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies of the design even though the compiler erases them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Imports name the compiled .js file (module NodeNext); the source next to it is the .ts one.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
