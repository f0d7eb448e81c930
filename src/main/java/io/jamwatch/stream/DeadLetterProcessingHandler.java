package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events the scoring processor rejects ({@link RejectedEventException}: NaN reading, duplicate,
 * out of order, ...) and any other exception thrown while processing one event go to the
 * dead-letter topic with the original bytes, and the stream resumes: input never stops the
 * stream. The processor throws before it writes the state store, so a rejected event leaves no
 * trace in the state.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = new DeadLetters(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    RejectReason reason;
    String message;
    if (exception instanceof RejectedEventException r) {
      reason = r.reason();
      message = r.getMessage();
      LOG.warn(
          "dead-lettering {}-{}@{}: {} {}",
          context.topic(), context.partition(), context.offset(), reason, message);
    } else {
      reason = RejectReason.PROCESSING_ERROR;
      message = exception.toString();
      LOG.error(
          "dead-lettering {}-{}@{} after a processing failure",
          context.topic(), context.partition(), context.offset(), exception);
    }
    return Response.resume(
        List.of(
            deadLetters.record(
                reason, message, context.topic(), context.partition(), context.offset(),
                context.sourceRawKey(), context.sourceRawValue())));
  }
}
