/**
 * Time for the scripts. Waits (AgentCore's ENIs: up to 8 hours; mount targets: up to 30 minutes) go through
 * a Clock so they can be tested in virtual time, also when the scripts run as processes: with
 * AGENTCORE_INFRA_CLOCK_FILE set, `now` is the number of milliseconds in that file and `sleep` moves it
 * forward instead of waiting. The test harness (test/fake-aws/) and its fake AWS world share the file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export interface Clock {
  now(): number;
  sleep(milliseconds: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Names a file holding virtual epoch milliseconds (tests only; never set it against a real account). */
export const CLOCK_FILE_VARIABLE = "AGENTCORE_INFRA_CLOCK_FILE";

/** Virtual time kept in a file, so that every process of a test (scripts, stand-in tools, fake AWS) agrees. */
export function fileClock(file: string): Clock {
  const read = () => {
    const value = Number(readFileSync(file, "utf8").trim());
    if (!Number.isFinite(value)) throw new Error(`${CLOCK_FILE_VARIABLE} file ${file} does not hold a number of milliseconds`);
    return value;
  };
  return {
    now: read,
    async sleep(milliseconds) {
      const target = read() + Math.max(0, milliseconds);
      // Another process may have moved time further meanwhile: time never goes back.
      const current = read();
      if (target > current) {
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, String(target));
        renameSync(temporary, file);
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** The real clock, or the virtual one a test harness names in AGENTCORE_INFRA_CLOCK_FILE. */
export function clockFromEnvironment(env: NodeJS.ProcessEnv = process.env): Clock {
  const file = env[CLOCK_FILE_VARIABLE];
  if (file === undefined || file === "") return realClock;
  if (!existsSync(file)) throw new Error(`${CLOCK_FILE_VARIABLE} names ${file}, which does not exist`);
  return fileClock(file);
}
