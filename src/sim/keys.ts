// The built-in kinds and object keys, for the simulation (defined in the api layer, which the
// runtime uses too).
export * from '../api/kinds.js';
