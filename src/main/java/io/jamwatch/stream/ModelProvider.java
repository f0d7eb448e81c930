package io.jamwatch.stream;

import io.jamwatch.scoring.ScoringModel;

/**
 * Where the scoring processor gets its model. {@link #current()} is called once per event on the
 * stream thread and returns that thread's instance (a ScoringModel reuses its ONNX Runtime buffers
 * and is not thread-safe); it must not open a session on the calling stream thread once that
 * thread has its first model. A provider may switch to a new model file at any time without a
 * rebuild of the topology; the processor notices the new model and resets (and counts) states
 * written by the old one.
 */
public interface ModelProvider extends AutoCloseable {
  ScoringModel current();

  /** Closes every model handed out; call after KafkaStreams has been closed. */
  @Override
  void close();
}
