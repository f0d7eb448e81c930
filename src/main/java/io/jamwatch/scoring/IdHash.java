package io.jamwatch.scoring;

/**
 * The 64-bit hashes the device state keeps instead of strings: the CRC-64-AVRO fingerprint (the
 * Rabin fingerprint of the <a href="https://avro.apache.org/docs/1.12.0/specification/#schema-fingerprints">Avro
 * specification</a>, polynomial {@code 0xc15d213aa4d7a795}) of a string's UTF-8 bytes, computed
 * char by char without allocating (equal to {@code SchemaNormalization.fingerprint64(s.getBytes(UTF_8))},
 * an unpaired surrogate encoded as {@code '?'} as {@code String.getBytes} does). The stream's store
 * and the offline scorer recognise duplicate eventIds by it, so they agree; two distinct ids among
 * a device's last 16 collide with probability about 16 / 2^64.
 */
public final class IdHash {
  private static final long EMPTY = 0xc15d213aa4d7a795L;
  private static final long[] TABLE = new long[256];

  static {
    for (int i = 0; i < 256; i++) {
      long fp = i;
      for (int j = 0; j < 8; j++) fp = (fp >>> 1) ^ (EMPTY & -(fp & 1L));
      TABLE[i] = fp;
    }
  }

  private IdHash() {}

  /** CRC-64-AVRO of the UTF-8 bytes of {@code s}. */
  public static long of(CharSequence s) {
    long h = EMPTY;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        h = add(h, ch);
      } else if (ch < 0x800) {
        h = add(add(h, 0xC0 | (ch >> 6)), 0x80 | (ch & 0x3F));
      } else if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(ch, s.charAt(++i));
        h = add(add(add(add(h, 0xF0 | (cp >> 18)), 0x80 | ((cp >> 12) & 0x3F)), 0x80 | ((cp >> 6) & 0x3F)),
            0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(ch)) {
        h = add(h, '?');
      } else {
        h = add(add(add(h, 0xE0 | (ch >> 12)), 0x80 | ((ch >> 6) & 0x3F)), 0x80 | (ch & 0x3F));
      }
    }
    return h;
  }

  private static long add(long h, int b) {
    return (h >>> 8) ^ TABLE[(int) (h ^ b) & 0xff];
  }

  /**
   * The 8-byte fingerprint a device state keeps of the model that wrote it: the first 8 bytes
   * (big-endian, so its hex is the id's first 16 characters) of a SHA-256 hex model id, else
   * {@link #of} the id (a model-free scorer's).
   */
  public static long modelFingerprint(String modelId) {
    if (modelId.length() == 64) {
      long v = 0;
      for (int i = 0; i < 16; i++) {
        int d = Character.digit(modelId.charAt(i), 16);
        if (d < 0) return of(modelId);
        v = (v << 4) | d;
      }
      return v;
    }
    return of(modelId);
  }

  /** The fingerprint as 16 hex characters (a model id's prefix). */
  public static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }
}
