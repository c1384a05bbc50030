// The layers of src/, bottom to top: a module may import its own layer and those below it, never one above.
// `npm test` runs this (npm run lint:layers); docs/layers.md explains each layer.
const LAYERS = [
  ['base', '^src/(core|sample|results)/|^src/paths\\.ts$'],
  ['transport', '^src/transport/'],
  ['protocol', '^src/protocol/'],
  ['toolchains', '^src/(go|wasm|compiled-in|sandbox)/'],
  ['rows', '^src/mechanisms/'],
  ['measure', '^src/measure/'],
  ['report', '^src/report/'],
  ['render', '^src/render/'],
  ['entry points', '^src/(commands|hosts)/|^src/(base-command|compare-flags)\\.ts$'],
]

const upward = LAYERS.slice(0, -1).map(([name, path], index) => ({
  name: `${name.replace(' ', '-')}-not-up`,
  severity: 'error',
  comment: `${name} must not import a layer above it (${LAYERS.slice(index + 1).map(([above]) => above).join(', ')})`,
  from: {path},
  to: {path: LAYERS.slice(index + 1).map(([, above]) => above)},
}))

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {name: 'no-circular', severity: 'error', comment: 'an import cycle', from: {path: '^src/'}, to: {circular: true}},
    ...upward,
    {
      name: 'render-only-reads-reports',
      severity: 'error',
      comment: 'renderers are pure functions of report data: no rows, no measuring, no processes',
      from: {path: '^src/render/'},
      to: {path: '^src/(mechanisms|measure|transport|go|wasm|compiled-in|sandbox)/'},
    },
    {
      name: 'render-only-protocol-types',
      severity: 'error',
      comment: "renderers may name the types of the protocol's reports (probe's conformance checks), never run its code",
      from: {path: '^src/render/'},
      to: {path: '^src/protocol/', dependencyTypesNot: ['type-only']},
    },
    {
      name: 'entry-points-not-imported',
      severity: 'error',
      comment: 'commands, hosts and the bench runner are programs: nothing imports them',
      from: {},
      to: {path: '^src/(commands|hosts)/|^src/measure/runner\\.ts$'},
    },
    {name: 'not-to-unresolvable', severity: 'error', comment: 'an import of a file that does not exist', from: {path: '^src/'}, to: {couldNotResolve: true}},
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    exclude: {path: '^(dist|node_modules)/'},
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    enhancedResolveOptions: {exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default']},
  },
}
