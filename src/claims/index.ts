/**
 * Claim cells: check a theorem's prediction against a measurement, record and display the verdict, throw
 * `ClaimError` when it fails.
 * @module
 */
export * from "./claim";
