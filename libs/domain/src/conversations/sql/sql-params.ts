/** Collects the values of a parameterised statement and hands out their `$n` placeholders. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Placeholder for `value`, with an optional cast (`$3::bigint`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}
