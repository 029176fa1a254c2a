import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { storageBench, parseSize } from "../../agent/src/bench.ts";
import { TieredStorage } from "../../agent/src/tiering.ts";

let session: string;
let warm: string;
let tiers: TieredStorage;

beforeEach(() => {
  const root = mkdtempSync(join(tmpdir(), "tiers-"));
  session = join(root, "workspace");
  warm = join(root, "s3data");
  mkdirSync(session);
  mkdirSync(warm);
  tiers = new TieredStorage({ sessionPath: session, s3FilesPath: warm, sessionLimitBytes: 100_000 });
});

describe("tiering helpers", () => {
  it("keeps hot files in session storage while there is room", async () => {
    expect(await tiers.writeHot("notes/a.txt", "x".repeat(10_000))).toEqual({ tier: "session", spilled: [] });
    expect(existsSync(join(session, "notes/a.txt"))).toBe(true);
    expect(existsSync(join(warm, "notes/a.txt"))).toBe(false);
  });

  it("spills the oldest files to S3 Files once session storage passes 80%, down to 60%", async () => {
    for (const [i, name] of ["old.bin", "mid.bin", "new.bin"].entries()) {
      await tiers.writeHot(name, Buffer.alloc(25_000));
      utimesSync(join(session, name), 1_000 + i, 1_000 + i);
    }
    const result = await tiers.writeHot("newest.bin", Buffer.alloc(25_000));
    expect(result.spilled).toEqual(["old.bin", "mid.bin"]);
    expect(existsSync(join(session, "old.bin"))).toBe(false);
    expect(readFileSync(join(warm, "old.bin")).length).toBe(25_000);
    expect((await tiers.read("old.bin")).tier).toBe("s3files");
    expect((await tiers.read("newest.bin")).tier).toBe("session");
  });

  it("writes important results to both tiers, so they survive a runtime update", async () => {
    expect(await tiers.writeImportant("results/report.json", '{"ok":true}')).toEqual(["session", "s3files"]);
    expect(readFileSync(join(session, "results/report.json"), "utf8")).toBe('{"ok":true}');
    expect(readFileSync(join(warm, "results/report.json"), "utf8")).toBe('{"ok":true}');
  });

  it("refuses paths that leave a tier", async () => {
    await expect(tiers.writeHot("../escape.txt", "x")).rejects.toThrow('path "../escape.txt" leaves the session tier');
  });
});

describe("symbolic links: the S3 Files tier is shared by every session, so no link may lead out of a tier", () => {
  let outside: string;
  beforeEach(() => {
    outside = mkdtempSync(join(tmpdir(), "outside-"));
    writeFileSync(join(outside, "secret.txt"), "not for agents");
  });

  it("refuses to read through a link that leaves the tier (a file or a directory link)", async () => {
    symlinkSync(join(outside, "secret.txt"), join(warm, "innocent.txt"));
    symlinkSync(outside, join(warm, "shared"));
    await expect(tiers.read("innocent.txt")).rejects.toThrow('path "innocent.txt" leaves the s3files tier through a symbolic link');
    await expect(tiers.read("shared/secret.txt")).rejects.toThrow('path "shared/secret.txt" leaves the s3files tier through a symbolic link');
    symlinkSync("/proc/self/environ", join(session, "env"));
    await expect(tiers.read("env")).rejects.toThrow("leaves the session tier through a symbolic link");
  });

  it("refuses to write through a link that leaves the tier, and leaves the target untouched", async () => {
    symlinkSync(join(outside, "secret.txt"), join(warm, "report.json"));
    symlinkSync(outside, join(warm, "results"));
    await expect(tiers.writeImportant("report.json", "overwritten")).rejects.toThrow("leaves the s3files tier through a symbolic link");
    await expect(tiers.writeImportant("results/new/deep.json", "x")).rejects.toThrow("leaves the s3files tier through a symbolic link");
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("not for agents");
    expect(existsSync(join(outside, "new"))).toBe(false);
  });

  it("refuses to spill into a link planted in the shared tier", async () => {
    symlinkSync(join(outside, "secret.txt"), join(warm, "old.bin"));
    await tiers.writeHot("old.bin", Buffer.alloc(50_000));
    utimesSync(join(session, "old.bin"), 1_000, 1_000);
    await expect(tiers.writeHot("new.bin", Buffer.alloc(40_000))).rejects.toThrow("leaves the s3files tier through a symbolic link");
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("not for agents");
  });

  it("refuses a broken link, and follows a link that stays inside the tier", async () => {
    symlinkSync(join(warm, "nowhere"), join(warm, "dangling"));
    await expect(tiers.read("dangling")).rejects.toThrow("goes through a broken link in the s3files tier");
    mkdirSync(join(warm, "real"));
    writeFileSync(join(warm, "real", "data.txt"), "inside");
    symlinkSync(join(warm, "real"), join(warm, "alias"));
    expect((await tiers.read("alias/data.txt")).data.toString()).toBe("inside");
  });
});

describe("benchmark pieces", () => {
  it("parses the sizes people write", () => {
    expect(["1KB", "100 KB", "1MB", "10MB", 512, "1.5KB"].map(parseSize)).toEqual([1024, 102400, 1048576, 10485760, 512, 1536]);
    expect(["1GB", "ten", -1, 0].map(parseSize)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("reports a tier that is not mounted as an error instead of timings", async () => {
    const rows = await storageBench({
      sizes: [1024],
      repeat: 1,
      sessionPath: session,
      s3FilesPath: join(warm, "not-mounted", "\0bad"),
      prefix: "agent-data",
      store: { put: async () => {}, get: async () => new Uint8Array(), remove: async () => {} },
    });
    expect(rows[0]!.session).toEqual({ writeMs: expect.any(Number), readMs: expect.any(Number) });
    expect(rows[0]!.s3files).toEqual({ error: expect.any(String) });
  });
});
