// Our `abort`: records where it was raised, then traps. Routing abort here keeps the module import-free.
// see: AssemblyScript `--use abort=…` (the default would import env.abort from the host).

let abortLine: u32 = 0;
let abortColumn: u32 = 0;

export function ddsAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  abortLine = line;
  abortColumn = column;
  unreachable();
}

/** Source line of the last abort (0 if none): lets the host report an internal assertion precisely. */
export function abort_line(): u32 {
  return abortLine;
}

/** Source column of the last abort. */
export function abort_column(): u32 {
  return abortColumn;
}
