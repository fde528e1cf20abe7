package io.github.panamasockets.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A slice with a guard pattern around it: a larger native region filled with 0xAA, of which
 * only {@link #slice} is handed to a call. Afterwards the bytes outside the slice must still be
 * 0xAA (nothing was written outside the segment) and, for a refused call, the slice too.
 */
final class Guard {
    static final byte PATTERN = (byte) 0xAA;
    static final long PAD = 64;

    final MemorySegment region;
    final MemorySegment slice;

    private Guard(MemorySegment region, MemorySegment slice) {
        this.region = region;
        this.slice = slice;
    }

    /** {@code size} bytes at an 8-aligned place inside guards. */
    static Guard of(Arena arena, long size) {
        return of(arena, size, 0);
    }

    /** {@code size} bytes, {@code misalign} bytes past an 8-aligned place, inside guards. */
    static Guard of(Arena arena, long size, int misalign) {
        MemorySegment region = arena.allocate(PAD + misalign + size + PAD, 8);
        region.fill(PATTERN);
        return new Guard(region, region.asSlice(PAD + misalign, size));
    }

    /** Refills the slice with the pattern (for reuse). */
    Guard reset() {
        region.fill(PATTERN);
        return this;
    }

    long offset() {
        return slice.address() - region.address();
    }

    /** The index of the first byte outside the slice that is not the pattern, or -1. */
    long firstOutsideWrite() {
        long start = offset(), end = start + slice.byteSize();
        for (long i = 0; i < region.byteSize(); i++) {
            if (i >= start && i < end) continue;
            if (region.get(ValueLayout.JAVA_BYTE, i) != PATTERN) return i;
        }
        return -1;
    }

    /** The index in the slice of the first byte that is not the pattern, or -1. */
    long firstInsideWrite() {
        for (long i = 0; i < slice.byteSize(); i++) if (slice.get(ValueLayout.JAVA_BYTE, i) != PATTERN) return i;
        return -1;
    }

    void assertOutsideUntouched(String what) {
        long i = firstOutsideWrite();
        if (i >= 0) fail(what + ": wrote outside its segment at region byte " + i + " (slice at " + offset() + ", " + slice.byteSize() + " bytes)");
    }

    void assertUntouched(String what) {
        assertOutsideUntouched(what);
        long i = firstInsideWrite();
        if (i >= 0) fail(what + ": a refused call wrote into its segment at byte " + i);
    }
}
