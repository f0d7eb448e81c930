package io.jamwatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class PortableActivationsTest {

  @Test
  void expIsWithinTwoDoubleUlpsOfStrictMath() {
    for (double x = -100; x <= 100; x += 0.000731) {
      double want = StrictMath.exp(x), have = PortableActivations.exp(x);
      assertEquals(want, have, 2 * Math.ulp(want), "exp(" + x + ")");
    }
    assertEquals(1.0, PortableActivations.exp(0.0));
    assertTrue(Double.isNaN(PortableActivations.exp(Double.NaN)));
  }

  /** Within one float ulp of the correctly computed value (StrictMath, fdlibm) over the whole useful range. */
  @Test
  void sigmoidAndTanhAreWithinOneFloatUlpOfStrictMath() {
    int n = 0;
    for (double d = -120; d <= 60; d += 0.000377) {
      float v = (float) d;
      float sWant = (float) (1.0 / (1.0 + StrictMath.exp(-(double) v)));
      float tWant = (float) StrictMath.tanh(v);
      assertEquals(sWant, PortableActivations.sigmoid(v), Math.ulp(sWant), "sigmoid(" + v + ")");
      assertEquals(tWant, PortableActivations.tanh(v), Math.ulp(tWant), "tanh(" + v + ")");
      n++;
    }
    for (float v = -1e-3f; v <= 1e-3f; v += 3.1e-7f) { // near 0, where tanh returns v itself below 2^-14
      float tWant = (float) StrictMath.tanh(v);
      assertEquals(tWant, PortableActivations.tanh(v), Math.ulp(tWant), "tanh(" + v + ")");
    }
    assertTrue(n > 400_000);
  }

  @Test
  void specialValues() {
    assertTrue(Float.isNaN(PortableActivations.sigmoid(Float.NaN)));
    assertTrue(Float.isNaN(PortableActivations.tanh(Float.NaN)));
    assertEquals(1f, PortableActivations.sigmoid(Float.POSITIVE_INFINITY));
    assertEquals(0f, PortableActivations.sigmoid(Float.NEGATIVE_INFINITY));
    assertEquals(0.5f, PortableActivations.sigmoid(0f));
    assertEquals(-1f, PortableActivations.tanh(Float.NEGATIVE_INFINITY));
    assertEquals(1f, PortableActivations.tanh(Float.POSITIVE_INFINITY));
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(PortableActivations.tanh(-0f)));
  }

  /**
   * The bits are pinned: a CRC over sigmoid and tanh of ~460k floats, recorded on the machine of
   * BENCHMARKS.md (JDK 17, x86-64). A JVM, JIT or CPU on which these activations gave other bits
   * would fail here. The loop runs often enough for C2 to compile it, so interpreted and compiled
   * code are both in the checksum.
   */
  @Test
  void bitsArePinnedByAGoldenChecksum() {
    for (int rep = 0; rep < 3; rep++) {
      CRC32 crc = new CRC32();
      for (double d = -120; d <= 60; d += 0.000391) {
        float v = (float) d;
        update(crc, Float.floatToRawIntBits(PortableActivations.sigmoid(v)));
        update(crc, Float.floatToRawIntBits(PortableActivations.tanh(v)));
      }
      System.out.printf("activation checksum %08x%n", crc.getValue());
      assertEquals(GOLDEN, crc.getValue(), "activation bits changed (repetition " + rep + ")");
    }
  }

  static final long GOLDEN = 0x17701114L;

  private static void update(CRC32 crc, int bits) {
    crc.update(bits >>> 24);
    crc.update(bits >>> 16);
    crc.update(bits >>> 8);
    crc.update(bits);
  }
}
