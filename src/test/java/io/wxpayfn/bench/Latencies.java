package io.wxpayfn.bench;

import java.util.Arrays;

/** Recorded durations of one kind of call, in nanoseconds; percentiles by nearest rank over the sorted array. */
final class Latencies {

    private final long[] nanos;
    private int count;

    Latencies(int capacity) {
        this.nanos = new long[capacity];
    }

    void record(long elapsedNanos) {
        nanos[count++] = elapsedNanos;
    }

    int count() {
        return count;
    }

    /** The {@code percent} percentile in milliseconds. */
    double millis(double percent) {
        if (count == 0) {
            throw new IllegalStateException("nothing was recorded");
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * count);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
