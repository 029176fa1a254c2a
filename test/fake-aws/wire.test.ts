/**
 * The fake world speaks each service's wire protocol well enough for the real AWS SDK v3 clients: their
 * deserializers accept its answers, name its errors by AWS's codes with the error shape's members, follow
 * its pagination, and retry its throttling (honouring Retry-After).
 */
import { DeleteNetworkInterfaceCommand, DetachNetworkInterfaceCommand, paginateDescribeNetworkInterfaces } from "@aws-sdk/client-ec2";
import { GetResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";
import { DeleteFileSystemCommand } from "@aws-sdk/client-s3files";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { AwsError, throttled } from "./errors.ts";
import { sdkClients } from "./in-process.ts";
import { serveWorld, type RunningWorld } from "./server.ts";
import { ACCOUNT, FakeAwsWorld } from "./world.ts";

let running: RunningWorld | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function world(): Promise<{ world: FakeAwsWorld; clients: ReturnType<typeof sdkClients> }> {
  const w = new FakeAwsWorld();
  running = await serveWorld(w);
  return { world: w, clients: sdkClients(running.url, "us-west-2") };
}

function eni(w: FakeAwsWorld, overrides: Partial<Parameters<FakeAwsWorld["addEni"]>[0]> = {}) {
  return w.addEni({ region: "us-west-2", SubnetId: "subnet-1", VpcId: "vpc-1", AvailabilityZone: "us-west-2a", InterfaceType: "interface", Description: "", OwnerId: ACCOUNT, RequesterManaged: false, Status: "available", Groups: [], TagSet: [], createdBy: "test", ...overrides });
}

describe("the fake world through the real SDK clients", () => {
  it("STS (query protocol) answers GetCallerIdentity", async () => {
    const { clients } = await world();
    expect(await clients.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: ACCOUNT, Arn: expect.stringMatching(/^arn:aws:sts::123456789012:/) });
  });

  it("EC2 (ec2 protocol): ENIs in AWS's shape, pages of MaxResults, and AWS's error codes", async () => {
    const { world: w, clients } = await world();
    for (let i = 0; i < 12; i++) eni(w);
    const attached = eni(w, { InterfaceType: "nat_gateway", RequesterManaged: true, Status: "in-use", Attachment: { AttachmentId: "ela-attach-0123", InstanceOwnerId: "amazon-aws", Status: "attached", AttachTime: "2026-11-02T08:00:00.000Z", DeviceIndex: 1, DeleteOnTermination: false } });
    const pages = [];
    for await (const page of paginateDescribeNetworkInterfaces({ client: clients.ec2, pageSize: 5 }, { Filters: [{ Name: "vpc-id", Values: ["vpc-1"] }] })) pages.push(page.NetworkInterfaces ?? []);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 3]);
    const nat = pages.flat().find((e) => e.NetworkInterfaceId === attached.NetworkInterfaceId)!;
    expect(nat).toMatchObject({ InterfaceType: "nat_gateway", RequesterManaged: true, OwnerId: ACCOUNT, Status: "in-use", Attachment: { AttachmentId: "ela-attach-0123", InstanceOwnerId: "amazon-aws" } });
    await expect(clients.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: attached.NetworkInterfaceId }))).rejects.toMatchObject({ name: "InvalidNetworkInterface.InUse" });
    await expect(clients.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: "ela-attach-0123" }))).rejects.toMatchObject({ name: "OperationNotPermitted", message: "You are not allowed to manage 'ela-attach' attachments." });
    await expect(clients.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: "eni-0nothere" }))).rejects.toMatchObject({ name: "InvalidNetworkInterfaceID.NotFound" });
  });

  it("S3 Files (rest-json): ConflictException carries its errorCode member", async () => {
    const { world: w, clients } = await world();
    w.add({ type: "aws_s3files_file_system", id: "fs-00000000000000001", region: "us-west-2", attributes: {}, tags: {} });
    w.pendingExportUntil.set("fs-00000000000000001", w.now() + 60_000);
    await expect(clients.s3files.send(new DeleteFileSystemCommand({ fileSystemId: "fs-00000000000000001" }))).rejects.toMatchObject({
      name: "ConflictException",
      errorCode: "FileSystemHasPendingExport",
      $metadata: { httpStatusCode: 409 },
    });
  });

  it("throttling with Retry-After is retried by the SDK itself; InternalServiceException of the tagging API is not", async () => {
    const { world: w, clients } = await world();
    w.failNext("tagging", "GetResources", throttled("ThrottledException", 0));
    expect(await clients.tagging.send(new GetResourcesCommand({}))).toMatchObject({ ResourceTagMappingList: [], PaginationToken: "" });
    expect(w.count("tagging", "GetResources")).toBe(2);
    w.failNext("tagging", "GetResources", new AwsError("InternalServiceException", "The request processing has failed because of an unknown error, exception or failure."));
    await expect(clients.tagging.send(new GetResourcesCommand({}))).rejects.toMatchObject({ name: "InternalServiceException" });
  });
});
