package io.github.panamasockets.api;

import io.github.panamasockets.bindings.posix_spawn_file_actions_t;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.github.panamasockets.api.Posix.*;

/**
 * posix_spawn's objects misused as C lets one misuse them, in a child JVM (in C each of these is
 * undefined behaviour: a double free, a free of garbage, a read past a tiny attribute object).
 * Prints each call's result; a JVM crash shows as a non-zero exit without "survived".
 */
public final class SpawnMisuse {
    private SpawnMisuse() {}

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fa = arena.allocate(posix_spawn_file_actions_t.layout());
            System.out.println("init " + posix_spawn_file_actions_init(fa));
            System.out.println("adddup2 " + posix_spawn_file_actions_adddup2(fa, 1, 3));
            System.out.println("destroy " + posix_spawn_file_actions_destroy(fa));
            System.out.println("destroy again " + posix_spawn_file_actions_destroy(fa));
            System.out.println("adddup2 after destroy " + posix_spawn_file_actions_adddup2(fa, 1, 3));

            MemorySegment garbage = arena.allocate(posix_spawn_file_actions_t.layout());
            garbage.fill((byte) 0xAA);
            System.out.println("adddup2 on garbage " + posix_spawn_file_actions_adddup2(garbage, 1, 3));
            System.out.println("addclose on garbage " + posix_spawn_file_actions_addclose(garbage, 3));
            System.out.println("destroy garbage " + posix_spawn_file_actions_destroy(garbage));
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
            System.out.println("spawn with garbage actions " + posix_spawn(pid, "/bin/true", garbage, MemorySegment.NULL, new String[] {"true"}, null));
            System.out.println("spawn with a 1-byte attrp " + posix_spawn(pid, "/bin/true", MemorySegment.NULL, arena.allocate(1), new String[] {"true"}, null));
        }
        System.out.println("survived");
    }
}
