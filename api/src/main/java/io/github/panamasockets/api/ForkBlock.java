package io.github.panamasockets.api;

import java.io.Serializable;

/**
 * The child's part of {@link Posix#fork(ForkBlock)}: what C's child runs after {@code fork()}
 * returned 0. Serializable, so that the values a lambda captures (ints, Strings, serializable
 * objects) travel to the child JVM; a captured MemorySegment, Arena or Thread does not.
 */
@FunctionalInterface
public interface ForkBlock extends Serializable {
    /** The child's code; returning is {@code exit(0)}, an exception not caught is {@code exit(1)}. */
    void run() throws Exception;
}
