/**
 * Checks Terraform makes at plan time, for facts synth cannot know: chiefly the deploying account, when an
 * environment does not pin one (its account id is then data.aws_caller_identity's, a token at synth).
 */
import { Op, Token, type Precondition } from "cdktn";

/**
 * A precondition that `accountId` (the stack's account: a literal or the caller identity's token) is
 * `expected`. Empty when the account is a literal: the caller then compares at synth and throws.
 */
export function inAccountPrecondition(accountId: string, expected: string, errorMessage: string): Precondition[] {
  return Token.isUnresolved(accountId) ? [{ condition: Op.eq(accountId, expected), errorMessage }] : [];
}

/** A resource's `lifecycle` carrying these preconditions, or nothing when there are none. */
export function withPreconditions(preconditions: readonly Precondition[]): { lifecycle?: { precondition: Precondition[] } } {
  return preconditions.length > 0 ? { lifecycle: { precondition: [...preconditions] } } : {};
}
