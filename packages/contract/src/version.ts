/** The version of the liftwatch wire contract. It is the `v1` in every topic and the `schemaVersion` of every record. */
export const CONTRACT_VERSION = 1 as const;
