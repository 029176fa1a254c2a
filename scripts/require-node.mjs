/**
 * Preloaded first by every npm script (`node --import ./scripts/require-node.mjs …`): refuses a Node older than the
 * cdktn CLI accepts, with the fix, before anything else loads. Plain JavaScript on purpose: on an old Node the
 * TypeScript sources cannot even be read (type stripping is on by default from Node 22.18; Node 20 has none), so a
 * check written in TypeScript would never get to say why.
 *
 * The minimum is cdktn-cli's own `engines.node` (node_modules/cdktn-cli/package.json: ">=22.19.0"), repeated in this
 * package's `engines`; scripts/lib/node-version.ts holds the same number for the compiled bin, and a test keeps the
 * three equal.
 */
import process from "node:process";

export const MIN_NODE = [22, 19];

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
  process.stderr.write(
    [
      `error: this needs Node >= ${MIN_NODE.join(".")} (the cdktn CLI requires it); this is Node ${process.versions.node} (${process.execPath}).`,
      "fix: run it through npm after `npm ci`: `npm run <script>` uses the Node 24 the project installs (the devDependency node@24.21.0,",
      "     in node_modules/.bin); if `npm ci` skipped it (--omit=dev, or install scripts disabled), run `npm ci` with dev dependencies,",
      "     or install Node 24 (https://nodejs.org, nvm install 24, fnm install 24).",
      "",
    ].join("\n"),
  );
  process.exit(2);
}
