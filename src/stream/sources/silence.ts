/**
 * Noticing a glove that goes quiet without closing its link (WiFi out of range, firmware hung,
 * a USB adapter that keeps the port open): a timer restarted by every chunk of data that fires
 * after `ms` without any. The source then says "no data for N s" and reconnects.
 */
export class SilenceWatch {
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `ms` 0 or undefined: never fires. */
  constructor(private readonly ms: number | undefined, private readonly onSilent: () => void) {}

  /** Data arrived: start counting again. */
  kick(): void {
    if (!this.ms) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onSilent, this.ms);
    this.timer.unref?.();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** `no data for 5 s` (or 0.5 s). */
export function silenceMessage(ms: number): string {
  const s = ms / 1000;
  return `no data for ${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
