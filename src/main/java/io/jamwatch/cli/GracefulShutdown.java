package io.jamwatch.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Catches SIGTERM and SIGINT (Ctrl-C) itself instead of leaving them to the JVM's shutdown hooks:
 * shutdown hooks run in no set order, and ONNX Runtime's own hook would close the environment
 * while a stream thread may still be stepping. Here the command's close action (KafkaStreams
 * first, then the models) runs to the end before {@link #await()} returns and the JVM exits.
 */
final class GracefulShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
  private final CountDownLatch stop = new CountDownLatch(1);

  GracefulShutdown() {
    for (String sig : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(sig),
          s -> {
            LOG.info("SIG{} received, shutting down", s.getName());
            stop.countDown();
          });
    }
  }

  /** Blocks until a signal (or {@link #requestStop()}). */
  void await() throws InterruptedException {
    stop.await();
  }

  boolean awaitMillis(long ms) throws InterruptedException {
    return stop.await(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  void requestStop() {
    stop.countDown();
  }
}
