/** 100000 -> "100,000": limits read as words, not digit runs. */
export function grouped(value: number): string {
  return value.toLocaleString('en-US');
}
