export const MINIMUM_NODE: string;
/** A one-line complaint when `version` is older than MINIMUM_NODE, else null. */
export function checkNode(version: string): string | null;
