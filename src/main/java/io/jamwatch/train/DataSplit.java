package io.jamwatch.train;

import io.jamwatch.train.TrainingData.Sequence;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Set;
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

  /**
   * Which devices are held out and where the time cut lies. Computed from device ids and the time
   * span alone, so the caller can fit the feature spec on the training part before encoding.
   */
  public record Plan(long cutMillis, Set<String> heldOut) {
    public Plan {
      heldOut = Set.copyOf(heldOut);
    }

    /** Whether an event of this device at this time is training data. */
    public boolean isTraining(String deviceId, long timeMillis) {
      return !heldOut.contains(deviceId) && timeMillis < cutMillis;
    }
  }

  /**
   * The plan for devices seen over [firstMillis, lastMillis]: a seeded shuffle of the sorted ids
   * (its own SplittableRandom stream of {@code seed}), the first round(fraction * n) held out (at
   * least one when there are two or more devices); the cut at the last {@code fraction} of the span.
   */
  public static Plan plan(Collection<String> deviceIds, long firstMillis, long lastMillis, double fraction, long seed) {
    SplittableRandom rng = new SplittableRandom(seed).split();
    long cut = firstMillis + (long) Math.floor((lastMillis - firstMillis) * (1 - fraction));
    List<String> shuffled = new ArrayList<>(new TreeSet<>(deviceIds));
    int n = shuffled.size();
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      String t = shuffled.get(i);
      shuffled.set(i, shuffled.get(j));
      shuffled.set(j, t);
    }
    int nVal = n < 2 ? 0 : Math.max(1, (int) Math.round(fraction * n));
    return new Plan(cut, new TreeSet<>(shuffled.subList(0, nVal)));
  }

  /** The plan for this data (see {@link #plan(Collection, long, long, double, long)}). */
  public static Plan plan(TrainingData data, double fraction, long seed) {
    long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
    List<String> ids = new ArrayList<>();
    for (Sequence s : data.sequences()) {
      ids.add(s.deviceId());
      for (long t : s.timeMillis()) {
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
    }
    if (lo == Long.MAX_VALUE) throw new IllegalArgumentException("the training data has no events");
    return plan(ids, lo, hi, fraction, seed);
  }

  public DataSplit(TrainingData data, Plan plan, int chunkLength) {
    cutMillis = plan.cutMillis();
    Set<String> held = plan.heldOut();
    validationDevices.addAll(new TreeSet<>(held));
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

  /** First index whose time is at or after the cut (arrival order; a late event after it stays on its side). */
  static int firstAtOrAfter(long[] t, long cut) {
    for (int i = 0; i < t.length; i++) if (t[i] >= cut) return i;
    return t.length;
  }
}
