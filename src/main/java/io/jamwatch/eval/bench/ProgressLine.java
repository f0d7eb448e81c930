package io.jamwatch.eval.bench;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn with '\r' at most every 200 ms. */
public final class ProgressLine {

  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String label;
  private final long total;
  private final long start = System.nanoTime();
  private long done;
  private long lastDraw;

  public ProgressLine(String label, long total) {
    this(System.err, label, total);
  }

  ProgressLine(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
  }

  /** Advances by {@code n} units; {@code what} names the current item. */
  public void advance(long n, String what) {
    done += n;
    long now = System.nanoTime();
    if (now - lastDraw > 200_000_000L || done >= total) {
      lastDraw = now;
      int filled = (int) (WIDTH * Math.min(1.0, (double) done / total));
      double secs = (now - start) / 1e9;
      out.print(
          "\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/"
              + total + String.format(" %.0fs ", secs) + (what == null ? "" : what) + "   ");
      out.flush();
    }
  }

  /** Ends the line. */
  public void finish() {
    out.println();
  }
}
