/**
 * Issue 14: promotion "across accounts where needed". Each side of `deploy --env prod --image-from staging` acts
 * with its own environment's credentials: staging's repository is read as staging's deployRoleArn, prod's written
 * as prod's (scripts/lib/promote-image.ts promoteDeployedImage). The fake world is one account, so the two roles
 * are two roles of it; what a second account adds is only whose credentials sign which call, which is what this
 * checks (every call's signer is recorded: test/fake-aws/services/rest.ts).
 */
import { describe, expect, it } from "vitest";
import { commitAgent } from "../fake-aws/harness.ts";
import { e2eProject } from "../fake-aws/hooks.ts";
import { ACCOUNT } from "../fake-aws/world.ts";

const ROLE = { staging: `arn:aws:iam::${ACCOUNT}:role/staging-deployer`, prod: `arn:aws:iam::${ACCOUNT}:role/prod-deployer` };

describe("deploy --image-from with a deploy role per environment (process, real cdktn)", () => {
  const setup = e2eProject({}, async ({ project }) => {
    for (const env of ["staging", "prod"] as const) {
      const file = `environments/${env}.ts`;
      project.writeFile(file, project.readFile(file).replace("network: {", `deployRoleArn: "${ROLE[env]}",\n  network: {`));
    }
    await commitAgent(project);
  });

  it("reads the source's repository as the source's role and writes the target's as the target's", async () => {
    const { project, fake } = setup;
    const staging = await project.script("deploy", ["--env", "staging", "--yes", "--json"]);
    expect(staging.exitCode, staging.stderr.slice(-3000)).toBe(0);
    const before = fake.world.signed.length;
    const prod = await project.script("deploy", ["--env", "prod", "--yes", "--json", "--image-from", "staging"]);
    expect(prod.exitCode, prod.stderr.slice(-3000)).toBe(0);

    const roleOf = (key: string) => fake.world.sessions.get(key)?.roleArn ?? "base credentials";
    const ecr = fake.world.signed.slice(before).map((line) => line.split(" ")).filter(([call]) => call!.startsWith("ecr:")).map(([call, key]) => [call!.slice(4), roleOf(key!)] as const);
    const firstUpload = ecr.findIndex(([operation]) => operation === "InitiateLayerUpload");
    const putImage = ecr.findIndex(([operation]) => operation === "PutImage");
    expect(firstUpload).toBeGreaterThan(0);
    expect(putImage).toBeGreaterThan(firstUpload);
    const signers = (calls: readonly (readonly [string, string])[], operation: string) => new Set(calls.filter(([o]) => o === operation).map(([, role]) => role));
    // Source side, before anything is uploaded: the manifest and the blobs' download URLs, as staging's role.
    expect(signers(ecr.slice(0, firstUpload), "BatchGetImage")).toEqual(new Set([ROLE.staging]));
    expect(signers(ecr.slice(0, firstUpload), "GetDownloadUrlForLayer")).toEqual(new Set([ROLE.staging]));
    // Target side: the uploads and the manifest, then the check of what landed (digest, linux/arm64), as prod's role.
    expect(signers(ecr, "InitiateLayerUpload")).toEqual(new Set([ROLE.prod]));
    expect(signers(ecr, "PutImage")).toEqual(new Set([ROLE.prod]));
    expect(signers(ecr.slice(putImage), "BatchGetImage")).toEqual(new Set([ROLE.prod]));
  }, 400_000);
});
