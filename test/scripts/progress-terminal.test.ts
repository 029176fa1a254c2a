/**
 * The live progress view in a real terminal: tmux at 80 columns, the view driven as deploy drives it (steps change,
 * step output scrolls above the view, a step fails with a line longer than the terminal is wide), the screen read
 * back with capture-pane. Each line must appear once: a wrapped line used to leave the top of the old view behind
 * (a failure line printed 7 times in a 100-column terminal). Where tmux is missing, the same drive runs through a
 * minimal terminal model (wrapping, cursor-previous-line, erase-below), and terminalRows is checked directly.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { progressView, terminalRows } from "../../scripts/lib/progress.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FAILURE =
  "Error: creating Bedrock AgentCore Agent Runtime (dev_agent): operation error Bedrock AgentCore Control: CreateAgentRuntime, https response error StatusCode: 400, ValidationException: Role validation failed for arn:aws:iam::123456789012:role/dev-agent-execution";

/** The drive, as a module a process runs: what deploy does to the view. */
const DRIVE = `
import { progressView } from ${JSON.stringify(join(ROOT, "scripts/lib/progress.ts"))};
const view = progressView(process.stderr, () => 5000);
const states = (agent, detail) => [
  { id: "network", label: "dev-network", status: "done", startedAt: 0, endedAt: 3000 },
  { id: "agent", label: "dev-agent", status: agent, startedAt: 1000, ...(agent === "failed" ? { endedAt: 4000 } : {}), ...(detail ? { detail } : {}) },
];
view.update(states("running"));
for (let i = 1; i <= 3; i++) view.log("[agent] Still creating... (" + i + "0s elapsed)");
view.update(states("failed", ${JSON.stringify(FAILURE)}));
for (let i = 4; i <= 6; i++) view.log("[agent] output line " + i);
view.update(states("failed", ${JSON.stringify(FAILURE)}));
view.stop();
process.stderr.write("END-OF-RUN\\n");
`;

function expectEachLineOnce(screen: string): void {
  const lines = screen.split("\n").filter((l) => l.trim() !== "");
  expect(lines.at(-1)).toBe("END-OF-RUN");
  expect(lines.filter((l) => l.includes("Error: creating Bedrock AgentCore"))).toHaveLength(1);
  expect(lines.filter((l) => l.includes("dev-network"))).toHaveLength(1);
  expect(lines.filter((l) => l.includes("dev-agent") && l.includes("running"))).toHaveLength(0);
  for (const n of [1, 2, 3]) expect(lines.filter((l) => l.includes(`(${n}0s elapsed)`))).toHaveLength(1);
  for (const n of [4, 5, 6]) expect(lines.filter((l) => l.includes(`output line ${n}`))).toHaveLength(1);
  expect(lines.join("")).toContain("role/dev-agent-execution");
}

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

describe("the live progress view in a terminal 80 columns wide", () => {
  it.skipIf(!hasTmux)("tmux: every line once, the wrapped failure line whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), "progress-tmux-"));
    writeFileSync(join(dir, "drive.mjs"), DRIVE);
    const session = `progress-${process.pid}`;
    execFileSync("tmux", ["new-session", "-d", "-s", session, "-x", "80", "-y", "50", `${JSON.stringify(process.execPath)} ${JSON.stringify(join(dir, "drive.mjs"))}; sleep 60`]);
    try {
      let screen = "";
      for (let i = 0; i < 100 && !screen.includes("END-OF-RUN"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        // The visible screen (50 rows hold the whole run); -J joins the rows a wrapped line takes back into that line.
        // Not the history: tmux (scroll-on-clear, on by default) moves a screen cleared from its top row into it.
        screen = execFileSync("tmux", ["capture-pane", "-p", "-J", "-t", session], { encoding: "utf8" });
      }
      expectEachLineOnce(screen);
      expect(screen.split("\n").find((l) => l.includes("Error: creating"))).toContain(FAILURE);
    } finally {
      spawnSync("tmux", ["kill-session", "-t", session]);
    }
  }, 30_000);

  it("a terminal model (wrapping, ESC[nF, ESC[J): every line once", () => {
    const screen: string[] = [""];
    let row = 0;
    const COLUMNS = 80;
    const stream = {
      isTTY: true,
      columns: COLUMNS,
      write(text: string) {
        // eslint-disable-next-line no-control-regex
        for (const part of text.split(/(\x1b\[\d*[FJ]|\n)/).filter(Boolean)) {
          // eslint-disable-next-line no-control-regex
          const move = /^\x1b\[(\d*)F$/.exec(part);
          if (move) row = Math.max(0, row - Number(move[1] || 1));
          else if (part === "\x1b[J") screen.splice(row, screen.length - row, "");
          else if (part === "\n") {
            row++;
            screen[row] ??= "";
          } else {
            for (const ch of part) {
              if (screen[row]!.length === COLUMNS) screen[++row] = screen[row] ?? "";
              screen[row] += ch;
            }
          }
        }
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    const view = progressView(stream, () => 5000);
    const states = (agent: "running" | "failed", detail?: string) => [
      { id: "network", label: "dev-network", status: "done" as const, startedAt: 0, endedAt: 3000 },
      { id: "agent", label: "dev-agent", status: agent, startedAt: 1000, ...(agent === "failed" && { endedAt: 4000 }), ...(detail && { detail }) },
    ];
    view.update(states("running"));
    for (let i = 1; i <= 3; i++) view.log(`[agent] Still creating... (${i}0s elapsed)`);
    view.update(states("failed", FAILURE));
    for (let i = 4; i <= 6; i++) view.log(`[agent] output line ${i}`);
    view.update(states("failed", FAILURE));
    view.stop();
    stream.write("END-OF-RUN\n");
    // Join the rows a wrapped line took (each full row continues on the next), as tmux -J does.
    const joined = screen.reduce<string[]>((out, r, i) => (i > 0 && screen[i - 1]!.length === COLUMNS ? [...out.slice(0, -1), out.at(-1)! + r] : [...out, r]), []);
    expectEachLineOnce(joined.join("\n"));
  });

  it("counts the rows a line wraps onto", () => {
    expect(terminalRows("short\nline", 80)).toBe(2);
    expect(terminalRows("x".repeat(80), 80)).toBe(1);
    expect(terminalRows("x".repeat(81), 80)).toBe(2);
    expect(terminalRows(`\x1b[31m${"x".repeat(80)}\x1b[0m`, 80)).toBe(1);
    expect(terminalRows("x".repeat(250), 100)).toBe(3);
    expect(terminalRows("x".repeat(250), undefined)).toBe(1);
  });
});
