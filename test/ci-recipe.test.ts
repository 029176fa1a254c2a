/**
 * The CI recipe (docs/ci/github-actions.yml), parsed as GitHub Actions reads it (YAML 1.2, the `yaml` package):
 * every command it runs exists — the npm script in package.json, and each flag in that command's own --help — and
 * it does what the README promises: plan on pull requests, deploy on merge, drift nightly, preview torn down on
 * close, one OIDC role per environment.
 */
import { readFileSync } from "node:fs";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = new URL("..", import.meta.url);
const recipe = parse(readFileSync(new URL("docs/ci/github-actions.yml", ROOT), "utf8")) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { if?: string; environment?: string; steps: { run?: string; uses?: string; with?: Record<string, string> }[] }>;
};
const pkg = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as { scripts: Record<string, string> };
/** Commands of branch issue-14a (drift) the recipe calls before that branch is merged: checked once package.json has them. */
const FROM_ISSUE_14A = new Set(["drift"]);

/** Every shell command the recipe runs: `run:` lines, split at `||`, `&&` and `>` redirections. */
function commands(): { job: string; words: string[] }[] {
  return Object.entries(recipe.jobs).flatMap(([job, { steps }]) =>
    steps
      .flatMap((step) => (step.run ?? "").split("\n"))
      .flatMap((line) => line.split(/\|\||&&/))
      .map((command) => command.replace(/>.*$/, "").trim())
      .filter((command) => command !== "" && !command.startsWith("["))
      .map((command) => ({ job, words: command.split(/\s+/) })),
  );
}

const helpCache = new Map<string, Promise<string>>();
const helpOf = (command: string) => {
  if (!helpCache.has(command)) helpCache.set(command, execa(process.execPath, ["--import", "./lib/compile-cache.ts", "scripts/cli.ts", command, "--help"], { cwd: ROOT }).then((r) => r.stdout));
  return helpCache.get(command)!;
};

/** What is wrong with these commands: a script package.json lacks, a flag its command's --help does not name, an unknown --env. */
async function problemsOf(list: { job: string; words: string[] }[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { job, words } of list) {
    const line = `${job}: ${words.join(" ")}`;
    if (words[0] !== "npm") problems.push(`${line}: not an npm command`);
    else if (words[1] === "ci" || words[1] === "test") continue;
    else if (words[1] !== "run") problems.push(`${line}: npm ${words[1]}`);
    else {
      const script = words[2]!;
      if (pkg.scripts[script] === undefined) {
        if (!FROM_ISSUE_14A.has(script)) problems.push(`${line}: no such script`);
        continue;
      }
      const args = words.slice(4);
      const command = /scripts\/cli\.ts (\S+)$/.exec(pkg.scripts[script]!)?.[1];
      if (command === undefined) {
        if (args.length > 0) problems.push(`${line}: the script takes no arguments`);
        continue;
      }
      const help = await helpOf(command);
      for (const flag of args.filter((a) => a.startsWith("--"))) if (!new RegExp(`(^|[\\s\\[(|])${flag}([\\s\\])|=]|$)`, "m").test(help)) problems.push(`${line}: ${command} has no ${flag}`);
      if (args.includes("--env") && !["dev", "staging", "prod", "preview", "${{"].includes(args[args.indexOf("--env") + 1] ?? "")) problems.push(`${line}: unknown environment`);
    }
  }
  return problems;
}

describe("the CI recipe calls only commands that exist, with flags they take", () => {
  it("every npm script is in package.json, and every flag is in its command's --help", async () => {
    const list = commands();
    expect(list.length).toBeGreaterThan(10);
    expect(await problemsOf(list)).toEqual([]);
  }, 60_000);

  it("catches a misspelt flag, a missing script, an argument to a script without one, and an unknown environment", async () => {
    const bad = ["npm run deploy -- --env dev --yess", "npm run deploy-everything", "npm run lint -- --fix", "npm run verify -- --env qa", "npx cdktn deploy"].map((c) => ({ job: "bad", words: c.split(" ") }));
    expect(await problemsOf(bad)).toEqual([
      "bad: npm run deploy -- --env dev --yess: deploy has no --yess",
      "bad: npm run deploy-everything: no such script",
      "bad: npm run lint -- --fix: the script takes no arguments",
      "bad: npm run verify -- --env qa: unknown environment",
      "bad: npx cdktn deploy: not an npm command",
    ]);
  }, 60_000);
});

describe("the CI recipe does what the README says", () => {
  const runs = (job: string) => recipe.jobs[job]!.steps.map((s) => s.run ?? "").join("\n");
  it("plans on pull requests, deploys on merge to main, runs drift nightly, tears the preview down when the pull request closes", () => {
    expect(Object.keys(recipe.on)).toEqual(expect.arrayContaining(["pull_request", "push", "schedule"]));
    expect(recipe.jobs.plan!.if).toContain("pull_request");
    expect(runs("plan")).toMatch(/npm run drift -- --env staging/);
    expect(recipe.jobs.deploy!.if).toBe("github.event_name == 'push'");
    expect(runs("deploy")).toContain("npm run deploy -- --env ${{ matrix.environment }} --yes");
    expect(recipe.jobs.drift!.if).toContain("schedule");
    expect(runs("drift")).toContain("npm run drift -- --env ${{ matrix.environment }}");
    expect(recipe.jobs["preview-teardown"]!.if).toContain("github.event.action == 'closed'");
    expect(runs("preview-teardown")).toMatch(/npm run teardown -- --env preview --yes/);
  });

  it("uses one OIDC role per environment: every job that calls AWS runs in a GitHub environment and assumes its AWS_ROLE_ARN", () => {
    expect(recipe.permissions["id-token"]).toBe("write");
    for (const [name, job] of Object.entries(recipe.jobs)) {
      const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      if (name === "checks") {
        expect(credentials).toBeUndefined();
        continue;
      }
      expect(job.environment, name).toBeDefined();
      expect(credentials?.with?.["role-to-assume"], name).toBe("${{ vars.AWS_ROLE_ARN }}");
      expect(credentials?.with && Object.keys(credentials.with)).not.toContain("aws-access-key-id");
    }
  });
});
