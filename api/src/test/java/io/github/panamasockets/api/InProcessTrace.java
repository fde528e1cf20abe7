package io.github.panamasockets.api;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The trace of the calls {@code body} makes, in this JVM: the trace logger is turned to DEBUG for
 * the body's duration and standard error (slf4j-simple's output) captured. In process, unlike
 * {@link TraceTest}'s child JVM, so that a mutation tester changing a trace line in this JVM sees
 * a test fail. slf4j-simple has no API to change a level: its field is set by reflection.
 */
final class InProcessTrace {
    private InProcessTrace() {}

    private static final String MARK = " DEBUG io.github.panamasockets.trace - ";

    /**
     * The trace lines of {@code body}'s calls, as strace prints them (without slf4j's prefix). The
     * body is traced as a program of its own: the threads and children other tests traced before
     * are forgotten, so "[pid N]" marks a line only when the body itself has a second thread or a child.
     */
    static synchronized List<String> of(Runnable body) {
        TraceTasks.reset();
        Field level = levelField();
        PrintStream err = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int before;
        try {
            before = level.getInt(Trace.slf4jLogger());
            level.setInt(Trace.slf4jLogger(), 10); // SimpleLogger.LOG_LEVEL_DEBUG
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            body.run();
        } finally {
            System.setErr(err);
            try {
                level.setInt(Trace.slf4jLogger(), before);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return out.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains(MARK)).map(l -> l.substring(l.indexOf(MARK) + MARK.length())).toList();
    }

    private static Field levelField() {
        try {
            Field f = Class.forName("org.slf4j.simple.SimpleLogger").getDeclaredField("currentLogLevel");
            f.setAccessible(true);
            if (!f.getDeclaringClass().isInstance(Trace.slf4jLogger())) throw new AssertionError("the trace logger is not slf4j-simple's: " + Trace.slf4jLogger().getClass());
            return f;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("slf4j-simple's SimpleLogger.currentLogLevel is gone: " + e);
        }
    }
}
