package io.jamwatch.stream;

import io.jamwatch.onnx.ModelRuntime;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelProvider} over a model file that can be swapped at run time by {@link
 * #reload(Path)}. Every ONNX Runtime session is opened (and closed) on one loader thread, never on
 * a stream thread: each stream thread owns a slot holding the model it uses and, after a reload,
 * the next one, handed over through an {@link AtomicReference}; the thread adopts it at its next
 * event (one volatile read per event otherwise). One ScoringModel (one ORT session) per stream
 * thread per model. A thread's very first event waits for its own session from the loader.
 */
public final class ReloadingModelProvider implements ModelProvider {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingModelProvider.class);

  /** One stream thread's models. */
  private static final class Slot {
    ScoringModel inUse; // the owner thread's (and close()'s, after the threads have stopped)
    volatile String inUseId;
    final AtomicReference<ScoringModel> next = new AtomicReference<>();
  }

  private final ExecutorService loader =
      Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jamwatch-model-loader");
        t.setDaemon(true);
        return t;
      });
  private final List<Slot> slots = new CopyOnWriteArrayList<>(); // written on the loader thread only
  private final ThreadLocal<Slot> perThread = new ThreadLocal<>();
  // Written on the loader thread only:
  private volatile Path path;
  private volatile String modelId;
  /** The model loaded at start-up (or by a reload before any thread came), for the first thread that asks. */
  private ScoringModel spare;
  private volatile boolean closed;

  private final Function<Path, ScoringModel> opener;

  /**
   * Loads (and so validates) {@code modelFile} now, on the loader thread, stepped by ONNX Runtime;
   * a bad file throws here. Package-private (tests): code holding a config passes its {@code
   * model.runtime} to the constructor below, so a run can never step with another runtime than its
   * config says (the bench harnesses once did).
   */
  ReloadingModelProvider(Path modelFile) {
    this(modelFile, ModelRuntime.ORT);
  }

  /** Serves {@code modelFile} stepped by {@code runtime} (the config's {@code model.runtime}). */
  public ReloadingModelProvider(Path modelFile, ModelRuntime runtime) {
    this(modelFile, (Function<Path, ScoringModel>) p -> ScoringModel.load(p, Objects.requireNonNull(runtime, "runtime")));
  }

  /** With another way to open a model file (tests observe on which thread sessions open). */
  ReloadingModelProvider(Path modelFile, Function<Path, ScoringModel> opener) {
    Objects.requireNonNull(modelFile, "modelFile");
    this.opener = opener;
    onLoader(() -> {
      spare = opener.apply(modelFile);
      path = modelFile;
      modelId = spare.modelId();
      LOG.info("model {} loaded from {}", modelId, modelFile);
      return null;
    });
  }

  /** The id of the newest model file loaded (stream threads use it from their next event). Opens nothing. */
  public String modelId() {
    return modelId;
  }

  /**
   * The ids of the models the stream threads are scoring with right now, comma-separated (two
   * during a hand-over); the newest loaded one before any thread has scored.
   */
  public String modelsInUse() {
    Set<String> ids = new LinkedHashSet<>();
    for (Slot s : slots) {
      String id = s.inUseId;
      if (id != null) ids.add(id);
    }
    return ids.isEmpty() ? modelId : String.join(",", ids);
  }

  /**
   * Switches to another model file: its sessions are opened on the loader thread, one per stream
   * thread, then handed over; returns once they are (each thread adopts its own at its next event).
   * A file that cannot be loaded throws and changes nothing.
   */
  public void reload(Path modelFile) {
    onLoader(() -> {
      List<ScoringModel> fresh = new ArrayList<>();
      try {
        fresh.add(opener.apply(modelFile));
        for (int i = 1; i < slots.size(); i++) fresh.add(opener.apply(modelFile));
      } catch (RuntimeException e) {
        fresh.forEach(ScoringModel::close);
        throw e;
      }
      path = modelFile;
      modelId = fresh.get(0).modelId();
      if (slots.isEmpty()) {
        if (spare != null) spare.close();
        spare = fresh.get(0);
      } else {
        for (int i = 0; i < slots.size(); i++) {
          ScoringModel unused = slots.get(i).next.getAndSet(fresh.get(i));
          if (unused != null) unused.close(); // a reload not yet adopted
        }
      }
      LOG.info("model {} loaded from {} for {} stream thread(s)", modelId, modelFile, Math.max(1, slots.size()));
      return null;
    });
  }

  @Override
  public ScoringModel current() {
    Slot s = perThread.get();
    if (s == null) {
      s = join();
    }
    if (s.next.get() != null) {
      ScoringModel old = s.inUse;
      s.inUse = s.next.getAndSet(null);
      s.inUseId = s.inUse.modelId();
      try {
        loader.execute(old::close);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        old.close();
      }
    }
    return s.inUse;
  }

  /** The calling thread's first request: its slot and session come from the loader thread. */
  private Slot join() {
    if (closed) {
      throw new IllegalStateException("model provider closed");
    }
    Slot s = onLoader(() -> {
      Slot fresh = new Slot();
      if (spare != null) {
        fresh.inUse = spare;
        spare = null;
      } else {
        fresh.inUse = opener.apply(path);
      }
      fresh.inUseId = fresh.inUse.modelId();
      slots.add(fresh);
      return fresh;
    });
    perThread.set(s);
    return s;
  }

  private <T> T onLoader(java.util.concurrent.Callable<T> task) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return task.call();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, loader).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw e;
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    onLoader(() -> {
      for (Slot s : slots) {
        if (s.inUse != null) s.inUse.close();
        ScoringModel n = s.next.getAndSet(null);
        if (n != null) n.close();
      }
      slots.clear();
      if (spare != null) {
        spare.close();
        spare = null;
      }
      return null;
    });
    loader.shutdown();
    try {
      loader.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
