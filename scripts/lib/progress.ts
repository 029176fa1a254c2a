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
  let drawn = 0;
  const draw = () => {
    const text = formatStates(latest, clock());
    stream.write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ""}${text}\n`);
    drawn = text.split("\n").length;
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
