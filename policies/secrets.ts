/**
 * What looks like a secret in runtime configuration. One detector for the schema (which refuses it at synth)
 * and the audit rule config-no-secret-env (which reports it in synthesized output). It says *why* a name or
 * value looks secret, and never repeats the value.
 *
 * Names: secret words anywhere in the name, in any case and any spelling of word boundaries (DB_PASSWORD,
 * dbPassword, PRIVATEKEY, x-api-key). Values: current credential formats, URLs that carry a password, and
 * long random-looking tokens (see highEntropyToken for the measure and what it leaves out by design).
 */

/** Words that make a name secret wherever they appear, even run together with others (DBPASSWORD). */
const SECRET_WORDS_ANYWHERE = [
  "PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "CREDENTIAL", "PRIVATEKEY", "APIKEY", "ACCESSKEY", "SIGNINGKEY",
  "ENCRYPTIONKEY", "MASTERKEY", "SESSIONKEY", "AUTHTOKEN", "ACCESSTOKEN", "REFRESHTOKEN", "BEARERTOKEN",
  "SESSIONTOKEN", "APITOKEN", "IDTOKEN", "BOTTOKEN", "CONNECTIONSTRING",
];

/** Words that make a name secret when they stand as a word of their own (GITHUB_TOKEN, DB_PASS, SSH_KEY). */
const SECRET_WORDS = ["TOKEN", "TOKENS", "PWD", "PASS", "KEY", "KEYS", "CREDS"];

/** KEY names configuration, not a secret, beside these words (CACHE_KEY, S3_KEY_PREFIX, KMS_KEY_ID, PUBLIC_KEY). */
const KEY_IS_CONFIGURATION_WITH = new Set([
  "CACHE", "PARTITION", "SORT", "PRIMARY", "FOREIGN", "ROUTING", "HASH", "RANGE", "S3", "OBJECT", "BUCKET", "PREFIX",
  "ID", "ARN", "ALIAS", "NAME", "PATH", "FILE", "KMS", "PUBLIC", "MAP", "LOOKUP", "IDEMPOTENCY",
]);

/** TOKEN(S) counts model tokens, not credentials, beside these words (MAX_TOKENS, maxOutputTokens, TOKEN_LIMIT). */
const TOKENS_ARE_A_COUNT_WITH = new Set(["MAX", "MIN", "LIMIT", "COUNT", "NUM", "NUMBER", "BUDGET", "TOTAL", "PER", "SIZE", "LENGTH", "WINDOW", "CONTEXT", "OUTPUT", "INPUT"]);

/** The words of a name: split at _ - . / : and spaces, and where camelCase changes case (dbPassword, DBPassword). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_.\-/:]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** Why a variable name looks like it holds a secret, or undefined. */
export function secretLikeName(name: string): string | undefined {
  const words = nameWords(name);
  const joined = words.join("");
  const anywhere = SECRET_WORDS_ANYWHERE.find((word) => joined.includes(word));
  if (anywhere !== undefined) return `its name contains ${anywhere}`;
  const word = words.find((w, i) => {
    if (!SECRET_WORDS.includes(w)) return false;
    if (w === "KEY" || w === "KEYS") return !words.some((other, j) => j !== i && KEY_IS_CONFIGURATION_WITH.has(other));
    if (w === "TOKEN" || w === "TOKENS") return !words.some((other) => TOKENS_ARE_A_COUNT_WITH.has(other));
    return true;
  });
  return word !== undefined ? `its name has the word ${word}` : undefined;
}

/**
 * Credential formats, each with what it is. Sources: the issuers' documented prefixes (AWS IAM "Understanding
 * unique ID prefixes"; GitHub "About authentication: token formats"; OpenAI and Anthropic key prefixes; Stripe
 * "API keys"; Slack "Token types"; GitLab "Token prefixes"; RFC 7519 for JWTs).
 */
const CREDENTIAL_FORMATS: readonly (readonly [(value: string) => boolean, string])[] = (
  [
    [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, "a PEM private key"],
    [/(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/, "an AWS access key id"],
    [awsSecretAccessKey, "an AWS secret access key (40 characters of base64)"],
    [/(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{20,}/, "an Anthropic API key (sk-ant-…)"],
    [/(?<![A-Za-z0-9])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/, "an OpenAI API key (sk-proj-…)"],
    [/(?<![A-Za-z0-9])sk-[A-Za-z0-9]{20,}/, "an OpenAI-style secret key (sk-…)"],
    [/(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/, "a Stripe secret key (sk_live_…)"],
    [/(?<![A-Za-z0-9])whsec_[A-Za-z0-9]{20,}/, "a webhook signing secret (whsec_…)"],
    [/(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{22,}/, "a GitHub fine-grained token (github_pat_…)"],
    [/(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{20,}/, "a GitHub token (ghp_…)"],
    [/(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,}/, "a GitLab token (glpat-…)"],
    [/(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/, "a Slack token (xox…-)"],
    [/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/, "a Slack webhook URL"],
    [/(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/, "a Google API key (AIza…)"],
    [/(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}/, "an npm token (npm_…)"],
    [/(?<![A-Za-z0-9])hf_[A-Za-z0-9]{30,}/, "a Hugging Face token (hf_…)"],
    [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, "a JSON Web Token"],
    [/[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/, "a URL with a password (scheme://user:password@host)"],
  ] as const
).map(([test, what]) => [typeof test === "function" ? test : (value: string) => test.test(value), what] as const);

/**
 * An AWS secret access key: exactly 40 characters of base64 (A-Z a-z 0-9 / +), standing alone, mixing upper
 * case, lower case and digits or symbols (AWS IAM User Guide, "Managing access keys": the example
 * wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY). Hexadecimal runs (commit ids) are left out.
 */
function awsSecretAccessKey(value: string): boolean {
  for (const match of value.matchAll(/(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g)) {
    const run = match[0];
    // The exact length and alphabet make this specific, so only runs made almost entirely of words (a
    // 40-character camelCase identifier) and base64-encoded text are let through.
    const mixed = /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9/+]/.test(run);
    if (mixed && !/^[0-9a-fA-F]+$/.test(run) && wordLikeShare(run) < 0.8 && !isEncodedText(run)) return true;
  }
  return false;
}

/** Shortest run of token characters the entropy measure looks at. */
export const HIGH_ENTROPY_MIN_LENGTH = 32;
/** Shannon entropy, in bits per character, from which a long token counts as random. */
export const HIGH_ENTROPY_BITS_PER_CHARACTER = 4.2;
/** Share of a token in word-like letter runs (4+ letters of one case) from which it reads as words, not noise. */
const WORD_LIKE_SHARE = 0.6;

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

function wordLikeShare(token: string): number {
  let inWords = 0;
  for (const run of token.matchAll(/[a-z]{4,}|[A-Z][a-z]{3,}|[A-Z]{4,}/g)) inWords += run[0].length;
  return inWords / token.length;
}

/** Base64 whose decoding is printable text: encoded configuration, not a random key. */
function isEncodedText(token: string): boolean {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token) || token.replace(/=+$/, "").length % 4 === 1) return false;
  const bytes = Buffer.from(token.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  const text = bytes.toString("utf8");
  return bytes.length > 0 && !text.includes("\uFFFD") && /^[\t\n\r\x20-\x7E\u00A0-\uFFFF]*$/.test(text);
}

/**
 * A long random-looking token: a run of at least HIGH_ENTROPY_MIN_LENGTH characters of [A-Za-z0-9+/=_-] with
 * at least HIGH_ENTROPY_BITS_PER_CHARACTER bits of Shannon entropy per character. Left out by design:
 * ARNs and URLs (a password in a URL is caught as a credential format), hexadecimal runs (UUIDs, SHA-256
 * digests, commit ids are identifiers), runs that read as words (camelCase, kebab-case, SCREAMING_CASE
 * configuration: 60% or more of the run in letter runs of 4+ of one case), and base64 that decodes to printable
 * text (encoded configuration). Random 32-character alphanumeric keys are flagged about 98% of the time; a key
 * of lowercase letters and digits only often reads as words and can be missed: name such variables for what
 * they are, and the name check catches them.
 */
export function highEntropyToken(value: string): boolean {
  const withoutArnsAndUrls = value.replace(/\barn:aws[a-z-]*:\S*/g, " ").replace(/\b[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*/g, " ");
  for (const match of withoutArnsAndUrls.matchAll(/[A-Za-z0-9+/=_-]{32,}/g)) {
    const token = match[0];
    const core = token.replace(/=+$/, "");
    if (core.length < HIGH_ENTROPY_MIN_LENGTH) continue;
    if (/^[0-9a-fA-F-]+$/.test(core)) continue;
    if (wordLikeShare(core) >= WORD_LIKE_SHARE) continue;
    if (isEncodedText(token)) continue;
    if (shannonEntropy(core) >= HIGH_ENTROPY_BITS_PER_CHARACTER) return true;
  }
  return false;
}

/** Why a value looks like a credential, or undefined. Never includes the value. */
export function secretLikeValue(value: string): string | undefined {
  const format = CREDENTIAL_FORMATS.find(([matches]) => matches(value));
  if (format !== undefined) return `its value looks like ${format[1]}`;
  return highEntropyToken(value) ? `its value has a long random-looking token (${HIGH_ENTROPY_MIN_LENGTH}+ characters, ≥ ${HIGH_ENTROPY_BITS_PER_CHARACTER} bits of entropy per character)` : undefined;
}

/** Why a variable looks like a secret (its name, else its value), or undefined. */
export function secretLikeVariable(name: string, value: string): string | undefined {
  return secretLikeName(name) ?? secretLikeValue(value);
}
