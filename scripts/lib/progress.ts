/**
 * The live view of running steps: redrawn in place on a terminal, one line per change otherwise (CI logs).
 */
import { formatStates, type StepState } from "./steps.ts";

export interface ProgressView {
  update(states: readonly StepState[]): void;
  /** Output of a running step, shown without breaking the view. */
  log(line: string): void;
  stop(): void;
}

export function progressView(stream: NodeJS.WriteStream = process.stderr, clock: () => number = () => performance.now()): ProgressView {
  if (!stream.isTTY) {
    let last = new Map<string, string>();
    return {
      update(states) {
        // Format all steps together so the columns line up, then print the lines whose state changed.
        const lines = formatStates(states, clock()).split("\n");
        states.forEach((s, i) => {
          if (last.get(s.id) !== s.status && s.status !== "pending") stream.write(`${lines[i]}\n`);
        });
        last = new Map(states.map((s) => [s.id, s.status]));
      },
      log(line) {
        stream.write(`    ${line}\n`);
      },
      stop() {},
    };
  }
  let latest: readonly StepState[] = [];
  // Terminal rows the view occupies: a line longer than the terminal is wide wraps onto more rows, and moving the
  // cursor up by lines instead of rows left the top of the old view on screen (a failure line printed 7 times).
  let drawn = 0;
  const draw = () => {
    const text = formatStates(latest, clock());
    stream.write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ""}${text}\n`);
    drawn = terminalRows(text, stream.columns);
  };
  const timer = setInterval(draw, 1000);
  timer.unref();
  return {
    update(states) {
      latest = states;
      draw();
    },
    log(line) {
      // Step output scrolls above the view: erase the view, print the line, redraw.
      stream.write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ""}    ${line}\n`);
      drawn = 0;
      draw();
    },
    stop() {
      clearInterval(timer);
      draw();
    },
  };
}

/**
 * The rows `text` takes on a terminal `columns` wide: each line at least one, plus one per further `columns`
 * characters it wraps onto (escape sequences take no room; a line exactly `columns` wide takes one row, the cursor
 * waiting at its end until the newline).
 */
export function terminalRows(text: string, columns: number | undefined): number {
  const width = columns && columns > 0 ? columns : Number.POSITIVE_INFINITY;
  // eslint-disable-next-line no-control-regex
  const visible = (line: string) => [...line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")].length;
  return text.split("\n").reduce((rows, line) => rows + Math.max(1, Math.ceil(visible(line) / width)), 0);
}
