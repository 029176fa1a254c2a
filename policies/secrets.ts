/** What looks like a secret in runtime configuration: the schema refuses it at synth, the audit reports it. */

const SECRET_LIKE_WORDS = ["TOKEN", "TOKENS", "SECRET", "SECRETS", "KEY", "KEYS", "APIKEY", "PASSWORD", "PASSWD", "PWD", "CREDENTIAL", "CREDENTIALS"];

/** A variable name with a secret-like word in it, e.g. GITHUB_TOKEN, OPENAI_API_KEY. */
export function isSecretLikeName(name: string): boolean {
  return name.toUpperCase().split("_").some((word) => SECRET_LIKE_WORDS.includes(word));
}

/** A value shaped like a credential: AWS access key ids, private keys, GitHub, Slack and OpenAI-style tokens. */
export function isSecretLikeValue(value: string): boolean {
  return /(AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|ghp_[A-Za-z0-9]{20,}|xox[bp]-|sk-[A-Za-z0-9]{20,}/.test(value);
}
