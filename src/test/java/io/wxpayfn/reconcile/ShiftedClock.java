package io.wxpayfn.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A base clock moved by an offset the test sets, so the store can be made to see a step as older. */
final class ShiftedClock extends Clock {

    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    ShiftedClock(Clock base) {
        this.base = base;
    }

    void shift(Duration newOffset) {
        offset = newOffset;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
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
