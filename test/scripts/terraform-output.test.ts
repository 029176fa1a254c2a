/**
 * Reading failures from what the real tools print: Terraform 1.11.4's diagnostics and the cdktn 0.24 CLI's
 * relay of them, captured from the real binaries (test/fake-aws/fixtures/capture.sh).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cdktnArgs, stackCommandError } from "../../scripts/lib/cdktn.ts";
import { CommandFailedError } from "../../scripts/lib/runner.ts";
import { classifyDiagnostic, meaningfulTail, parseTerraformDiagnostics, stripAnsi } from "../../scripts/lib/terraform-output.ts";

const fixture = (path: string) => readFileSync(new URL(`../fake-aws/fixtures/${path}`, import.meta.url), "utf8");
const cdktn = { stdout: fixture("cdktn-0.24/destroy-failure.stdout"), stderr: fixture("cdktn-0.24/destroy-failure.stderr") };

describe("what the cdktn CLI prints when Terraform fails (captured from cdktn-cli 0.24)", () => {
  it("relays Terraform's error block on stdout, behind the stack's name, and ends stderr with a Node.js stack trace", () => {
    expect(stripAnsi(cdktn.stdout)).toMatch(/^dev-network {2}╷$/m);
    expect(cdktn.stderr.trimEnd()).toMatch(/Node\.js v\d+\.\d+\.\d+$/);
    expect(cdktn.stderr).not.toContain("DependencyViolation");
  });

  it("the old summary (last three lines of stderr) said nothing a person can act on", () => {
    const oldSummary = cdktn.stderr.trim().split("\n").slice(-3).join(" | ").trim();
    expect(oldSummary).toBe("} |  | Node.js v24.21.0");
  });

  it("parses the error's summary and resource from stdout, and classifies it from that same error", () => {
    const [diagnostic, ...rest] = parseTerraformDiagnostics(`${cdktn.stdout}\n${cdktn.stderr}`);
    expect(rest).toEqual([]);
    expect(diagnostic).toEqual({
      severity: "error",
      summary: "deleting EC2 Subnet (subnet-0a1): operation error EC2: DeleteSubnet, https response error StatusCode: 400, RequestID: 0f6e, api error DependencyViolation: The subnet 'subnet-0a1' has dependencies and cannot be deleted.",
      detail: "",
      address: "aws_subnet.a",
    });
    expect(classifyDiagnostic(diagnostic!)).toEqual({ kind: "dependency-violation", awsErrorCode: "DependencyViolation" });
  });

  it("a failed stack command names the stack and Terraform's reason, not the stack trace", () => {
    const error = stackCommandError("destroy", "dev-network", { exitCode: 1, ...cdktn });
    expect(error.message).toBe(
      "cdktn destroy dev-network failed: deleting EC2 Subnet (subnet-0a1): operation error EC2: DeleteSubnet, https response error StatusCode: 400, RequestID: 0f6e, api error DependencyViolation: The subnet 'subnet-0a1' has dependencies and cannot be deleted. (aws_subnet.a)",
    );
    expect(error.kind).toBe("dependency-violation");
    expect(error.stackName).toBe("dev-network");
  });

  it("any other failed command keeps readable lines, never the Node.js stack trace", () => {
    const message = new CommandFailedError("npx", cdktnArgs("destroy", "dev-network"), { exitCode: 1, ...cdktn }).message;
    expect(message).not.toMatch(/Node\.js v|processTicksAndRejections|ERR_UNHANDLED_REJECTION/);
    expect(message).toContain("DependencyViolation");
    expect(meaningfulTail(cdktn.stderr, 3)).toEqual([]);
  });
});

describe("Terraform's own diagnostics (captured from Terraform 1.11.4)", () => {
  it("reads a coloured diagnostic with its source snippet and values", () => {
    const [diagnostic] = parseTerraformDiagnostics(fixture("terraform-1.11.4/invalid-variable.stderr"));
    expect(diagnostic).toMatchObject({ severity: "error", summary: "Invalid value for variable", location: "main.tf.json line 1" });
    expect(diagnostic!.detail).toBe("d must be a digest.\nThis was checked by the validation rule at main.tf.json:1,54-55.");
    expect(classifyDiagnostic(diagnostic!).kind).toBe("invalid-input");
  });

  it("reads the resource a diagnostic is about", () => {
    const [diagnostic] = parseTerraformDiagnostics(fixture("terraform-1.11.4/missing-remote-state.stderr"));
    expect(diagnostic).toMatchObject({ summary: "Unable to find remote state", address: "data.terraform_remote_state.net", detail: "No stored state was found for the given workspace in the given backend." });
    expect(classifyDiagnostic(diagnostic!).kind).toBe("missing-dependency");
  });

  it("reads -no-color output (no frame)", () => {
    const plain = "\nError: deleting Security Group (sg-1): operation error EC2: DeleteSecurityGroup, https response error StatusCode: 400, RequestID: r, api error DependencyViolation: resource sg-1 has a dependent object\n\n  with aws_security_group.agent,\n  on cdk.tf.json line 40, in resource.aws_security_group.agent:\n  40:     \"agent\": {\n\n";
    expect(parseTerraformDiagnostics(plain)).toEqual([expect.objectContaining({ summary: expect.stringMatching(/^deleting Security Group \(sg-1\)/), address: "aws_security_group.agent", location: "cdk.tf.json line 40" })]);
  });

  it("finds nothing in output without a diagnostic", () => {
    expect(parseTerraformDiagnostics("dev-network  Destroy complete! Resources: 3 destroyed.\n")).toEqual([]);
  });
});

describe("classification: each kind, and a case that is not it", () => {
  const kinds: [string, string, string][] = [
    ["dependency-violation", "api error DependencyViolation: The vpc 'vpc-1' has dependencies and cannot be deleted.", "api error InvalidVpcID.NotFound: The vpc ID 'vpc-1' does not exist"],
    ["pending-export", "api error ConflictException: File system fs-1 has data pending export to S3. Use forceDelete=true to delete anyway.", "api error ConflictException: File system fs-1 has mount targets or access points"],
    ["throttling", "api error ThrottlingException: Rate exceeded", "api error ValidationException: Rate must be a number"],
    ["state-lock", "Error acquiring the state lock", "Error releasing the workspace"],
    ["credentials", "No valid credential sources found", "api error ValidationException: credential provider name is invalid"],
    ["access-denied", "api error AccessDeniedException: User: x is not authorized to perform: s3files:CreateFileSystem", "api error ValidationException: access point path is invalid"],
    ["not-empty", "api error RepositoryNotEmptyException: The repository with name 'dev-agent' in registry with id '1' cannot be deleted because it still contains images", "api error RepositoryNotFoundException: The repository with name 'dev-agent' does not exist"],
  ];
  for (const [kind, matching, other] of kinds) {
    it(kind, () => {
      expect(classifyDiagnostic({ summary: `deleting X: ${matching}`, detail: "" }).kind).toBe(kind);
      expect(classifyDiagnostic({ summary: `deleting X: ${other}`, detail: "" }).kind).not.toBe(kind);
    });
  }
});
