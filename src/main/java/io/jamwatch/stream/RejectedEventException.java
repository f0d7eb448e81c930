package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
/**
 * Thrown by the scoring processor, before it touches the state store, for an event it will not
 * apply; Kafka Streams hands it to {@link DeadLetterProcessingHandler}, which writes the dead
 * letter. No stack trace: it is an expected outcome, not a bug.
 */
public final class RejectedEventException extends RuntimeException {
  private final RejectReason reason;

  public RejectedEventException(RejectReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }
}
