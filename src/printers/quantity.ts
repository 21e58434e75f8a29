// Quantities live with the API (the server canonicalises them); the printers use the same code.
export * from '../api/quantity.js';
