/**
 * A text progress bar for chats that cannot draw one: `▰▰▰▱▱▱▱▱▱▱ 30%`.
 * `ratio` is clamped to [0, 1]; the percentage is floored so 99.9% never shows as 100%.
 */
export function progressBar(ratio: number, width = 10): string {
  const clamped = Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 0;
  const filled = Math.floor(clamped * width);
  const percent = Math.floor(clamped * 100);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${percent}%`;
}
