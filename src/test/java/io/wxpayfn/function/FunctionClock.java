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
 * clock moved forward by what a test adds, or held still for a moment, so a test can step past a time-based rule
 * (the queryOrder sync interval) without waiting or racing it. Offsets stay small (seconds), so signature timestamps
 * are still checked against real time.
 */
@Alternative
@Priority(1)
@Singleton
public class FunctionClock extends Clock {

    private volatile Duration offset = Duration.ZERO;
    private volatile Instant frozenAt;

    /** Moves the functions' time forward. */
    public synchronized void advance(Duration duration) {
        offset = offset.plus(duration);
        if (frozenAt != null) {
            frozenAt = frozenAt.plus(duration);
        }
    }

    /** Back to the system clock: for a test that moved time by days (sessions and signatures read this clock). */
    public synchronized void reset() {
        offset = Duration.ZERO;
        frozenAt = null;
    }

    /** Stops the functions' time where it is, so a rule over an interval cannot be crossed by a slow machine. */
    public synchronized void freeze() {
        frozenAt = instant();
    }

    /** Lets the functions' time run again; it catches up with the system clock (plus what was advanced). */
    public synchronized void thaw() {
        frozenAt = null;
    }

    @Override
    public Instant instant() {
        Instant frozen = frozenAt;
        return frozen != null ? frozen : Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        Instant frozen = frozenAt;
        return frozen != null ? Clock.fixed(frozen, zone) : Clock.offset(Clock.system(zone), offset);
    }
}
