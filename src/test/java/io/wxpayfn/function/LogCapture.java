package io.wxpayfn.function;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Collects every log record written anywhere in the JVM while it is open (a handler on the root logger, which
 * every Quarkus and JBoss Logging category reaches), so a test can count the lines a request produced and see
 * whether one carries a stack trace.
 */
final class LogCapture implements AutoCloseable {

    /** One captured record: its level, category, the message as it is printed, and whether a trace follows it. */
    record Line(Level level, String category, String message, Throwable thrown) {

        boolean atLeast(Level threshold) {
            return level.intValue() >= threshold.intValue();
        }

        /** What the console would print for it: the message, then the trace of the exception if there is one. */
        int printedLines() {
            return message.split("\\R", -1).length + (thrown == null ? 0 : 1 + thrown.getStackTrace().length);
        }

        @Override
        public String toString() {
            return level + " [" + category + "] " + message + (thrown == null ? "" : " + trace of " + thrown);
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext
                    ? ext.getFormattedMessage()
                    : new java.util.logging.SimpleFormatter().formatMessage(record);
            lines.add(new Line(
                    record.getLevel(),
                    String.valueOf(record.getLoggerName()),
                    String.valueOf(message),
                    record.getThrown()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture() {
        handler.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(handler);
    }

    static LogCapture start() {
        return new LogCapture();
    }

    List<Line> lines(Predicate<Line> filter) {
        return lines.stream().filter(filter).toList();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
