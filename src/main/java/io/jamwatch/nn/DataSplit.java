package io.jamwatch.nn;

import io.jamwatch.nn.TrainingData.Sequence;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The validation split, by device and by time. A share {@code f} of the devices (seeded shuffle) is
 * held out, and so is the last share {@code f} of the log's time span: training sees only the
 * training devices before the cut. Validation scores everything training never saw: the held-out
 * devices over their whole history, and the training devices after the cut (run from the start of
 * their history so the state is warm, scored only after the cut). With a single device the split
 * is by time alone.
 *
 * <p>Training histories are cut into chunks of {@code window * chunkWindows} steps, the unit
 * shuffled into minibatches.
 */
public final class DataSplit {

  /** Steps [start, end) of a training sequence; forecast targets reach up to {@code targetEnd}. */
  public record Chunk(Sequence seq, int start, int end, int targetEnd) {
    int length() {
      return end - start;
    }
  }

  /** A sequence run from step 0 to {@code end}, scored on [from, end). */
  public record Scored(Sequence seq, int from, int end) {}

  public final List<Chunk> chunks = new ArrayList<>();
  /** Training parts as whole runs (for fitting statistics on training data). */
  public final List<Scored> training = new ArrayList<>();

  public final List<Scored> validation = new ArrayList<>();
  public final long cutMillis;
  public final List<String> validationDevices = new ArrayList<>();
  public final long trainingEvents;
  public final long validationEvents;

  public DataSplit(TrainingData data, double fraction, int chunkLength, SplittableRandom rng) {
    long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
    for (Sequence s : data.sequences()) {
      if (s.length() == 0) continue;
      lo = Math.min(lo, s.timeMillis()[0]);
      hi = Math.max(hi, s.timeMillis()[s.length() - 1]);
    }
    if (lo == Long.MAX_VALUE) throw new IllegalArgumentException("the training data has no events");
    cutMillis = lo + (long) Math.floor((hi - lo) * (1 - fraction));
    TreeSet<String> ids = new TreeSet<>();
    for (Sequence s : data.sequences()) ids.add(s.deviceId());
    List<String> shuffled = new ArrayList<>(ids);
    for (int i = shuffled.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      String t = shuffled.get(i);
      shuffled.set(i, shuffled.get(j));
      shuffled.set(j, t);
    }
    int nVal = ids.size() < 2 ? 0 : Math.max(1, (int) Math.round(fraction * ids.size()));
    TreeSet<String> held = new TreeSet<>(shuffled.subList(0, nVal));
    validationDevices.addAll(held);
    long nt = 0, nv = 0;
    for (Sequence s : data.sequences()) {
      int cut = firstAtOrAfter(s.timeMillis(), cutMillis);
      if (held.contains(s.deviceId())) {
        validation.add(new Scored(s, 0, s.length()));
        nv += s.length();
        continue;
      }
      if (cut > 1) {
        training.add(new Scored(s, 0, cut));
        for (int st = 0; st < cut; st += chunkLength) chunks.add(new Chunk(s, st, Math.min(cut, st + chunkLength), cut));
        nt += cut;
      }
      if (cut < s.length()) {
        validation.add(new Scored(s, cut, s.length()));
        nv += s.length() - cut;
      }
    }
    if (chunks.isEmpty()) throw new IllegalArgumentException("no training events before the validation cut; record a longer log");
    if (validation.isEmpty()) throw new IllegalArgumentException("no validation events; record a longer log or more devices");
    trainingEvents = nt;
    validationEvents = nv;
  }

  static int firstAtOrAfter(long[] t, long cut) {
    int lo = 0, hi = t.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] < cut) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
