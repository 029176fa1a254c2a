/**
 * The cdktn app: every environment in environments/index.ts, four stacks each (an AgentEnvironment per
 * environment file). `npm run synth` runs this file directly; `npx cdktn synth|deploy` runs it through cdktf.json.
 * The last image build of each environment (.build/images/<env>.json) becomes its default image digest.
 */
import { environments } from "./environments/index.ts";
import { synthesizeEnvironments } from "./modules/environment/file/synthesize.ts";

synthesizeEnvironments(environments);
