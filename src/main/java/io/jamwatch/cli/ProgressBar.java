package io.jamwatch.cli;

import java.io.PrintStream;

/**
 * A one-line {@code \r} progress bar on stderr for long commands, redrawn at most every 200 ms of
 * wall time, so printing never dominates the work it reports on.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final String label;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private long lastDraw;

  public ProgressBar(String label) {
    this(label, System.err);
  }

  public ProgressBar(String label, PrintStream out) {
    this.label = label;
    this.out = out;
  }

  /**
   * @param fraction done, 0..1
   * @param detail short text after the bar (counts, rates)
   */
  public void update(double fraction, String detail) {
    long t = System.nanoTime();
    if (t - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = t;
    draw(fraction, detail);
  }

  /** Draws the final state and ends the line. */
  public void finish(String detail) {
    draw(1, detail);
    out.println();
  }

  /** Wall seconds since the bar was created. */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void draw(double fraction, String detail) {
    double f = Math.max(0, Math.min(1, fraction));
    int filled = (int) Math.round(f * WIDTH);
    out.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
        + String.format("%3.0f%% ", f * 100) + detail + "   ");
    out.flush();
  }
}
