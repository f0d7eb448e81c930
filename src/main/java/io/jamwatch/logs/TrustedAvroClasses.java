package io.jamwatch.logs;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro 1.12 instantiate the project's generated classes ({@code io.jamwatch.avro.*}).
 *
 * <p>Since Avro 1.11.4 / 1.12.0 (CVE-2024-47561) a {@code SpecificDatumReader} only loads classes
 * a {@link ClassSecurityValidator} trusts; the default trusts java.lang and a few others, so reading
 * a {@code ScannerEvent} fails with "Forbidden io.jamwatch.avro.ScannerEvent". Instead of the
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property (which every launcher and test JVM
 * would need), every reader of specific records calls {@link #register()} once; it widens the
 * current global predicate by exactly our generated package.
 */
public final class TrustedAvroClasses {

  /** Package of the classes generated from {@code schemas/*.avsc}. */
  public static final String PACKAGE = "io.jamwatch.avro.";

  private static boolean registered;

  private TrustedAvroClasses() {}

  /** Idempotent and thread-safe. */
  public static synchronized void register() {
    if (registered) {
      return;
    }
    ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
        previous, c -> c.getName().startsWith(PACKAGE)));
    registered = true;
  }
}
