// A progress bar on stderr, shown only on a TTY (never in pipes, CI logs or with --json to stdout):
// files done of the files given, and within a large file the bytes of X and Γ read so far.

export interface Progress {
  /** One file finished. */
  tick(label: string): void;
  /** Within the current file: `done` of `total` stored bytes read (drawn for files ≥ 64 MiB). */
  part(label: string, done: number, total: number): void;
  done(): void;
}

const LARGE = 64 * 2 ** 20;

export function progress(total: number, enabled: boolean): Progress {
  const on = enabled && process.stderr.isTTY === true;
  let n = 0;
  let drawn = false;
  let last = 0;
  const draw = (label: string, frac: number, extra = ""): void => {
    const width = 28;
    const filled = Math.min(width, Math.round(((n + frac) / total) * width));
    process.stderr.write(`\r[${"█".repeat(filled)}${"·".repeat(width - filled)}] ${n}/${total} ${label.slice(0, 40).padEnd(40)}${extra}`);
    drawn = true;
  };
  return {
    tick(label: string) {
      n++;
      if (on && total > 1) draw(label, 0);
    },
    part(label: string, done: number, bytes: number) {
      if (!on || bytes < LARGE) return;
      const now = Date.now();
      if (done < bytes && now - last < 100) return;
      last = now;
      draw(label, done / bytes, ` ${(done / 2 ** 20).toFixed(0)}/${(bytes / 2 ** 20).toFixed(0)} MiB`);
    },
    done() {
      if (on && drawn) process.stderr.write(`\r${" ".repeat(100)}\r`);
    },
  };
}
