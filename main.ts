/**
 * The cdktn app: every environment in environments/index.ts, four stacks each. `npm run synth` runs this
 * file directly; `npx cdktn synth|deploy` runs it through cdktf.json.
 */
import { readFileSync } from "node:fs";
import { environments } from "./environments/index.ts";
import { imageDigests } from "./lib/image-records.ts";
import { runSynthCommand } from "./lib/synth.ts";

const cdktfJson = JSON.parse(readFileSync(new URL("./cdktf.json", import.meta.url), "utf8")) as {
  targetVersions?: Record<string, string>;
};

// The last image build of each environment (.build/images/<env>.json) becomes its default image digest.
const status = runSynthCommand(environments, {
  ...(cdktfJson.targetVersions !== undefined && { targetVersions: cdktfJson.targetVersions }),
  imageDigests: imageDigests(),
});
if (status !== 0) process.exit(status);
