// Errors as a user of the command line should read them: where (file, tensor, byte offset, row and
// column) and what, without the library's internal function names; file-system failures as such.
import type { DdsError } from "../entry/node.js";

/** The library's internal names a message may start with (its public `op` or a step inside it). */
const INTERNAL = /^(?:[A-Z]\w*\.\w+|readOpened|readCheckpoint|fileSource|openTensors|loadInto|load|loadRaw|inspect|layerReading|spectrum|activation|svdvals|gram|eigvalsh|nullCompare|decode\w*): /;

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory", EACCES: "permission denied", EPERM: "operation not permitted", EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory", EEXIST: "it already exists", ENOSPC: "no space left on the device",
  EROFS: "read-only file system", EMFILE: "too many open files", ENAMETOOLONG: "the name is too long", EBUSY: "the file is busy",
};

/** "no such file or directory" for a Node system error, else its own message. */
export function reasonOf(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === "string" && REASONS[code]) return REASONS[code]!;
  const m = /^E[A-Z]+: ([^,]+)/.exec((e as Error)?.message ?? "");
  return m ? m[1]! : String((e as Error)?.message ?? e);
}

/** A Node file-system error (one with a system `code` and a `path`), worded for the user; else undefined. */
export function fileSystemError(e: unknown): string | undefined {
  const err = e as { code?: unknown; path?: unknown; syscall?: unknown };
  if (typeof err?.code !== "string" || !/^E[A-Z]+$/.test(err.code) || typeof err.path !== "string") return undefined;
  const verb = err.syscall === "mkdir" ? "cannot create the folder" : err.syscall === "open" || err.syscall === "write" ? "cannot write" : "cannot access";
  return `${verb} ${err.path}: ${reasonOf(e)}`;
}

/** A library error as the CLI prints it: `dds: FILE: tensor "T", byte offset O: what`. */
export function describeError(e: DdsError): string {
  let msg = e.message;
  for (let i = 0; i < 3 && INTERNAL.test(msg); i++) msg = msg.replace(INTERNAL, "");
  const where: string[] = [];
  if (e.file) {
    if (msg.startsWith(`${e.file}: `)) msg = msg.slice(e.file.length + 2);
    if (!msg.includes(e.file)) where.push(e.file);
  }
  if (e.tensor !== undefined && !msg.includes(JSON.stringify(e.tensor))) where.push(`tensor ${JSON.stringify(e.tensor)}`);
  if (e.offset !== undefined && !/offset/.test(msg)) where.push(`byte offset ${e.offset}`);
  if (e.row !== undefined && e.col !== undefined && !/row/.test(msg)) where.push(`row ${e.row}, column ${e.col}`);
  // a system error inside (cannot open: ENOENT: no such file or directory, open 'x') in plain words
  msg = msg.replace(/(E[A-Z]+): ([^,]+), \w+ '[^']*'/, "$2");
  return `dds: ${where.length ? `${where.join(", ")}: ` : ""}${msg}`;
}
