// Every secret the suite handles (client secrets, access tokens), so that nothing it prints or writes ever contains
// one.
class SecretRegistry {
  private readonly placeholders = new Map<string, string>();

  /** Registers a secret value; returns the value for convenience. */
  add(value: string, placeholder: string): string {
    // Very short values would mask ordinary words in reports; no real secret is that short.
    if (value.length >= 4 && !this.placeholders.has(value)) this.placeholders.set(value, placeholder);
    return value;
  }

  /** Every placeholder name in use (without the `$`). */
  names(): string[] {
    return [...new Set([...this.placeholders.values()].map((p) => p.slice(1)))];
  }

  placeholderOf(value: string): string | undefined {
    return this.placeholders.get(value);
  }

  /** The text with every known secret replaced by its placeholder (`$VAR`). */
  mask(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const [value, placeholder] of [...this.placeholders].sort((a, b) => b[0].length - a[0].length))
      if (out.includes(value)) out = out.split(value).join(placeholder);
    return out;
  }
}

export const secrets = new SecretRegistry();
