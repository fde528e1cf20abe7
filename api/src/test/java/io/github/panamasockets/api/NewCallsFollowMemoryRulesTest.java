package io.github.panamasockets.api;

import io.github.panamasockets.bindings.itimerval;
import io.github.panamasockets.bindings.rlimit;
import io.github.panamasockets.bindings.sigaction;
import io.github.panamasockets.bindings.sigset_t;
import io.github.panamasockets.bindings.stat;
import io.github.panamasockets.bindings.timespec;
import io.github.panamasockets.bindings.utsname;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.panamasockets.api.Loopback.assertFails;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file, process, interface and signal calls under Memory's rules: read-only buffers the kernel writes, Java null, any alignment. */
@ExtendWith(NoLeaks.class)
class NewCallsFollowMemoryRulesTest {

    @Test
    void aReadOnlyBufferTheKernelWouldWriteIsEfaultBeforeTheCall() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            int[] p = Loopback.pipe();
            try {
                assertFails(EFAULT, fstat(p[0], arena.allocate(stat.sizeof()).asReadOnly()), "fstat into a read-only statbuf");
                assertFails(EFAULT, pipe2(arena.allocate(8).asReadOnly(), 0), "pipe2 into read-only pipefd (no pipe made: NoLeaks)");
                assertFails(EFAULT, getrlimit(RLIMIT_NOFILE, arena.allocate(rlimit.sizeof()).asReadOnly()), "getrlimit");
                assertFails(EFAULT, uname(arena.allocate(utsname.sizeof()).asReadOnly()), "uname");
                assertFails(EFAULT, ioctl(p[0], FIONREAD, arena.allocate(4).asReadOnly()), "ioctl FIONREAD");
                assertFails(EFAULT, getifaddrs(arena.allocate(8).asReadOnly()), "getifaddrs (no list made)");
                assertEquals(MemorySegment.NULL, if_indextoname(1, arena.allocate(IF_NAMESIZE).asReadOnly()), "if_indextoname");
                Loopback.assertErrno(EFAULT, "if_indextoname");
                MemorySegment offset = arena.allocate(8).asReadOnly();
                assertFails(EFAULT, sendfile(p[1], p[0], offset, 1), "sendfile moves *offset on");
                assertFails(EFAULT, splice(p[0], MemorySegment.NULL, p[1], offset, 1, 0), "splice");
                assertFails(EFAULT, sigpending(arena.allocate(sigset_t.sizeof()).asReadOnly()), "sigpending");
                assertFails(EFAULT, sigemptyset(arena.allocate(sigset_t.sizeof()).asReadOnly()), "sigemptyset");
                assertFails(EFAULT, sigprocmask(SIG_BLOCK, MemorySegment.NULL, arena.allocate(sigset_t.sizeof()).asReadOnly()), "sigprocmask's oldset");
                assertFails(EFAULT, sigaction(SIGUSR1, MemorySegment.NULL, arena.allocate(sigaction.sizeof()).asReadOnly()), "sigaction's oldact");
                assertFails(EFAULT, getitimer(ITIMER_VIRTUAL, arena.allocate(itimerval.sizeof()).asReadOnly()), "getitimer");
                assertFails(EFAULT, time(arena.allocate(8).asReadOnly()), "time's tloc");
                assertFails(EFAULT, nanosleep(arena.allocate(timespec.sizeof()), arena.allocate(timespec.sizeof()).asReadOnly()), "nanosleep's rem");
            } finally {
                Posix.close(p[0]);
                Posix.close(p[1]);
            }
            Path dir = Files.createTempDirectory("psock-rules");
            try {
                MemorySegment template = arena.allocateFrom(dir + "/f.XXXXXX").asReadOnly();
                assertFails(EFAULT, mkstemp(template), "mkstemp rewrites its template");
                try (var files = Files.list(dir)) {
                    assertEquals(0, files.count(), "no file made");
                }
            } finally {
                Files.delete(dir);
            }
        }
    }

    @Test
    void javaNullIsCsNullForTheSignalCalls() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0, sigprocmask(SIG_BLOCK, null, null), "both NULL: a no-op, as in C");
            assertEquals(0, pthread_sigmask(SIG_BLOCK, null, null));
            assertFails(EFAULT, sigpending(null), "sigpending(NULL)");
            assertFails(EFAULT, getitimer(ITIMER_VIRTUAL, null), "getitimer(NULL)");
            assertFails(EFAULT, nanosleep(null, null), "nanosleep(NULL)");
            assertTrue(time(null) > 0, "time(NULL)");
            assertEquals(0, pselect(0, null, null, null, arena.allocate(timespec.sizeof()), null), "pselect with NULL sets and mask, zero timeout");
            assertEquals(0, sigaction(SIGUSR1, null, null), "sigaction with neither act nor oldact");
        }
    }

    @Test
    void aMisalignedOldactIsWrittenAsAnAlignedOneIs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment aligned = arena.allocate(sigaction.sizeof());
            MemorySegment misaligned = arena.allocate(sigaction.sizeof() + 1).asSlice(1);
            assertEquals(0, sigaction(SIGTERM, MemorySegment.NULL, aligned));
            assertEquals(0, sigaction(SIGTERM, MemorySegment.NULL, misaligned), "a slice at an odd address");
            assertEquals(sa_handler(aligned), sa_handler(misaligned));
            assertEquals(sigaction.sa_flags(aligned), misaligned.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, sigaction.sa_flags$offset()));
        }
    }
}
