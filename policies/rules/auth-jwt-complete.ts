import { fail, notApplicable, pass, type Rule } from "./rule.ts";
import { jwtAuthorizer, runtime } from "./terraform.ts";

/** If CUSTOM_JWT: discovery URL, audience and client ids configured (checklist: Authentication). */
export const authJwtComplete: Rule = {
  id: "auth-jwt-complete",
  level: "error",
  group: "Authentication",
  cause: "A JWT authorizer names an OIDC discovery URL and an audience or client list",
  why: "A JWT authorizer without an audience or client list accepts any token the issuer signs, for any application it serves.",
  fix: "Set agent.auth.allowedAudience or allowedClients, and an https discovery URL ending in /.well-known/openid-configuration.",
  check(context) {
    const config = runtime(context);
    const jwt = jwtAuthorizer(config);
    if (!jwt) return notApplicable("inbound auth is AWS_IAM");
    const url = String(jwt.discovery_url ?? "");
    if (!/^https:\/\/.+\/\.well-known\/openid-configuration$/.test(url)) return fail(`discovery URL "${url}" is not an https OIDC discovery URL`);
    const audience = (jwt.allowed_audience as unknown[] | undefined) ?? [];
    const clients = (jwt.allowed_clients as unknown[] | undefined) ?? [];
    if (audience.length === 0 && clients.length === 0) return fail("the JWT authorizer names no audience and no client");
    return pass(`JWT from ${new URL(url).host}, ${audience.length} audience(s), ${clients.length} client(s)`);
  },
};
