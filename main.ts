/**
 * The cdktn app: every environment in environments/index.ts, four stacks each. `npm run synth` runs this
 * file directly; `npx cdktn synth|deploy` runs it through cdktf.json.
 */
import { readFileSync } from "node:fs";
import { environments } from "./environments";
import { EnvironmentConfigError } from "./environments/schema";
import { imageDigests } from "./lib/image-records";
import { expectedImages, formatExpectedImages, formatSummary, synthesize } from "./lib/synth";

const cdktfJson = JSON.parse(readFileSync(new URL("./cdktf.json", import.meta.url), "utf8")) as {
  targetVersions?: Record<string, string>;
};

try {
  // The last image build of each environment (.build/images/<env>.json) becomes its default image digest.
  const result = synthesize(environments, { targetVersions: cdktfJson.targetVersions, imageDigests: imageDigests() });
  console.log(formatSummary(result.stacks, result.outdir));
  console.log(`\n${formatExpectedImages(expectedImages(result.environments))}`);
} catch (error) {
  if (error instanceof EnvironmentConfigError) {
    console.error(`synth refused: ${error.message}\nNothing was written.`);
    process.exit(1);
  }
  throw error;
}
