package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.model.CellType;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingModelProviderTest {
  @TempDir Path dir;

  @Test
  void opensEverySessionOnTheLoaderThreadAndHandsTheNewModelOver() throws Exception {
    Path a = TestModels.random(dir, "a.onnx", CellType.GRU, false, 1);
    Path b = TestModels.random(dir, "b.onnx", CellType.GRU, false, 2);
    List<String> openedOn = new CopyOnWriteArrayList<>();
    ExecutorService t1 = Executors.newSingleThreadExecutor(r -> new Thread(r, "stream-1"));
    ExecutorService t2 = Executors.newSingleThreadExecutor(r -> new Thread(r, "stream-2"));
    try (ReloadingModelProvider p = new ReloadingModelProvider(a, f -> {
      openedOn.add(Thread.currentThread().getName());
      return ScoringModel.load(f);
    })) {
      String idA = p.modelId();
      assertEquals(1, openedOn.size(), "the start-up model, loaded at once (a bad file fails the start)");
      assertEquals(idA, p.modelsInUse());

      ScoringModel m1 = t1.submit(p::current).get();
      ScoringModel m2 = t2.submit(p::current).get();
      assertEquals(idA, m1.modelId());
      assertEquals(idA, m2.modelId());
      assertTrue(m1 != m2, "one session per stream thread");
      assertEquals(m1, t1.submit(p::current).get(), "the same instance per event");
      assertEquals(2, openedOn.size(), "the first thread takes the start-up model, the second gets its own");

      p.reload(b);
      String idB = p.modelId();
      assertNotEquals(idA, idB);
      assertEquals(4, openedOn.size(), "one new session per stream thread");
      assertEquals(idA, p.modelsInUse(), "the threads have not scored an event since");
      assertEquals(idB, t1.submit(p::current).get().modelId());
      assertEquals(idB + "," + idA, p.modelsInUse(), "mid hand-over: stream-1 on the new model, stream-2 still on the old");
      assertEquals(idB, t2.submit(p::current).get().modelId());
      assertEquals(idB, p.modelsInUse());
      for (int i = 0; i < 10; i++) p.modelId();
      assertEquals(4, openedOn.size(), "modelId() opens no session");
      assertTrue(openedOn.stream().allMatch("jamwatch-model-loader"::equals), "opened on " + openedOn);

      Path bad = dir.resolve("bad.onnx");
      Files.write(bad, new byte[] {1, 2, 3});
      assertThrows(IllegalArgumentException.class, () -> p.reload(bad));
      assertEquals(idB, p.modelId(), "a bad file changes nothing");
      assertEquals(idB, t1.submit(p::current).get().modelId());
    } finally {
      t1.shutdown();
      t2.shutdown();
    }
  }
}
