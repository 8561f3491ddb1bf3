// Profile names with a meaning of their own. Kept apart from profiles.ts so that importing them does not
// load the config-file library (start-up time).
export const LOCAL_PROFILE = 'local';
export const DEFAULT_PROFILE = 'default';
/** The account `aigw proxy` serves unless started with --account-id: the built-in local profile's account. */
export const LOCAL_ACCOUNT = 'local';
