package io.github.panamasockets.api;

/**
 * A signal handler written in Java, for {@link PosixSignals#sigaction(int, SignalHandler, int)} and
 * {@link PosixSignals#signal(int, SignalHandler)}: C's {@code void handler(int sig)}.
 *
 * <p>It never runs inside the signal handler: no Java code can run safely there. The JVM's own
 * async-signal-safe C handler takes the signal and wakes the JVM's "Signal Dispatcher" thread,
 * which starts a Java thread that calls this method, as {@code sun.misc.Signal} and CPython do.
 * The facade runs handlers one at a time (as C runs a handler with its signal blocked), and a
 * facade call that returns -1 EINTR first waits (up to 5 seconds) for the handler of the signal
 * that interrupted it to finish, so that what the program prints comes in C's order.
 */
@FunctionalInterface
public interface SignalHandler {
    void handle(int sig);
}
