package io.github.panamasockets.api;


import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.github.panamasockets.bindings.SocketsConstants.ECHILD;
import static io.github.panamasockets.bindings.SocketsConstants.WNOHANG;

/**
 * strace -f's {@code [pid N]} before a trace line: which lines get it, and N.
 *
 * <p>{@code -Dpsock.trace.pid=auto} (the default) does what strace -f does: a line is prefixed
 * while more than one task is traced. Here the tasks are: the threads of this JVM that have
 * logged a trace line, while they live; the children started through the facade (fork,
 * posix_spawn with a pid to store), from the line that started them until waitpid reaps them
 * through the facade (strace: until they exit); and, in a child that {@code fork(block)} started,
 * its traced parent. {@code always} (or {@code true}, as before) prefixes every line, {@code never}
 * (or {@code false}) none.
 *
 * <p>N is what strace -f shows for the C twin of the program: the process id on the first thread
 * that traced (a C program's main thread, whose id is its pid; so a fork child's lines carry the
 * pid that fork returned), the thread's kernel id (gettid(2)) on every other thread. Width 5, as
 * strace pads it: {@code [pid  4242] }.
 *
 * <p>Everything here runs only for a line being logged, so with the trace off it costs nothing;
 * the children are counted always (a start and a reap through the facade are not hot paths).
 */
final class TraceTasks {
    private TraceTasks() {}

    enum Mode { AUTO, ALWAYS, NEVER }

    static final String PROPERTY = "psock.trace.pid";

    /** Read once; tests set it. */
    static volatile Mode mode = mode(System.getProperty(PROPERTY));

    /** The threads that have logged a line; a dead one is dropped at the next look. */
    private static final Set<Thread> THREADS = ConcurrentHashMap.newKeySet();
    private static volatile Thread first;
    /** Children started through the facade, not yet reaped through it. */
    private static final Set<Integer> CHILDREN = ConcurrentHashMap.newKeySet();
    /** This JVM is a child that fork(block) started: its parent is traced too. */
    static volatile boolean forkedChild;

    /** auto, always (true) or never (false); anything else is auto. */
    static Mode mode(String value) {
        if (value == null) return Mode.AUTO;
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "always", "true" -> Mode.ALWAYS;
            case "never", "false" -> Mode.NEVER;
            default -> Mode.AUTO;
        };
    }

    /** A child started through the facade (after its start was traced: that line is the parent's alone). */
    static void started(int pid) {
        if (pid > 0) CHILDREN.add(pid);
    }

    /** As {@link #started(int)} for the pid posix_spawn stored at {@code pid}. Never throws. */
    static void started(MemorySegment pid) {
        try {
            started(pid.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        } catch (RuntimeException closedMeanwhile) {
            // the pid's arena closed by another thread: the child is not counted
        }
    }

    /**
     * What waitpid(pid, wstatus, options) returned, before it is traced: a child it reaped (one that
     * exited or was killed, not one stopped or continued) no longer counts; ECHILD for pid -1 means
     * no child is left at all (reaped elsewhere, or SIGCHLD ignored). Never throws.
     */
    static void waited(int pid, MemorySegment wstatus, int options, int result, int errno) {
        try {
            if (result > 0) {
                boolean reaped = wstatus.equals(MemorySegment.NULL) ? (options & ~WNOHANG) == 0 // WUNTRACED, WCONTINUED: perhaps a stop
                        : exitedOrKilled(wstatus.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
                if (reaped) CHILDREN.remove(result);
            } else if (result == -1 && errno == ECHILD) {
                if (pid > 0) CHILDREN.remove(pid);
                else if (pid == -1) CHILDREN.clear();
            }
        } catch (RuntimeException closedMeanwhile) {
            // wstatus's arena closed by another thread: the child stays counted
        }
    }

    /** WIFEXITED or WIFSIGNALED, as glibc's macros read a wait status. */
    private static boolean exitedOrKilled(int status) {
        int low = status & 0x7f;
        return low == 0 || (low != 0x7f && (status & 0xffff) != 0xffff);
    }

    /** The prefix of a line the calling thread is about to log: "" or "[pid  1234] ". Never throws. */
    static String prefix() {
        Mode m = mode;
        if (m == Mode.NEVER) return "";
        Thread self = Thread.currentThread();
        if (first == null) {
            synchronized (TraceTasks.class) {
                if (first == null) first = self;
            }
        }
        THREADS.add(self);
        if (m == Mode.AUTO && !several(self)) return "";
        return String.format("[pid %5d] ", id(self));
    }

    /** Whether another task than the calling thread is traced now. */
    private static boolean several(Thread self) {
        if (forkedChild || !CHILDREN.isEmpty()) return true;
        for (Iterator<Thread> i = THREADS.iterator(); i.hasNext(); ) {
            Thread t = i.next();
            if (t == self) continue;
            if (t.isAlive()) return true;
            i.remove();
        }
        return false;
    }

    private static long id(Thread self) {
        if (self == first) return ProcessHandle.current().pid();
        try {
            return PosixSignals.gettid(); // the untraced one: a trace line must not trace
        } catch (RuntimeException | Error cannotLink) {
            return ProcessHandle.current().pid();
        }
    }

    /** For tests: forget the threads and children seen so far (the next thread to log becomes the first). */
    static void reset() {
        THREADS.clear();
        CHILDREN.clear();
        first = null;
    }
}
