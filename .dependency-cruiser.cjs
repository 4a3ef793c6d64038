/**
 * One direction of imports (see README "Layout"): extractors/ (the domain) imports nothing else
 * of the project; db/ and queues/ import only extractors/ and libraries; src/ sits on top.
 * Rule folders do not import each other: shared pieces live in the token and status-phrase layers
 * and the document context (which is handed the metadata rules' result, and imports no rule).
 * Run by `npm test` (npm run deps); an upward import fails the build.
 */
const RULE_FOLDERS = '(commune-count|commune-group|criteria-list|district-aggregate|indicator-list|metadata|table|target)';

module.exports = {
  forbidden: [
    {
      name: 'extractors-are-the-domain',
      comment: 'extractors/ imports nothing of the project outside extractors/ (no src/, db/, queues/).',
      severity: 'error',
      from: { path: '^extractors/' },
      to: { path: '^(src|db|queues|test|fixtures)/' },
    },
    {
      name: 'db-below-src',
      comment: 'db/ imports only extractors/ and libraries.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(src|queues|test|fixtures)/' },
    },
    {
      name: 'queues-below-src',
      comment: 'queues/ imports only extractors/ and libraries; the pipeline hands its error taxonomy in.',
      severity: 'error',
      from: { path: '^queues/' },
      to: { path: '^(src|db|test|fixtures)/' },
    },
    {
      name: 'src-not-test',
      comment: 'Production code never imports tests or fixture generators.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|fixtures)/' },
    },
    {
      name: 'rule-folders-apart',
      comment: 'A folder of rules does not import another folder of rules: shared pieces go to tokens/ or status-phrase/.',
      severity: 'error',
      from: { path: `^extractors/${RULE_FOLDERS}/` },
      to: { path: `^extractors/${RULE_FOLDERS}/`, pathNot: '^extractors/$1/' },
    },
    {
      name: 'shared-layers-below-rules',
      comment: 'The shared layers (text, tokens, util, status-phrase, context) do not import a folder of rules.',
      severity: 'error',
      from: { path: '^extractors/(text|tokens|util|status-phrase|context)/' },
      to: { path: `^extractors/${RULE_FOLDERS}/` },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves to a file or a package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    // `import type` counts: a type imported upward is still an upward dependency.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json', '.d.ts'] },
  },
};
