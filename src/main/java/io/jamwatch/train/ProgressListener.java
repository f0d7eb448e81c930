package io.jamwatch.train;

/** Hears about a training run's progress (the train command draws a progress bar from it). */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  /** After each minibatch step of an epoch ({@code batch} of {@code batches}); {@code loss} is the epoch's running mean. */
  default void onBatch(int epoch, int epochs, int batch, int batches, double loss) {}

  /** After each epoch's validation. */
  default void onEpoch(EpochRecord record, int epochs) {}
}
