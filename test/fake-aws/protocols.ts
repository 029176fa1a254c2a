/**
 * The wire protocols the AWS SDK v3 clients speak, so that the real clients work against the fake world
 * through AWS_ENDPOINT_URL_<SERVICE>. Each service's protocol is in its model (shared/aws-models/<svc>.json
 * `metadata.protocol`): ec2 (EC2), query (STS, IAM, SNS), json 1.1 (ECR, Resource Groups Tagging API, KMS,
 * CloudWatch Logs, EventBridge, CloudTrail), rest-json (S3 Files, AgentCore control), rest-xml (S3).
 *
 * Error encodings (AWS SDK v3 deserializers read exactly these):
 * - ec2:        <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
 * - query:      <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>
 * - json 1.1:   {"__type": "<Code>", "message": "…"} (+ header x-amzn-ErrorType)
 * - rest-json:  header x-amzn-ErrorType: <Code>; body {"message": "…", …error-shape members}
 * - rest-xml:   <Error><Code/><Message/><RequestId/></Error> (no body for HEAD)
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { AwsError } from "./errors.ts";

export interface AwsRequest {
  readonly service: string;
  readonly region: string;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** json 1.1: the operation from X-Amz-Target; query/ec2: the Action parameter. */
  readonly operation?: string;
  /** query/ec2 form parameters. */
  readonly form?: URLSearchParams;
  /** json bodies. */
  readonly json?: Record<string, unknown>;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
}

/** The service and Region the request was signed for (SigV4 credential scope: AKID/date/region/service/aws4_request). */
export function signedScope(headers: IncomingHttpHeaders): { service: string; region: string } | undefined {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(headers.authorization ?? ""));
  return match ? { region: match[1]!, service: match[2]! } : undefined;
}

export function parseRequest(method: string, url: URL, headers: IncomingHttpHeaders, body: Buffer): AwsRequest {
  const scope = signedScope(headers);
  if (!scope) throw new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
  const base = { service: scope.service, region: scope.region, method, path: decodeURIComponent(url.pathname), query: url.searchParams, headers, body };
  const target = headers["x-amz-target"];
  if (typeof target === "string") {
    const text = body.toString();
    return { ...base, operation: target.split(".").pop()!, json: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }
  const type = String(headers["content-type"] ?? "");
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const form = new URLSearchParams(body.toString());
    return { ...base, operation: form.get("Action") ?? "", form };
  }
  if (type.includes("json") && body.length > 0) return { ...base, json: JSON.parse(body.toString()) as Record<string, unknown> };
  return base;
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Objects become elements; arrays become repeated `<item>` (ec2) or `<member>` (query) children. */
export function toXml(value: unknown, listItem: "item" | "member"): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map((v) => `<${listItem}>${toXml(v, listItem)}</${listItem}>`).join("");
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v, listItem)}</${k}>`)
      .join("");
  }
  return escapeXml(String(value));
}

const xml = (status: number, body: string): HttpAnswer => ({ status, headers: { "content-type": "text/xml;charset=UTF-8" }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` });
const requestId = () => randomUUID();

export const ec2 = {
  answer: (action: string, result: Record<string, unknown>): HttpAnswer =>
    xml(200, `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId()}</requestId>${toXml(result, "item")}</${action}Response>`),
  error: (error: AwsError): HttpAnswer => ({
    ...xml(error.status, `<Response><Errors><Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`),
    headers: { "content-type": "text/xml;charset=UTF-8", ...error.headers },
  }),
};

export const query = {
  answer: (action: string, namespace: string, result: Record<string, unknown>): HttpAnswer =>
    xml(
      200,
      `<${action}Response xmlns="${namespace}"><${action}Result>${toXml(result, "member")}</${action}Result><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`,
    ),
  error: (error: AwsError, namespace: string): HttpAnswer => ({
    ...xml(
      error.status,
      `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.status >= 500 ? "Receiver" : "Sender"}</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
    ),
    headers: { "content-type": "text/xml;charset=UTF-8", ...error.headers },
  }),
};

export const json11 = {
  answer: (result: unknown): HttpAnswer => ({ status: 200, headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId() }, body: JSON.stringify(result) }),
  error: (error: AwsError): HttpAnswer => ({
    status: error.status,
    headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": error.code, "x-amzn-requestid": requestId(), ...error.headers },
    body: JSON.stringify({ __type: error.code, message: error.message, ...error.members }),
  }),
};

export const restJson = {
  answer: (result: unknown, status = 200): HttpAnswer => ({
    status,
    headers: { "content-type": "application/json", "x-amzn-requestid": requestId() },
    body: status === 204 ? "" : JSON.stringify(result),
  }),
  error: (error: AwsError): HttpAnswer => ({
    status: error.status,
    headers: { "content-type": "application/json", "x-amzn-errortype": error.code, "x-amzn-requestid": requestId(), ...error.headers },
    body: JSON.stringify({ message: error.message, ...error.members }),
  }),
};

export const restXml = {
  error: (error: AwsError, head: boolean): HttpAnswer =>
    head
      ? { status: error.status, headers: { "x-amz-request-id": requestId(), ...error.headers }, body: "" }
      : { ...xml(error.status, `<Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message><RequestId>${requestId()}</RequestId></Error>`), headers: { "content-type": "application/xml", ...error.headers } },
};

/** EC2/query list parameters: "Prefix.1", "Prefix.2", … (case-insensitive prefix, as the SDK capitalizes locationNames). */
export function listParam(form: URLSearchParams, prefix: string): string[] {
  const values: [number, string][] = [];
  const pattern = new RegExp(`^${prefix}\\.(\\d+)$`, "i");
  for (const [key, value] of form) {
    const match = pattern.exec(key);
    if (match) values.push([Number(match[1]), value]);
  }
  return values.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** EC2 filters: Filter.N.Name, Filter.N.Value.M. */
export function filtersParam(form: URLSearchParams): { name: string; values: string[] }[] {
  const filters = new Map<number, { name: string; values: [number, string][] }>();
  for (const [key, value] of form) {
    const match = /^Filter\.(\d+)\.(Name|Value\.(\d+))$/i.exec(key);
    if (!match) continue;
    const n = Number(match[1]);
    const filter = filters.get(n) ?? { name: "", values: [] };
    if (/^name$/i.test(match[2]!)) filter.name = value;
    else filter.values.push([Number(match[3]), value]);
    filters.set(n, filter);
  }
  return [...filters.values()].map((f) => ({ name: f.name, values: f.values.sort((a, b) => a[0] - b[0]).map(([, v]) => v) }));
}
