/**
 * The Node the commands need: the cdktn CLI's own `engines.node` (node_modules/cdktn-cli/package.json: ">=22.19.0"),
 * repeated in this package's `engines`. The npm scripts check it before anything loads (scripts/require-node.mjs,
 * plain JavaScript so an old Node can run it); the compiled bin checks it here, first thing. A test keeps the numbers
 * equal.
 */
export const MIN_NODE = [22, 19] as const;

export function nodeAtLeast(version: string, minimum: readonly [number, number] = MIN_NODE): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
}

/** The refusal for an old Node, with the fix; undefined when this Node will do. */
export function oldNodeProblem(version: string = process.versions.node, execPath: string = process.execPath): string | undefined {
  if (nodeAtLeast(version)) return undefined;
  return [
    `error: this needs Node >= ${MIN_NODE.join(".")} (the cdktn CLI requires it); this is Node ${version} (${execPath}).`,
    "fix: install Node 24 (https://nodejs.org, nvm install 24, fnm install 24), or run it through npm in a project that has",
    "     the devDependency node@24 (npm puts node_modules/.bin first on a script's PATH, so `npm run <script>` uses that Node).",
  ].join("\n");
}
