package io.jamwatch.stream;

import io.jamwatch.onnx.ModelRuntime;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelProvider} over a model file that can be swapped at run time by {@link
 * #reload(Path)}: the new file is loaded (and so validated) at once on the caller's thread; each
 * stream thread adopts it at its next event. One ScoringModel (one ORT session, or one Java stepper
 * under {@code model.runtime=java}) per stream thread per model generation.
 */
public final class ReloadingModelProvider implements ModelProvider {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingModelProvider.class);

  private static final class Held {
    final int generation;
    final ScoringModel model;

    Held(int generation, ScoringModel model) {
      this.generation = generation;
      this.model = model;
    }
  }

  private final ModelRuntime runtime;
  private volatile Path path;
  private volatile int generation;
  /** A freshly loaded model waiting to be adopted by the first thread that asks. */
  private ScoringModel spare;
  private final ThreadLocal<Held> perThread = new ThreadLocal<>();
  private final List<ScoringModel> handedOut = new ArrayList<>();
  private boolean closed;

  public ReloadingModelProvider(Path modelFile) {
    this(modelFile, ModelRuntime.ORT);
  }

  /** Serves {@code modelFile} stepped by {@code runtime} (the config's {@code model.runtime}). */
  public ReloadingModelProvider(Path modelFile, ModelRuntime runtime) {
    this.path = Objects.requireNonNull(modelFile, "modelFile");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.spare = ScoringModel.load(modelFile, runtime);
    LOG.info("model {} loaded from {}", spare.modelId(), modelFile);
  }

  /** The id of the model file the provider currently serves. */
  public synchronized String modelId() {
    return spare != null ? spare.modelId() : current().modelId();
  }

  /** Switches to another model file; stream threads adopt it at their next event. */
  public synchronized void reload(Path modelFile) {
    ScoringModel fresh = ScoringModel.load(modelFile, runtime);
    if (spare != null) {
      spare.close();
    }
    spare = fresh;
    path = modelFile;
    generation++;
    LOG.info("model {} loaded from {} (generation {})", fresh.modelId(), modelFile, generation);
  }

  @Override
  public ScoringModel current() {
    Held h = perThread.get();
    if (h != null && h.generation == generation) {
      return h.model;
    }
    return adopt(h);
  }

  private synchronized ScoringModel adopt(Held old) {
    if (closed) {
      throw new IllegalStateException("model provider closed");
    }
    ScoringModel m;
    if (spare != null) {
      m = spare;
      spare = null;
    } else {
      m = ScoringModel.load(path, runtime);
    }
    handedOut.add(m);
    if (old != null) {
      handedOut.remove(old.model);
      old.model.close();
    }
    perThread.set(new Held(generation, m));
    return m;
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (ScoringModel m : handedOut) {
      m.close();
    }
    handedOut.clear();
    if (spare != null) {
      spare.close();
      spare = null;
    }
  }
}
