/**
 * The environments `npm run synth` builds. To add one: copy an environment file, change its name and
 * network range, and list it here (a test fails if an environment file is not listed).
 */
import dev from "./dev.ts";
import prod from "./prod.ts";
import staging from "./staging.ts";
import type { EnvironmentInput } from "./schema.ts";

export const environments: readonly EnvironmentInput[] = [dev, staging, prod];
