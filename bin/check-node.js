// The oldest Node.js aigw runs on: node:sqlite unflagged, and what the dependencies require.
export const MINIMUM_NODE = '22.22.2';

/** Returns a one-line complaint when `version` (e.g. "20.20.2") is older than the minimum, else null. */
export function checkNode(version) {
  const have = version.split('.').map(Number);
  const need = MINIMUM_NODE.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) > need[i]) return null;
    if ((have[i] ?? 0) < need[i]) {
      return `aigw requires Node.js ${MINIMUM_NODE} or newer (24 LTS recommended); this is Node.js ${version}.`;
    }
  }
  return null;
}
