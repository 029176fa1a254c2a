/**
 * The stand-in `terraform` executable (see cli.ts for what it does): a process on the fake world's HTTP
 * endpoint and shared clock file. bin wrappers written by the harness run it with Node's built-in
 * TypeScript support.
 */
import { createInterface } from "node:readline";
import { terraform } from "./cli.ts";
import { httpRemote } from "./remote.ts";

function readLine(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const reader = createInterface({ input: process.stdin });
    let answered = false;
    reader.once("line", (line) => {
      answered = true;
      reader.close();
      resolve(line);
    });
    reader.once("close", () => {
      if (!answered) resolve(undefined);
    });
  });
}

const code = await terraform(process.argv.slice(2), {
  cwd: process.cwd(),
  remote: httpRemote(process.env),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readLine,
  env: process.env,
});
// Exit once both streams are flushed (fetch's keep-alive sockets would otherwise hold the process open).
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
