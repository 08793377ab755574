package io.wxpayfn.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock moved by an offset the test sets, so the store can be made to see a step as older. */
final class ShiftedClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    void shift(Duration newOffset) {
        offset = newOffset;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
