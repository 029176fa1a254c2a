/**
 * The environments `npm run synth` builds. To add one: copy an environment file, change its name and
 * network range, and list it here (a test fails if an environment file is not listed).
 */
import dev from "./dev";
import prod from "./prod";
import staging from "./staging";
import type { EnvironmentInput } from "./schema";

export const environments: readonly EnvironmentInput[] = [dev, staging, prod];
