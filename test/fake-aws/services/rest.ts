/**
 * Query services (STS, SNS) and REST services (S3 Files and AgentCore control: rest-json; S3: rest-xml).
 * Routes and members from the models (shared/aws-models/s3files.json `http.requestUri`,
 * bedrock-agentcore-control.json, s3.json); timestamps as the models declare them (S3 Files: epoch seconds;
 * AgentCore: ISO 8601).
 */
import { AwsError } from "../errors.ts";
import { TYPES } from "../provider.ts";
import { query, restJson, restXml, type AwsRequest, type HttpAnswer } from "../protocols.ts";
import type { FakeAwsWorld, Resource } from "../world.ts";
import { bedrock } from "./preflight.ts";

const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const SNS_NS = "http://sns.amazonaws.com/doc/2010-03-31/";

export function handleQuery(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const action = request.operation!;
  const namespace = request.service === "sts" ? STS_NS : SNS_NS;
  try {
    world.call(request.service, action);
    if (request.service === "sts" && action === "GetCallerIdentity") {
      // The identity of the credentials that signed the call: a role session made by AssumeRole, or the base deployer.
      const session = world.sessions.get(accessKeyOf(request));
      if (session) return query.answer(action, namespace, { Arn: session.arn, UserId: session.id, Account: session.account });
      return query.answer(action, namespace, { Arn: `arn:aws:sts::${world.account}:assumed-role/deployer/ci`, UserId: "AROAEXAMPLEDEPLOYER:ci", Account: world.account });
    }
    if (request.service === "sts" && action === "AssumeRole") {
      // sts model: RoleArn and RoleSessionName required; Credentials (AccessKeyId, SecretAccessKey, SessionToken,
      // Expiration) and AssumedRoleUser (AssumedRoleId, Arn) answered; DurationSeconds 900-43200, default 3600.
      const roleArn = request.form!.get("RoleArn") ?? "";
      const name = request.form!.get("RoleSessionName") ?? "";
      const role = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
      if (!role) throw new AwsError("ValidationError", `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`, 400);
      if (world.deniedRoles.has(roleArn)) throw new AwsError("AccessDenied", `User: arn:aws:sts::${world.account}:assumed-role/deployer/ci is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
      const accessKeyId = `ASIA${String(world.sessions.size + 1).padStart(16, "0")}`;
      const id = `AROA${role[2]!.toUpperCase().replace(/[^A-Z0-9]/g, "").padEnd(17, "X").slice(0, 17)}:${name}`;
      const arn = `arn:aws:sts::${role[1]}:assumed-role/${role[2]}/${name}`;
      world.sessions.set(accessKeyId, { account: role[1]!, arn, id, roleArn });
      const expiration = new Date(world.now() + Number(request.form!.get("DurationSeconds") ?? 3600) * 1000).toISOString();
      return query.answer(action, namespace, { Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: "fake-session-secret", SessionToken: `session-${accessKeyId}`, Expiration: expiration }, AssumedRoleUser: { AssumedRoleId: id, Arn: arn } });
    }
    if (request.service === "sns" && action === "GetTopicAttributes") {
      const arn = request.form!.get("TopicArn") ?? "";
      const topic = world.all("aws_sns_topic", request.region).find((t) => t.id === arn);
      if (!topic) throw new AwsError("NotFound", "Topic does not exist", 404);
      // Attributes is a map: <entry><key/><value/></entry> (sns model, TopicAttributesMap).
      const answer = query.answer(action, namespace, {});
      const attributes = `<Attributes><entry><key>TopicArn</key><value>${arn}</value></entry><entry><key>Owner</key><value>${world.account}</value></entry></Attributes>`;
      return { ...answer, body: String(answer.body).replace(`<${action}Result></${action}Result>`, `<${action}Result>${attributes}</${action}Result>`) };
    }
    throw new AwsError("InvalidAction", `${action} is not modelled by the fake world`);
  } catch (error) {
    if (error instanceof AwsError) return query.error(error, namespace);
    throw error;
  }
}

const seconds = (ms: number) => ms / 1000;

/** The access key id in the SigV4 Authorization header (Credential=<key>/<date>/<region>/<service>/aws4_request). */
export function accessKeyOf(request: AwsRequest): string {
  return /Credential=([^/]+)\//.exec(String(request.headers.authorization ?? ""))?.[1] ?? "";
}

function page<T>(items: T[], query: URLSearchParams, defaultSize: number): { items: T[]; nextToken?: string } {
  const size = Number(query.get("maxResults") ?? defaultSize);
  const start = Number(query.get("nextToken") ?? 0);
  return { items: items.slice(start, start + size), ...(start + size < items.length && { nextToken: String(start + size) }) };
}

const lifecycle = (r: Resource) => (r.status === "pending-deletion" ? "deleting" : r.status);

function s3files(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const { method, path, query: q, region } = request;
  const notFound = (what: string, id: string) => new AwsError("ResourceNotFoundException", `${what} '${id}' does not exist.`, 404, { errorCode: "ResourceNotFound" });
  const fileSystem = (r: Resource) => ({
    fileSystemId: r.id,
    fileSystemArn: r.arn,
    bucket: r.attributes.bucket,
    roleArn: r.attributes.role_arn,
    ownerId: world.account,
    status: lifecycle(r),
    creationTime: seconds(world.now()),
    name: r.tags.Name ?? "",
  });
  const mountTarget = (r: Resource) => ({ mountTargetId: r.id, fileSystemId: r.attributes.file_system_id, subnetId: r.attributes.subnet_id, vpcId: r.attributes.vpc_id, ownerId: world.account, status: lifecycle(r), networkInterfaceId: r.attributes.network_interface_id, availabilityZoneId: r.attributes.availability_zone_id });
  const accessPoint = (r: Resource) => ({ accessPointId: r.id, accessPointArn: r.arn, fileSystemId: r.attributes.file_system_id, ownerId: world.account, status: lifecycle(r), clientToken: r.id });
  const find = (type: string, id: string, what: string) => {
    const found = world.all(type, region).find((r) => r.id === id || r.arn === id);
    if (!found) throw notFound(what, id);
    return found;
  };
  let match: RegExpExecArray | null;
  if (method === "GET" && path === "/file-systems") {
    world.call("s3files", "ListFileSystems");
    const all = world.all("aws_s3files_file_system", region).filter((f) => !q.get("bucket") || f.attributes.bucket === q.get("bucket"));
    const { items, nextToken } = page(all, q, 100);
    return restJson.answer({ fileSystems: items.map(fileSystem), ...(nextToken && { nextToken }) });
  }
  if ((match = /^\/file-systems\/([^/]+)$/.exec(path))) {
    if (method === "GET") {
      world.call("s3files", "GetFileSystem");
      // GetFileSystemResponse carries `tags` (TagList of {key, value}); ListFileSystemsDescription does not (s3files model).
      const found = find("aws_s3files_file_system", match[1]!, "File system");
      return restJson.answer({ ...fileSystem(found), tags: Object.entries(found.tags).map(([key, value]) => ({ key, value })) });
    }
    if (method === "DELETE") {
      world.call("s3files", "DeleteFileSystem");
      const fs = find("aws_s3files_file_system", match[1]!, "File system");
      if (fs.status === "deleting") return restJson.answer({}, 204);
      if (q.get("forceDelete") === "true") world.pendingExportUntil.delete(fs.id);
      // The same rules as the provider's delete (provider.ts): in use, or writes pending export.
      TYPES.aws_s3files_file_system!.remove!(world, fs);
      world.changes.push(`DeleteFileSystem ${fs.id}${q.get("forceDelete") === "true" ? " forceDelete" : ""}`);
      // Asynchronous in AWS: LifeCycleState `deleting` until it is gone (the provider's waitFileSystemDeleted polls
      // GetFileSystem until ResourceNotFoundException: internal/service/s3files/file_system.go).
      fs.status = "deleting";
      fs.goneAt = world.now() + world.options.durations.fileSystemDelete;
      return restJson.answer({}, 204);
    }
  }
  if (method === "GET" && path === "/mount-targets") {
    world.call("s3files", "ListMountTargets");
    const id = q.get("fileSystemId") ?? "";
    if (id && !world.all("aws_s3files_file_system", region).some((f) => f.id === id)) throw notFound("File system", id);
    const all = [...world.resources.values()].filter((r) => r.type === "aws_s3files_mount_target" && r.region === region && (!id || r.attributes.file_system_id === id));
    const { items, nextToken } = page(all, q, 100);
    return restJson.answer({ mountTargets: items.map(mountTarget), ...(nextToken && { nextToken }) });
  }
  if ((match = /^\/mount-targets\/([^/]+)$/.exec(path))) {
    const mt = [...world.resources.values()].find((r) => r.type === "aws_s3files_mount_target" && r.id === match![1]);
    if (method === "GET") {
      world.call("s3files", "GetMountTarget");
      if (!mt) throw notFound("Mount target", match[1]!);
      return restJson.answer(mountTarget(mt));
    }
    if (method === "DELETE") {
      world.call("s3files", "DeleteMountTarget");
      if (!mt) throw notFound("Mount target", match[1]!);
      if (mt.status !== "deleting") {
        mt.status = "deleting";
        mt.goneAt = world.now() + world.options.durations.mountTarget;
        world.changes.push(`DeleteMountTarget ${mt.id}`);
      }
      return restJson.answer({}, 204);
    }
  }
  if (method === "GET" && path === "/access-points") {
    world.call("s3files", "ListAccessPoints");
    const id = q.get("fileSystemId") ?? "";
    if (!world.all("aws_s3files_file_system", region).some((f) => f.id === id)) throw notFound("File system", id);
    const { items, nextToken } = page(world.all("aws_s3files_access_point", region).filter((a) => a.attributes.file_system_id === id), q, 100);
    return restJson.answer({ accessPoints: items.map(accessPoint), ...(nextToken && { nextToken }) });
  }
  if ((match = /^\/access-points\/([^/]+)$/.exec(path))) {
    if (method === "GET") {
      world.call("s3files", "GetAccessPoint");
      return restJson.answer(accessPoint(find("aws_s3files_access_point", match[1]!, "Access point")));
    }
    if (method === "DELETE") {
      world.call("s3files", "DeleteAccessPoint");
      const ap = find("aws_s3files_access_point", match[1]!, "Access point");
      if (ap.status === "deleting") return restJson.answer({}, 204);
      world.changes.push(`DeleteAccessPoint ${ap.id}`);
      // Asynchronous too: `deleting`, then gone (as EFS access points, whose provider waiter polls available/deleting until not found).
      ap.status = "deleting";
      ap.goneAt = world.now() + world.options.durations.accessPointDelete;
      return restJson.answer({}, 204);
    }
  }
  throw new AwsError("UnknownOperationException", `S3 Files ${method} ${path} is not modelled by the fake world`, 404);
}

function agentcore(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const { method, path, region } = request;
  const iso = (ms: number) => new Date(ms).toISOString();
  const runtimeOf = (id: string) => {
    const runtime = world.all("aws_bedrockagentcore_agent_runtime", region).find((r) => r.id === id);
    if (!runtime) throw new AwsError("ResourceNotFoundException", `Runtime ${id} not found`, 404);
    return runtime;
  };
  const status = (r: Resource) => (r.status === "deleting" ? "DELETING" : r.status === "creating" ? "CREATING" : "READY");
  let match: RegExpExecArray | null;
  // ListAgentRuntimes is POST /runtimes/ (bedrock-agentcore-control model).
  if (method === "POST" && /^\/runtimes\/?$/.test(path)) {
    world.call("bedrock-agentcore", "ListAgentRuntimes");
    return restJson.answer({
      agentRuntimes: world.all("aws_bedrockagentcore_agent_runtime", region).map((r) => ({ agentRuntimeArn: r.arn, agentRuntimeId: r.id, agentRuntimeName: r.attributes.agent_runtime_name, agentRuntimeVersion: String(r.attributes.agent_runtime_version ?? "1"), description: r.attributes.description ?? "", lastUpdatedAt: iso(world.now()), status: status(r) })),
    });
  }
  if (method === "GET" && (match = /^\/runtimes\/([^/]+)\/runtime-endpoints\/([^/]+)\/?$/.exec(path))) {
    world.call("bedrock-agentcore", "GetAgentRuntimeEndpoint");
    const runtime = runtimeOf(match[1]!);
    const endpoint = world.all("aws_bedrockagentcore_agent_runtime_endpoint", region).find((e) => e.attributes.agent_runtime_id === runtime.id && e.attributes.name === match![2]);
    if (!endpoint) throw new AwsError("ResourceNotFoundException", `Endpoint ${match[2]} not found`, 404);
    return restJson.answer({ agentRuntimeEndpointArn: endpoint.arn, agentRuntimeArn: runtime.arn, status: "READY", createdAt: iso(world.now()), lastUpdatedAt: iso(world.now()), name: match[2], id: endpoint.id });
  }
  if (method === "GET" && (match = /^\/runtimes\/([^/]+)\/?$/.exec(path))) {
    world.call("bedrock-agentcore", "GetAgentRuntime");
    const r = runtimeOf(match[1]!);
    return restJson.answer({
      agentRuntimeArn: r.arn,
      agentRuntimeName: r.attributes.agent_runtime_name,
      agentRuntimeId: r.id,
      agentRuntimeVersion: String(r.attributes.agent_runtime_version ?? "1"),
      createdAt: iso(world.now()),
      lastUpdatedAt: iso(world.now()),
      roleArn: r.attributes.role_arn,
      networkConfiguration: { networkMode: "VPC" },
      lifecycleConfiguration: { idleRuntimeSessionTimeout: 900, maxLifetime: 28800 },
      status: status(r),
    });
  }
  throw new AwsError("UnknownOperationException", `AgentCore ${method} ${path} is not modelled by the fake world`, 404);
}

function s3(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  const [, bucket = "", ...rest] = request.path.split("/");
  const key = rest.join("/");
  const head = request.method === "HEAD";
  const exists = world.all("aws_s3_bucket").some((b) => b.id === bucket) || world.objects.has(bucket);
  if (!exists) throw Object.assign(new AwsError(head ? "NotFound" : "NoSuchBucket", "The specified bucket does not exist", 404), { head });
  if (key === "") {
    world.call("s3", head ? "HeadBucket" : "ListObjectsV2");
    return { status: 200, headers: { "x-amz-bucket-region": request.region }, body: "" };
  }
  const objects = world.bucket(bucket);
  if (request.method === "GET") {
    world.call("s3", "GetObject");
    const body = objects.get(key);
    if (!body) throw new AwsError("NoSuchKey", "The specified key does not exist.", 404);
    return { status: 200, headers: { "content-type": "application/octet-stream", "content-length": String(body.length) }, body };
  }
  if (request.method === "PUT") {
    world.call("s3", "PutObject");
    objects.set(key, request.body);
    return { status: 200, headers: { etag: '"fake"' }, body: "" };
  }
  throw new AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
}

export function handleRest(world: FakeAwsWorld, request: AwsRequest): HttpAnswer {
  try {
    if (request.service === "s3files") return s3files(world, request);
    if (request.service === "bedrock-agentcore") return agentcore(world, request);
    if (request.service === "s3") return s3(world, request);
    if (request.service === "bedrock") return bedrock(world, request);
    throw new AwsError("UnknownService", `the fake world does not speak ${request.service}`);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    if (request.service === "s3") return restXml.error(error, request.method === "HEAD");
    return restJson.error(error);
  }
}
