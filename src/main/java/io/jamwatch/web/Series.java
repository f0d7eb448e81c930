package io.jamwatch.web;

/** Parallel arrays of event times (epoch millis) and values, oldest first: one chart line. */
public record Series(long[] t, float[] v) {}
