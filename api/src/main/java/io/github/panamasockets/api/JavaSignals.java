package io.github.panamasockets.api;

import io.github.panamasockets.bindings.sigaction;
import io.github.panamasockets.bindings.sockets_h;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.github.panamasockets.bindings.SocketsConstants.*;

/**
 * The facade's side of signal dispositions that involve Java: which signals it dispatches, what
 * each does, which threads block which signals, and the count of Java handler runs.
 *
 * <p>How a signal reaches Java: {@code sun.misc.Signal.handle} installs the JVM's own
 * async-signal-safe C handler, which wakes the JVM's Signal Dispatcher thread; that thread starts
 * a Java thread running our {@link #dispatch}. The facade then rewrites the kernel's sigaction
 * flags (the JVM installs with SA_RESTART) to what the C program asked for, so that a blocking
 * call the signal interrupts returns EINTR or restarts as in C. No native code of our own runs
 * in a signal handler.
 *
 * <p>Process-directed signals: a C program that blocks a signal and reads it with signalfd or
 * sigwait has one thread; a JVM has dozens, and the kernel gives a process-directed signal to
 * any thread that does not block it, which would run the disposition there (the JVM's
 * Terminator for SIGTERM: exit). While a thread blocks a signal through the facade, the facade
 * dispatches that signal and forwards what arrives elsewhere to the blocking thread with tgkill,
 * where it stays pending for signalfd/sigwait/sigpending, as in C.
 */
final class JavaSignals {
    private JavaSignals() {}

    /** What the facade does with a signal that reaches its Java dispatcher. */
    sealed interface Action {}
    /** A handler of the program's. */
    record Java(SignalHandler handler) implements Action {}
    /** C's SIG_DFL, kept while a thread blocks the signal (so that it can be forwarded there). */
    record Default() implements Action {}
    /** What the JVM had before the facade took the signal over (its Terminator for SIGINT, SIGTERM, SIGHUP). */
    record Jvm(sun.misc.SignalHandler handler) implements Action {}

    private static final Action[] ACTIONS = new Action[NSIG];
    /** Per signal, what the JVM's dispatch ran before the facade took the signal (its Terminator for SIGTERM), or null. */
    private static final sun.misc.SignalHandler[] ORIGINAL = new sun.misc.SignalHandler[NSIG];
    /** Per signal, the action the facade's dispatcher had when an oldact last reported its address. */
    private static final Action[] REPORTED = new Action[NSIG];
    /** Per signal, the address of the JVM's C handler that dispatches it to the facade (0: never taken). */
    private static final long[] ADDRESS = new long[NSIG];
    /** Per signal, the threads (tids) that block it through the facade. */
    private static final Set<Integer>[] BLOCKERS = newBlockers();
    /** Per signal, the handler addresses the facade has reported in an oldact: the ones a program may put back. */
    private static final Set<Long>[] KNOWN = newBlockers2();

    /** Handler runs numbered as they begin; the highest number of a run that has finished. */
    private static volatile long lastFinished;
    /** For the tests: how many handler runs have finished. */
    private static final AtomicLong FINISHED = new AtomicLong();
    private static final Object RUN = new Object();
    private static final Object DONE = new Object();
    private static volatile boolean javaHandlers;
    private static final ThreadLocal<Boolean> IN_HANDLER = ThreadLocal.withInitial(() -> false);

    @SuppressWarnings("unchecked")
    private static Set<Integer>[] newBlockers() {
        Set<Integer>[] s = new Set[NSIG];
        for (int i = 0; i < NSIG; i++) s[i] = ConcurrentHashMap.newKeySet();
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Set<Long>[] newBlockers2() {
        Set<Long>[] s = new Set[NSIG];
        for (int i = 0; i < NSIG; i++) s[i] = ConcurrentHashMap.newKeySet();
        return s;
    }

    /** True on the thread running a facade Java handler. */
    static boolean inHandler() {
        return IN_HANDLER.get();
    }

    static long finished() {
        return FINISHED.get();
    }

    static synchronized Action action(int sig) {
        return ACTIONS[sig];
    }

    static void known(int sig, long address) {
        if (address != 0 && address != 1) KNOWN[sig].add(address);
    }

    static boolean isKnown(int sig, long address) {
        return KNOWN[sig].contains(address);
    }

    static boolean blocked(int sig) {
        return !BLOCKERS[sig].isEmpty();
    }

    /**
     * Makes the facade's dispatcher the Java side of {@code sig} with {@code action}, then sets the
     * kernel's flags. Returns 0, or EINVAL when the JVM will not hand the signal over (a name it
     * does not know, such as a real-time signal, or -Xrs).
     */
    static synchronized int take(int sig, Action action, int flags) {
        if (ADDRESS[sig] == 0) {
            sun.misc.Signal s = named(sig);
            if (s == null) return EINVAL;
            // The JVM will not take over a signal that is ignored (SIGHUP under nohup): un-ignore it first.
            if (kernelHandler(sig) == 1) setKernel(sig, 0, 0);
            sun.misc.SignalHandler previous;
            try {
                previous = sun.misc.Signal.handle(s, x -> dispatch(sig));
            } catch (IllegalArgumentException refused) {
                return EINVAL;
            }
            if (previous != sun.misc.SignalHandler.SIG_DFL && previous != sun.misc.SignalHandler.SIG_IGN) {
                ORIGINAL[sig] = previous;
                if (action instanceof Default) action = new Jvm(previous);
            }
            ADDRESS[sig] = kernelHandler(sig);
            known(sig, ADDRESS[sig]);
        }
        if (action instanceof Java) javaHandlers = true;
        ACTIONS[sig] = action;
        setKernel(sig, ADDRESS[sig], flags);
        return 0;
    }

    /**
     * For the tests: hands {@code sig} back to the JVM's own handler (or SIG_DFL), as before the
     * facade first took it, so that the next take is a first take again. A mutation tester's test
     * JVM runs every test once before it swaps a mutant in (JUnit 5 finds tests by running them),
     * so without this a first take would never run under a mutant. Only while no thread blocks it.
     */
    static synchronized void forget(int sig) {
        if (blocked(sig)) throw new IllegalStateException("a thread blocks " + sig + " through the facade");
        if (ADDRESS[sig] == 0) return;
        sun.misc.Signal.handle(named(sig), ORIGINAL[sig] != null ? ORIGINAL[sig] : sun.misc.SignalHandler.SIG_DFL);
        ADDRESS[sig] = 0;
        ORIGINAL[sig] = null;
        ACTIONS[sig] = null;
        REPORTED[sig] = null;
        KNOWN[sig].clear(); // as in a fresh JVM: only what oldacts report from now on
    }

    /** An oldact reported {@code handler} for {@code sig}: what putting it back later brings back. */
    static synchronized void reported(int sig, long handler) {
        if (handler == 0 || handler == 1) return;
        REPORTED[sig] = ADDRESS[sig] != 0 && handler == ADDRESS[sig] ? ACTIONS[sig] : null; // null: the JVM's own, untouched
    }

    /**
     * A saved {@code struct sigaction} put back: the kernel gets its handler, flags and mask; when
     * that is the dispatcher's address, the dispatcher gets back the action it had when the
     * address was reported (or the JVM's own handler, if it was reported before the facade took
     * the signal).
     */
    static synchronized void restore(int sig, long handler, int flags, MemorySegment mask) {
        if (ADDRESS[sig] != 0 && handler == ADDRESS[sig]) {
            if (REPORTED[sig] != null) ACTIONS[sig] = REPORTED[sig];
            else if (ORIGINAL[sig] != null) ACTIONS[sig] = new Jvm(ORIGINAL[sig]);
        }
        setKernel(sig, handler, flags, mask);
    }

    /** True when the kernel runs the facade's dispatcher for {@code sig}. */
    static synchronized boolean dispatching(int sig) {
        return ADDRESS[sig] != 0 && kernelHandler(sig) == ADDRESS[sig];
    }

    /** A thread blocks {@code sig} through the facade: from now on it is forwarded there. */
    static synchronized void blockedBy(int sig, int tid) {
        BLOCKERS[sig].add(tid);
        long h = kernelHandler(sig);
        if (h == 1 || (ADDRESS[sig] != 0 && h == ADDRESS[sig])) return; // ignored (dropped, as for C), or dispatched already
        // SIG_DFL stays C's default; the JVM's own handler put back after an earlier take (SIGPIPE's) stays what it did
        Action a = h != 0 && ORIGINAL[sig] != null ? new Jvm(ORIGINAL[sig]) : new Default();
        take(sig, a, h == 0 ? SA_RESTART : kernelFlags(sig));
    }

    static void unblockedBy(int sig, int tid) {
        BLOCKERS[sig].remove(tid);
    }

    /**
     * A thread in sigsuspend, pselect or ppoll ({@code syscall} is the wait's number) with a mask
     * that unblocks {@code signals}, signals it blocks otherwise; {@code returned} once the wait's
     * system call has returned.
     */
    static final class Wait {
        final int tid, syscall;
        final int[] signals;
        volatile boolean returned;

        Wait(int tid, int syscall, int[] signals) {
            this.tid = tid;
            this.syscall = syscall;
            this.signals = signals;
        }

        boolean unblocks(int sig) {
            for (int s : signals) if (s == sig) return true;
            return false;
        }
    }

    /** The threads waiting in sigsuspend, pselect or ppoll with a signal unblocked that they block otherwise. */
    private static final Set<Wait> WAITS = ConcurrentHashMap.newKeySet();

    /**
     * For sigsuspend, pselect and ppoll: the signals this thread blocks that {@code mask} unblocks
     * during the wait stop being forwarded to it until {@link #resumeBlocks}, so that one delivered
     * to it there runs its action; one that reached another thread meanwhile is forwarded to it
     * while it has not returned (see {@link #stillWaiting}). Call {@link Wait#returned} as soon as
     * the wait's system call has returned.
     */
    static Wait suspendBlocks(int tid, MemorySegment mask, int syscall) {
        int[] out = new int[NSIG];
        int n = 0;
        for (int sig = 1; sig < NSIG; sig++) {
            if (BLOCKERS[sig].contains(tid) && sockets_h.sigismember(mask, sig) == 0) out[n++] = sig;
        }
        Wait w = new Wait(tid, syscall, java.util.Arrays.copyOf(out, n));
        if (n > 0) WAITS.add(w); // before the blockers are dropped: a signal in between is forwarded to the thread either way
        for (int sig : w.signals) BLOCKERS[sig].remove(tid);
        return w;
    }

    /**
     * The wait is over: its signals are forwarded to the thread again. Only after the call's
     * {@code done}: on EINTR that waits for the handler of the signal that ended the wait, and the
     * dispatcher runs it only while the thread is not among the blockers again (once it is, the
     * signal is forwarded back to the thread, pending, and the wait for the handler never ends).
     */
    static void resumeBlocks(Wait w) {
        w.returned = true;
        for (int sig : w.signals) BLOCKERS[sig].add(w.tid);
        WAITS.remove(w);
    }

    /**
     * Whether a signal that the dispatcher got must go to {@code w}'s thread: true while the thread
     * has not yet entered its wait (the signal then stays pending there until the wait unblocks it,
     * as in C) or sleeps in it (it came to another thread: only a signal delivered to the waiting
     * thread ends its wait); false once the wait has returned (the signal may be the very one
     * delivered there, and its handler must run now). The kernel's /proc/self/task/TID/syscall
     * tells "in the wait" from "not yet in it or just out of it"; the thread's flag tells these two
     * apart once it is set, so this waits (briefly: only for the thread to take its next steps)
     * until one of the two answers is sure.
     */
    private static boolean stillWaiting(Wait w) {
        String syscall = "/proc/self/task/" + w.tid + "/syscall", inWait = w.syscall + " ";
        byte[] buf = new byte[inWait.length()];
        while (!w.returned) {
            // java.io, not java.nio.file: NIO's first use loads libnet, whose probing sockets
            // (AF_INET, AF_INET6, SO_REUSEPORT) a program's strace would show, and C's would not
            int n = 0;
            try (FileInputStream in = new FileInputStream(syscall)) {
                for (int r; n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0; ) n += r;
            } catch (IOException gone) {
                return false; // the thread has ended
            }
            if (n == buf.length && new String(buf, StandardCharsets.US_ASCII).equals(inWait) && !w.returned) return true;
            LockSupport.parkNanos(100_000);
        }
        return false;
    }

    /**
     * The first step of a dispatch: sends {@code sig} on to a thread that blocks it (where it stays
     * pending for signalfd, sigwait or sigpending), or to one waiting in sigsuspend, pselect or
     * ppoll with it unblocked (only a signal delivered to that thread ends its wait, as C's one
     * thread would get it). True if it went there, false if its action is to run here.
     */
    static boolean forwarded(int sig) {
        for (Integer tid : BLOCKERS[sig]) {
            if (PosixSignals.forward(tid, sig) == 0) return true; // pending on a thread that blocks it, as in C
            BLOCKERS[sig].remove(tid);                             // that thread is gone
        }
        for (Wait w : WAITS) {
            if (w.unblocks(sig) && stillWaiting(w) && PosixSignals.forward(w.tid, sig) == 0) return true;
        }
        return false;
    }

    /** Runs in the Java thread the JVM starts for each signal that reached its C handler. */
    private static void dispatch(int sig) {
        if (forwarded(sig)) return;
        Action a = action(sig);
        IN_HANDLER.set(true);
        long run = 0;
        try {
            synchronized (RUN) {
                run = HandlerRuns.STARTED.incrementAndGet();
                switch (a) {
                    case Java j -> j.handler().handle(sig);
                    case Jvm j -> {
                        try {
                            j.handler().handle(named(sig));
                        } catch (UnsupportedOperationException nativeHandler) {
                            // the JVM's own C handler (SIGPIPE, SIGXFSZ): it ignores the signal
                        }
                    }
                    case Default d -> defaultAction(sig);
                    case null -> { }
                }
            }
        } finally {
            IN_HANDLER.set(false);
            FINISHED.incrementAndGet();
            synchronized (DONE) {
                if (run > lastFinished) lastFinished = run;
                DONE.notifyAll();
            }
        }
    }

    /** SIG_DFL for a signal that arrived while the facade dispatched it: what the kernel would have done. */
    private static void defaultAction(int sig) {
        if (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT) return; // ignored by default
        synchronized (JavaSignals.class) {
            setKernel(sig, 0, 0);
        }
        PosixSignals.forward(PosixSignals.gettid(), sig); // terminates (or stops) the process, as C's default does
    }

    /**
     * Called where a facade call returned -1 EINTR: waits, up to 5 seconds, until a Java handler
     * run that began after the call started has finished, so that C's order (the handler ran
     * before the call returned) is what the program sees. Never throws.
     */
    static void awaitHandler(ThreadErrno e) {
        if (!javaHandlers || IN_HANDLER.get()) return;
        long deadline = System.nanoTime() + 5_000_000_000L; // generous: a loaded machine may start the handler's thread late
        synchronized (DONE) {
            while (lastFinished <= e.handlersSeen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    DONE.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    /** The sun.misc.Signal of a signal number, or null when the JVM has no name for it. */
    private static sun.misc.Signal named(int sig) {
        for (var n : Names.of("SIG").entrySet()) {
            if (n.getKey() != sig || !n.getValue().startsWith("SIG") || n.getValue().startsWith("SIG_")) continue;
            try {
                return new sun.misc.Signal(n.getValue().substring(3));
            } catch (IllegalArgumentException unknown) {
                return null;
            }
        }
        return null;
    }

    // ---- the kernel's disposition, read and written with sigaction(2) ---------------------------

    static long kernelHandler(int sig) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = sigaction.allocate(arena);
            sockets_h.sigaction(sig, MemorySegment.NULL, old);
            return PosixSignals.sa_handler(old).address();
        }
    }

    static int kernelFlags(int sig) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = sigaction.allocate(arena);
            sockets_h.sigaction(sig, MemorySegment.NULL, old);
            return sigaction.sa_flags(old);
        }
    }

    /**
     * Sets {@code sig}'s handler address and flags, keeping the mask the kernel has. A handler that
     * is not SIG_DFL/SIG_IGN is the JVM's, which reads its siginfo: SA_SIGINFO stays on for it.
     */
    static void setKernel(int sig, long handler, int flags) {
        setKernel(sig, handler, flags, null);
    }

    /** As {@link #setKernel(int, long, int)} with the program's sa_mask (null: keep the kernel's). */
    static synchronized void setKernel(int sig, long handler, int flags, MemorySegment mask) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment act = sigaction.allocate(arena);
            sockets_h.sigaction(sig, MemorySegment.NULL, act);
            PosixSignals.sa_handler(act, MemorySegment.ofAddress(handler));
            sigaction.sa_flags(act, handler > 1 ? flags | SA_SIGINFO : flags & ~SA_SIGINFO);
            if (mask != null) sigaction.sa_mask(act, mask);
            else if (handler <= 1) sockets_h.sigemptyset(sigaction.sa_mask(act));
            sockets_h.sigaction(sig, act, MemorySegment.NULL);
        }
    }
}
