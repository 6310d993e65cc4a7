// Types of actq/export: deployment formats for a Lut (pure formatting, no wasm).
import type { Lut } from './index.js';

export interface ExportOptions {
  /** actq version recorded in the output (the CLI passes package.json's); default '(version unknown)' */
  version?: string;
}
export interface CHeaderOptions extends ExportOptions {
  /** C identifier prefix, sanitized with cIdentifier(); default `<activation>_lut` */
  name?: string;
  /** the activation's formula (aq.activation(name).formula), quoted in the comment block */
  formula?: string;
}

/** A C99 header: include guard, qparams as macros, `static const` table (16 codes a line),
 *  a `static inline <name>_lookup(q)` helper and a comment saying how it was made.
 *  Deterministic: the same Lut and options give the same bytes. */
export function lutToC(lut: Lut, options?: CHeaderOptions): string;
/** JSON with the Lut's field names (name, params, inQp, outQp, table) plus qmin, qmax, generator. */
export function lutToJson(lut: Lut, options?: ExportOptions): string;
/** CSV rows in_code,in_value,out_code,out_value after `# key=value` comment lines with the qparams. */
export function lutToCsv(lut: Lut, options?: ExportOptions): string;

/** A valid C identifier: other characters become '_', a leading digit or keyword gets `actq_`. */
export function cIdentifier(name: string): string;
/** The exact decimal expansion of a double, e.g. 0.1 -> '0.1000000000000000055511151231257827021181583404541015625'. */
export function exactDecimal(x: number): string;
/** C99 hex float literal, as printf("%a") prints it, e.g. 0.0625 -> '0x1p-4'. */
export function hexFloat(x: number): string;
