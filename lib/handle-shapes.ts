/**
 * The types of construct props, as zod schemas (see lib/shape.ts): what must be a string, a number, a list. The
 * values are judged after, by each construct's validator. Handles are loose objects: a construct passed as one
 * carries more than its interface.
 */
import { z } from "zod";

export const subnetShape = z.looseObject({ subnetId: z.string(), availabilityZoneId: z.string() });
export const networkHandleShape = z.looseObject({
  vpcId: z.string(),
  privateSubnets: z.array(subnetShape),
  agentSecurityGroupId: z.string(),
  mountTargetSecurityGroupId: z.string(),
});
export const storageHandleShape = z.looseObject({ rootDirectory: z.string().optional(), accessPointArn: z.string().optional() });
export const registryHandleShape = z.looseObject({ repositoryName: z.string(), repositoryArn: z.string(), repositoryUrl: z.string() });
export const runtimeHandleShape = z.looseObject({ runtimeArn: z.string(), inboundAuth: z.enum(["AWS_IAM", "CUSTOM_JWT"]).optional() });
const strings = z.array(z.string()).optional();

export const networkShape = z.strictObject({
  namePrefix: z.string().optional(),
  cidr: z.string().optional(),
  azCount: z.number().optional(),
  availabilityZoneIds: strings,
  egress: z.string().optional(),
  flowLogs: z.strictObject({ enabled: z.boolean().optional(), retentionDays: z.number().optional() }).optional(),
  vpcId: z.string().optional(),
  privateSubnets: z.array(subnetShape).optional(),
  s3GatewayRouteTableIds: strings,
  interfaceEndpoints: strings,
  interfaceEndpointsServeWholeVpc: z.boolean().optional(),
});

export const storageShape = z.strictObject({
  network: networkHandleShape.optional(),
  namePrefix: z.string().optional(),
  bucketName: z.string().optional(),
  posixUid: z.number().optional(),
  posixGid: z.number().optional(),
  secondaryGids: z.array(z.number()).optional(),
  rootDirectory: z.string().optional(),
  rootDirectoryPermissions: z.string().optional(),
  retainDataOnTeardown: z.boolean().optional(),
  kmsKeyArn: z.string().optional(),
  noncurrentVersionExpirationDays: z.number().optional(),
});

export const registryShape = z.strictObject({
  namePrefix: z.string().optional(),
  repositoryName: z.string().optional(),
  keepImages: z.number().optional(),
  kmsKeyArn: z.string().optional(),
});

export const runtimeShape = z.strictObject({
  network: networkHandleShape.optional(),
  storage: storageHandleShape.optional(),
  registry: registryHandleShape.optional(),
  // Required, but reported as such by the validator: every key here is optional, so props stripped of the keys
  // with type problems pass this schema (lib/shape.ts) and still resolve their defaults.
  models: z.array(z.union([z.string(), z.strictObject({ id: z.string(), routedRegions: strings })])).optional(),
  namePrefix: z.string().optional(),
  runtimeName: z.string().optional(),
  description: z.string().optional(),
  imageDigest: z.string().optional(),
  protocol: z.string().optional(),
  // The authorizer is parsed by the validator itself, to refuse "no auth" by name.
  auth: z.unknown().optional(),
  workload: z.string().optional(),
  idleTimeoutSeconds: z.number().optional(),
  maxLifetimeSeconds: z.number().optional(),
  sessionStorageMountPath: z.string().optional(),
  s3FilesMountPath: z.string().optional(),
  // mountTargetSecurityGroupId is required, and reported as such by the validator (with what it is for).
  additionalMounts: z
    .array(z.strictObject({ type: z.enum(["s3files", "efs"]), accessPointArn: z.string(), fileSystemArn: z.string(), mountPath: z.string(), mountTargetSecurityGroupId: z.string().optional() }))
    .optional(),
  agentPrefix: z.string().optional(),
  environmentVariables: z.record(z.string(), z.string()).optional(),
  logRetentionDays: z.number().optional(),
  endpointName: z.string().optional(),
  invokers: strings,
  operators: strings,
});

export const alertShape = z.strictObject({
  runtime: runtimeHandleShape.optional(),
  namePrefix: z.string().optional(),
  emails: strings,
  cloudTrail: z.union([z.literal("create"), z.strictObject({ existingTrailArn: z.string(), multiRegion: z.boolean().optional() })]).optional(),
  trailLogRetentionDays: z.number().optional(),
});
