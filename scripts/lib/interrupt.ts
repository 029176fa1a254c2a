/**
 * Ctrl-C during deploy or teardown (review finding 10). A terminal sends SIGINT to the whole foreground process
 * group, so the Terraform that cdktn runs receives it too and stops gracefully: it finishes the operation in
 * flight, writes its state and releases its lock (Terraform CLI docs: an interrupt "gracefully" stops; a second
 * one stops at once and may leave the state locked). So the script does not exit under Terraform: on the first
 * SIGINT it starts nothing new, lets running steps end, reports what happened and exits 130 (128 + SIGINT, the
 * shell's convention). A second Ctrl-C exits at once, saying what that may leave behind.
 */
import { EXIT } from "./cli.ts";

export interface Interrupt {
  /** True once Ctrl-C was pressed: start nothing new. */
  readonly stopped: () => boolean;
  /** Removes the handler (the command is done). */
  readonly dispose: () => void;
}

export function onInterrupt(command: string, say: (line: string) => void = (line) => console.error(line), exit: (code: number) => void = (code) => process.exit(code)): Interrupt {
  let count = 0;
  const handler = () => {
    count += 1;
    if (count === 1) {
      say(`\nCtrl-C: ${command} starts nothing new and waits for the running steps to finish (Terraform writes its state and releases its lock). Press Ctrl-C again to stop at once (a state may stay locked: terraform force-unlock).`);
      return;
    }
    say(`\nStopped at once: a Terraform state may be left locked (terraform force-unlock <id> in the stack's folder), and a resource half-made. Run ${command} again to continue from what is there.`);
    exit(EXIT.interrupted);
  };
  process.on("SIGINT", handler);
  return { stopped: () => count > 0, dispose: () => process.off("SIGINT", handler) };
}
