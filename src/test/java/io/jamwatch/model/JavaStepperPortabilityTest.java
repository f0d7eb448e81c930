package io.jamwatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The java runtime's bits do not depend on how the JVM runs it: a checksum of every output of a
 * stepped sequence (a stacked GRU with linear_before_reset and an LSTM, both heads, residual
 * forecast and input clip) computed here after C2 has compiled the step equals the checksum of
 * forked JVMs that interpret it ({@code -Xint}), that only use C1, and that may not use AVX or
 * SuperWord vectorisation.
 */
class JavaStepperPortabilityTest {
  static final int F = 16, H = 32, STEPS = 1500;

  static long checksum() {
    CRC32 crc = new CRC32();
    for (CellType cell : new CellType[] {CellType.GRU, CellType.LSTM}) {
      NetworkWeights w = NetworkWeights.random(cell, F, H, 2, cell == CellType.GRU, true, true, new SplittableRandom(3));
      w.makeResidual(new int[] {0, 3, 5}, 0.5f);
      w.setInputClip(4f);
      JavaStepper s = new JavaStepper(w);
      SplittableRandom rng = new SplittableRandom(4);
      float[] x = new float[F], h = new float[2 * H], c = new float[2 * H], pred = new float[F];
      for (int t = 0; t < STEPS; t++) {
        for (int i = 0; i < F; i++) x[i] = (float) (rng.nextGaussian() * (t % 7 == 6 ? 6 : 1));
        update(crc, s.step(x, h, c, pred));
        for (float v : pred) update(crc, v);
        for (float v : h) update(crc, v);
        for (float v : c) update(crc, v);
      }
    }
    return crc.getValue();
  }

  private static void update(CRC32 crc, float v) {
    int b = Float.floatToRawIntBits(v);
    crc.update(b >>> 24);
    crc.update(b >>> 16);
    crc.update(b >>> 8);
    crc.update(b);
  }

  /** Entry point of the forked JVMs: prints the checksum. */
  public static void main(String[] args) {
    System.out.println(Long.toHexString(checksum()));
  }

  @Test
  void sameBitsCompiledInterpretedAndWithoutVectorInstructions() throws Exception {
    long here = 0;
    for (int i = 0; i < 6; i++) {
      long c = checksum(); // repeated: the later rounds run C2-compiled code
      if (i > 0) assertEquals(here, c, "round " + i);
      here = c;
    }
    System.out.printf("JavaStepper checksum in this JVM: %x%n", here);
    for (List<String> flags : List.of(List.of("-Xint"), List.of("-XX:TieredStopAtLevel=1"),
        List.of("-XX:UseAVX=0", "-XX:-UseSuperWord"))) {
      long forked = fork(flags);
      System.out.printf("JavaStepper checksum with %s: %x%n", flags, forked);
      assertEquals(here, forked, "checksum with " + flags);
    }
  }

  private static long fork(List<String> flags) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(JavaStepperPortabilityTest.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("forked JVM " + flags + " did not finish in 300 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), out);
    String[] lines = out.split("\\R");
    return Long.parseUnsignedLong(lines[lines.length - 1].trim(), 16);
  }
}
