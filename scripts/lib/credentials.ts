/**
 * The credentials the scripts' SDK clients use: the ones Terraform uses too. When an environment names a
 * `deployRoleArn`, the AWS provider assumes it (modules/environment/environment-stack.ts: provider `assume_role`),
 * so every SDK client of deploy, teardown, build-image, drift… must act as that role as well, or it looks in
 * the wrong account (review finding 2). State reads use `state.roleArn` when the S3 backend names one (the
 * backend's own `role_arn`). Both through STS AssumeRole (sts model: RoleArn, RoleSessionName; Credentials with
 * Expiration), renewed five minutes before they expire, from the standard credential chain.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { EnvironmentDescription } from "../../modules/environment/description.ts";
import { awsClients, type AwsSdkClients } from "./aws.ts";
import { clockFromEnvironment } from "./clock.ts";

export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** What an SDK client's `credentials` option accepts: a function returning (and caching) credentials. */
export type CredentialProvider = () => Promise<TemporaryCredentials>;

const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Credentials of a role session, assumed on first use with the base credentials (the standard chain).
 * @param now the scripts' clock (clock.ts: the virtual clock of the fake world in tests) @default clockFromEnvironment().now
 */
export function assumeRole(roleArn: string, region: string, sessionName: string, sts: Pick<STSClient, "send"> = new STSClient({ region }), now: () => number = () => clockFromEnvironment().now()): CredentialProvider {
  let current: Promise<TemporaryCredentials> | undefined;
  let expires = 0;
  return () => {
    if (current === undefined || now() > expires - RENEW_BEFORE_MS) {
      current = sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName })).then((answer) => {
        const c = answer.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error(`STS AssumeRole of ${roleArn} answered without credentials`);
        expires = c.Expiration.getTime();
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      });
      // A failed assume is not cached: the next call tries again.
      current.catch(() => (current = undefined));
    }
    return current;
  };
}

/** The role session name: who is acting, for CloudTrail (2-64 of [\w+=,.@-], sts model roleSessionNameType). */
function sessionName(environment: EnvironmentDescription, purpose: string): string {
  return `agentcore-s3files-${purpose}-${environment.name}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
}

/** The credentials of the environment's deploy role, when it names one; otherwise the standard chain's (undefined). */
export function deployCredentials(environment: EnvironmentDescription): CredentialProvider | undefined {
  return environment.deployRoleArn !== undefined ? assumeRole(environment.deployRoleArn, environment.region, sessionName(environment, "deploy")) : undefined;
}

/** The credentials that read the S3 state backend: its role_arn when the environment names one. */
export function stateCredentials(environment: EnvironmentDescription): CredentialProvider | undefined {
  const state = environment.state;
  return state.backend === "s3" && state.roleArn !== undefined ? assumeRole(state.roleArn, state.region, sessionName(environment, "state")) : undefined;
}

/**
 * What deploy, drift, teardown and promotion act with in an environment: its SDK clients as the deploy role (when it
 * names one), and the state bucket (in whatever Region it is) read through the backend's role_arn.
 */
export function environmentAccess(environment: EnvironmentDescription): { readonly clients: AwsSdkClients; readonly stateBucket: (region: string) => S3Client } {
  const stateReader = stateCredentials(environment);
  return {
    clients: awsClients(environment.region, deployCredentials(environment)),
    stateBucket: (region) => new S3Client({ region, maxAttempts: 8, ...(stateReader !== undefined && { credentials: stateReader }) }),
  };
}
