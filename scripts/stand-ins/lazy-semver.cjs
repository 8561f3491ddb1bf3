// conf imports semver at load time for its migrations, which aigw does not use; evaluating it costs ~4 ms
// on every command that reads a profile. This evaluates the real (bundled) module on first use instead.
module.exports = new Proxy({}, { get: (_, key) => require('semver')[key] });
