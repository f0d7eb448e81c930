package io.jamwatch.model;

/**
 * sigmoid and tanh whose bits do not depend on the JVM, the JIT or the CPU, for the serving-side
 * Java runtime ({@link JavaStepper}).
 *
 * <p>Why not {@code Math.exp} / {@code Math.tanh}: their specification allows 1 ulp of error and
 * HotSpot replaces them with CPU-specific intrinsics (and the interpreter, C1 and C2 need not agree),
 * so the same model could score differently on two machines, or before and after JIT compilation.
 * {@code StrictMath} is exact to fdlibm but is a native call on JDK 17, too slow for a few hundred
 * activations per step.
 *
 * <p>What is used instead: plain double arithmetic, which Java 17 defines bit for bit (JEP 306,
 * strict IEEE 754 everywhere; javac and the JIT never contract a*b+c into an FMA nor reorder), and
 * {@code Math.floor}/{@code Math.abs}, which are exact operations. exp(x): table-driven reduction
 * (Tang's method) x = (64 m + j) ln2/64 + r with |r| &lt;= ln2/128 (ln2 split as fdlibm's ln2HI +
 * ln2LO, so k*ln2HI/64 is exact), e^r by its Taylor polynomial of degree 5 in Horner form (truncation
 * below 4e-17 relative), times 2^(j/64) from a 64-entry table (filled once by {@code StrictMath.pow},
 * which the Java specification pins to fdlibm's bits) and 2^m built from the exponent bits. Within 2
 * double ulps of StrictMath.exp; the short polynomial halves the cost of an activation against the
 * degree-13 polynomial on |r| &lt;= ln2/2 used before, with the same float bits over the whole tested
 * range. The results are within 1 float ulp of the correctly rounded sigmoid and
 * tanh (tested against StrictMath), and their bits are pinned by a golden checksum test.
 */
public final class PortableActivations {
  private PortableActivations() {}

  private static final int TABLE = 64; // 2^(j/64), j < 64
  private static final double[] TWO_TO_J = new double[TABLE];

  static {
    for (int j = 0; j < TABLE; j++) TWO_TO_J[j] = StrictMath.pow(2.0, j / (double) TABLE);
  }

  private static final double TABLE_OVER_LN2 = TABLE * 1.44269504088896338700e+00; // 64 / ln 2
  // fdlibm's ln2HI (low 32 bits of the mantissa zero) and ln 2 - ln2HI, divided by 64 (exact: a power of two)
  private static final double LN2_HI = 6.93147180369123816490e-01 / TABLE;
  private static final double LN2_LO = 1.90821492927058770002e-10 / TABLE;

  /**
   * e^x for |x| &lt;= 700 (callers clamp; outside it the result is not meaningful). NaN in, NaN
   * out.
   */
  public static double exp(double x) {
    double kd = Math.floor(x * TABLE_OVER_LN2 + 0.5); // nearest integer k = 64 m + j
    double r = (x - kd * LN2_HI) - kd * LN2_LO; // |r| <= ln2/128 (+ a rounding)
    // e^r = sum_{n <= 5} r^n / n!
    double p = 1.0 + r * (1.0 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
    long k = (long) kd; // NaN -> 0, so NaN stays in p
    // 2^(j/64) * e^r * 2^m, 2^m normal for |m| <= 1022
    return TWO_TO_J[(int) (k & (TABLE - 1))] * p * Double.longBitsToDouble(((k >> 6) + 1023) << 52);
  }

  /**
   * 1 / (1 + e^-v) in double, rounded once to float. Beyond v &gt;= 40 the true value rounds to 1f,
   * below -104 to 0f (it is under half the smallest float subnormal).
   */
  public static float sigmoid(float v) {
    if (v >= 40f) return 1f;
    if (v <= -104f) return 0f;
    return (float) (1.0 / (1.0 + exp(-(double) v)));
  }

  /**
   * tanh(v) = sign(v) (1 - e^{-2|v|}) / (1 + e^{-2|v|}) in double, rounded once to float (no
   * cancellation trouble: 1 - e is exact by Sterbenz's lemma when e &gt;= 1/2). |v| &lt; 2^-14 returns v
   * (tanh v = v - v^3/3 ..., the correction is under a quarter ulp); |v| &gt; 9.5 returns +-1 (the true
   * value rounds to it).
   */
  public static float tanh(float v) {
    double a = Math.abs((double) v);
    if (a < 0x1p-14) return v;
    if (a > 9.5) return v > 0 ? 1f : -1f;
    double e = exp(-2.0 * a);
    double t = (1.0 - e) / (1.0 + e);
    return (float) (v < 0 ? -t : t);
  }
}
