package io.github.panamasockets.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * strace -f's "[pid N]": with -Dpsock.trace.pid=auto (the default) only while more than one task
 * is traced (a second thread that traced and still lives, a child started and not yet reaped),
 * N the pid on the first thread that traced and gettid() on the others; always and never.
 */
@ExtendWith(NoLeaks.class)
class TraceTasksTest {
    TraceTasks.Mode before;

    @BeforeEach
    void firstThreadIsThisOne() {
        before = TraceTasks.mode;
        TraceTasks.reset();
    }

    @AfterEach
    void restore() {
        TraceTasks.mode = before;
        TraceTasks.reset();
    }

    static String pid(long n) {
        return String.format("[pid %5d] ", n);
    }

    @Test
    void theModesAsWritten() {
        assertEquals(TraceTasks.Mode.AUTO, TraceTasks.mode(null));
        assertEquals(TraceTasks.Mode.AUTO, TraceTasks.mode("auto"));
        assertEquals(TraceTasks.Mode.AUTO, TraceTasks.mode("sometimes"));
        assertEquals(TraceTasks.Mode.ALWAYS, TraceTasks.mode("always"));
        assertEquals(TraceTasks.Mode.ALWAYS, TraceTasks.mode("true"));
        assertEquals(TraceTasks.Mode.ALWAYS, TraceTasks.mode(" Always "));
        assertEquals(TraceTasks.Mode.NEVER, TraceTasks.mode("never"));
        assertEquals(TraceTasks.Mode.NEVER, TraceTasks.mode("false"));
    }

    /** The lines of main, a second thread while it lives, main again after it ended. */
    List<String> twoThreads(int[] tid) throws InterruptedException {
        CountDownLatch traced = new CountDownLatch(1), done = new CountDownLatch(1);
        Thread second = new Thread(() -> {
            tid[0] = gettid(); // Posix.gettid is not traced
            getegid();
            traced.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "second");
        List<String> trace = new ArrayList<>();
        trace.addAll(InProcessTrace.of(() -> {
            getuid();
            second.start();
            try {
                traced.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            getgid();
            done.countDown();
            try {
                second.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            getuid();
        }));
        return trace;
    }

    @Test
    void autoMarksTheLinesWhileASecondThreadTraces() throws InterruptedException {
        TraceTasks.mode = TraceTasks.Mode.AUTO;
        int[] tid = new int[1];
        List<String> trace = twoThreads(tid);
        long me = ProcessHandle.current().pid();
        int uid = getuid(), gid = getgid();
        assertEquals(List.of("getuid() = " + uid, pid(tid[0]) + "getegid() = " + getegid(), pid(me) + "getgid() = " + gid, "getuid() = " + uid), trace);
    }

    @Test
    void alwaysAndNever() throws InterruptedException {
        long me = ProcessHandle.current().pid();
        int uid = getuid(), gid = getgid();
        int[] tid = new int[1];
        TraceTasks.mode = TraceTasks.Mode.ALWAYS;
        List<String> always = twoThreads(tid);
        assertEquals(List.of(pid(me) + "getuid() = " + uid, pid(tid[0]) + "getegid() = " + getegid(), pid(me) + "getgid() = " + gid, pid(me) + "getuid() = " + uid), always);
        TraceTasks.reset();
        TraceTasks.mode = TraceTasks.Mode.NEVER;
        List<String> never = twoThreads(tid);
        assertEquals(List.of("getuid() = " + uid, "getegid() = " + getegid(), "getgid() = " + gid, "getuid() = " + uid), never);
    }

    @Test
    void autoMarksTheLinesWhileAChildLivesUnreaped() {
        TraceTasks.mode = TraceTasks.Mode.AUTO;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            int[] got = new int[3];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = posix_spawn(pid, "/bin/sh", MemorySegment.NULL, MemorySegment.NULL, new String[] {"sh", "-c", "exit 0"}, null);
                got[1] = getuid();
                got[2] = waitpid(pid.get(ValueLayout.JAVA_INT, 0), status, 0);
                getuid();
            });
            int child = pid.get(ValueLayout.JAVA_INT, 0);
            assertEquals(List.of(0, getuid(), child), List.of(got[0], got[1], got[2]));
            long me = ProcessHandle.current().pid();
            assertEquals(List.of("~posix_spawn([" + child + "], \"/bin/sh\", ...) = 0", pid(me) + "getuid() = " + got[1],
                    "wait4(" + child + ", [0], 0, NULL) = " + child, "getuid() = " + got[1]), trace);
        }
    }

    @Test
    void echildForAnyChildMeansNoneIsLeft() {
        TraceTasks.mode = TraceTasks.Mode.AUTO;
        List<String> trace = InProcessTrace.of(() -> {
            TraceTasks.started(999_999_999); // a child this JVM never had: as one reaped behind the facade's back
            getuid();
            waitpid(-1, MemorySegment.NULL, WNOHANG);
            getuid();
        });
        long me = ProcessHandle.current().pid();
        int uid = getuid();
        assertEquals(List.of(pid(me) + "getuid() = " + uid, "wait4(-1, NULL, WNOHANG, NULL) = -1 ECHILD (No child processes)", "getuid() = " + uid), trace);
    }
}
