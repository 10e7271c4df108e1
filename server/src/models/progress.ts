import { SingleBar } from 'cli-progress';

/** One file's download progress. */
export interface Progress {
  /** `done` is the byte count so far, including bytes resumed from an earlier run. */
  update(done: number): void;
  stop(): void;
}

/** Where a pull reports what it is doing: status lines and per-file progress. */
export interface Reporter {
  info(line: string): void;
  start(label: string, total: number | undefined, done: number): Progress;
}

/** Decimal units, as download sizes are usually quoted: `63.2 MB`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

export interface ReporterOptions {
  /** Draw a cli-progress bar (a terminal) or print plain lines (logs, CI). Default: `stream.isTTY`. */
  tty?: boolean;
  /** Plain mode prints at most one progress line per interval; default 2000 ms. */
  intervalMs?: number;
  now?: () => number;
}

/** Reports to a terminal with a progress bar, or to a log with periodic plain lines. */
export function streamReporter(stream: NodeJS.WritableStream & { isTTY?: boolean }, options: ReporterOptions = {}) {
  const tty = options.tty ?? stream.isTTY === true;
  const intervalMs = options.intervalMs ?? 2000;
  const now = options.now ?? Date.now;
  const reporter: Reporter = {
    info: (line) => {
      stream.write(`${line}\n`);
    },
    start: (label, total, done) =>
      tty && total !== undefined
        ? barProgress(stream, label, total, done)
        : plainProgress(stream, label, total, done, intervalMs, now),
  };
  return reporter;
}

function plainProgress(
  stream: NodeJS.WritableStream,
  label: string,
  total: number | undefined,
  done: number,
  intervalMs: number,
  now: () => number,
): Progress {
  const of = (n: number) =>
    total === undefined ? formatBytes(n) : `${formatBytes(n)} of ${formatBytes(total)} (${percent(n, total)}%)`;
  const started = now();
  let last = started;
  let current = done;
  const what =
    done > 0 ? `resuming at ${of(done)}` : total === undefined ? 'downloading' : `downloading ${formatBytes(total)}`;
  stream.write(`${label}: ${what}\n`);
  return {
    update: (n) => {
      current = n;
      const t = now();
      if (t - last < intervalMs) return;
      last = t;
      stream.write(`${label}: ${of(n)}\n`);
    },
    stop: () => {
      const seconds = (now() - started) / 1000;
      stream.write(`${label}: ${of(current)} in ${seconds.toFixed(1)} s\n`);
    },
  };
}

const percent = (n: number, total: number) => (total > 0 ? Math.floor((100 * n) / total) : 100);

function barProgress(stream: NodeJS.WritableStream, label: string, total: number, done: number): Progress {
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {doneText} of {totalText} | {rate}`,
    hideCursor: true,
    clearOnComplete: false,
  });
  const started = Date.now();
  const resumedFrom = done;
  const payload = (n: number) => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    return {
      doneText: formatBytes(n),
      totalText: formatBytes(total),
      rate: `${formatBytes(Math.round((n - resumedFrom) / seconds))}/s`,
    };
  };
  bar.start(total, done, payload(done));
  return {
    update: (n) => bar.update(n, payload(n)),
    stop: () => bar.stop(),
  };
}
