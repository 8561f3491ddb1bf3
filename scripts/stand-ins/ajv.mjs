// Stands in for ajv and ajv-formats inside the CLI bundle. conf imports them at load time, but only uses
// them for its `schema` option, which aigw does not pass (it checks its files' shape itself); bundled,
// they cost ~150 KB and ~30 ms on every start. Loud if that ever changes, instead of validating nothing.
export class Ajv2020 {
  constructor() {
    throw new Error("ajv is left out of aigw's bundle: conf's schema option is not supported here");
  }
}
export default { default: () => {} };
