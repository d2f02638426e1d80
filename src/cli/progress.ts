// A progress bar on stderr, shown only on a TTY (never in pipes, CI logs or with --json to stdout).

export interface Progress {
  tick(label: string): void;
  done(): void;
}

export function progress(total: number, enabled: boolean): Progress {
  const on = enabled && total > 1 && process.stderr.isTTY === true;
  let n = 0;
  const draw = (label: string): void => {
    const width = 28;
    const filled = Math.round((n / total) * width);
    process.stderr.write(`\r[${"█".repeat(filled)}${"·".repeat(width - filled)}] ${n}/${total} ${label.slice(0, 40).padEnd(40)}`);
  };
  return {
    tick(label: string) {
      n++;
      if (on) draw(label);
    },
    done() {
      if (on) process.stderr.write(`\r${" ".repeat(80)}\r`);
    },
  };
}
