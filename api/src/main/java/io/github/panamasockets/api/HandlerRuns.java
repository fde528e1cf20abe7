package io.github.panamasockets.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many facade Java signal handler runs have begun, which every facade call notes as it
 * starts. A class of its own so that a program that never touches signals does not load
 * {@link JavaSignals} (and what it sets up) at its first socket call.
 */
final class HandlerRuns {
    private HandlerRuns() {}

    static final AtomicLong STARTED = new AtomicLong();
}
