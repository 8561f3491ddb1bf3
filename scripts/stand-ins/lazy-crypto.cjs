// conf imports node:crypto at load time for its encryptionKey option, which aigw does not use; loading it
// costs ~10 ms on every command that reads a profile. This loads the real module on first use instead.
module.exports = new Proxy({}, { get: (_, key) => require('node:crypto')[key] });
