package io.wxpayfn.function;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The functions' clock in the function tests, in place of the system clock the application produces: the system
 * clock moved forward by what a test adds, so a test can step past a time-based rule (the queryOrder sync interval)
 * without waiting. Offsets stay small (seconds), so signature timestamps are still checked against real time.
 */
@Alternative
@Priority(1)
@Singleton
public class FunctionClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** Moves the functions' time forward. */
    public void advance(Duration duration) {
        offset = offset.plus(duration);
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
        return Clock.offset(Clock.system(zone), offset);
    }
}
