package io.github.panamasockets.api;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** C's {@code environ}: this process's environment, for posix_spawn when the caller passes none. */
final class Environ {
    private Environ() {}

    static MemorySegment current() {
        MemorySegment environ = Linker.nativeLinker().defaultLookup().find("environ").orElseThrow()
                .reinterpret(ValueLayout.ADDRESS.byteSize());
        return environ.get(ValueLayout.ADDRESS, 0);
    }
}
