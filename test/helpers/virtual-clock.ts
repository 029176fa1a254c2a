/**
 * Virtual time for in-process tests: `sleep` resolves only when `run` advances the clock, which it does once
 * every task is waiting on it, so concurrent waits overlap exactly as they would in real time and an 8-hour wait
 * takes no real time. (The end-to-end tests, where the scripts run as processes, use the fake world's clock
 * file instead: test/fake-aws/README.md.)
 */
import type { Clock } from "../../scripts/lib/clock.ts";

export class VirtualClock implements Clock {
  private time = 0;
  private timers: { at: number; resolve: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => this.timers.push({ at: this.time + milliseconds, resolve }));
  }

  advance(milliseconds: number): void {
    this.time += milliseconds;
  }

  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const outcome = work.finally(() => {
      settled = true;
    });
    outcome.catch(() => {});
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return outcome;
      if (this.timers.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (settled) return outcome;
        if (this.timers.length === 0) throw new Error("virtual clock: work is stuck without waiting on the clock");
        continue;
      }
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
  }
}
