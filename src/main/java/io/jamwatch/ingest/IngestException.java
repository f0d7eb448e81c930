package io.jamwatch.ingest;

/**
 * A record that cannot become a ScannerEvent, with the {@link IngestFailure} that names why. No
 * stack trace: bad input is an expected outcome (it becomes a dead letter), not a bug.
 */
public final class IngestException extends RuntimeException {
  private final IngestFailure failure;

  public IngestException(IngestFailure failure, String message) {
    super(message, null, false, false);
    this.failure = failure;
  }

  public IngestException(IngestFailure failure, String message, Throwable cause) {
    super(message, cause, false, false);
    this.failure = failure;
  }

  public IngestFailure failure() {
    return failure;
  }
}
