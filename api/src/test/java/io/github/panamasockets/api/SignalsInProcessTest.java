package io.github.panamasockets.api;

import io.github.panamasockets.bindings.itimerval;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sigaction;
import io.github.panamasockets.bindings.siginfo_t;
import io.github.panamasockets.bindings.signalfd_siginfo;
import io.github.panamasockets.bindings.sigset_t;
import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.timespec;
import io.github.panamasockets.bindings.timeval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.panamasockets.api.Loopback.assertFails;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The signal calls' delivery paths run in this JVM (SignalsTest's scenarios run them in child
 * JVMs, which a mutation tester does not mutate). What keeps this JVM safe: only signals HotSpot
 * leaves to programs (SIGUSR1, SIGALRM and the ones ignored by default); each is sent either to
 * a thread of the test's own that blocks it (thread-directed: tgkill, raise, a per-thread timer)
 * or, process-directed, while the facade forwards it there or a Java handler takes it; a pending
 * signal is taken before the thread unblocks it; every disposition the test touched is put back
 * through the facade and compared with what it was, and no thread blocks a signal through the
 * facade afterwards. No assertion is timed: waits on latches have long timeouts that only stop a
 * hang.
 */
@ExtendWith(NoLeaks.class)
class SignalsInProcessTest {
    /** Long enough that only a hang reaches it, on a machine as loaded as CI's. */
    private static final long HANG = 120;
    private static final int SA_RESTORER = 0x04000000;

    // ---- helpers -------------------------------------------------------------------------------

    interface Body { void run() throws Exception; }

    /** Runs body on a new platform thread of the test's (its own signal mask), and rethrows what it threw. */
    static void onThread(String name, Body body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name(NoLeaks.THREAD_PREFIX + name).start(() -> {
            try {
                body.run();
            } catch (Throwable x) {
                failure.set(x);
            }
        });
        t.join();
        Throwable x = failure.get();
        if (x instanceof Exception ex) throw ex;
        if (x instanceof Error er) throw er;
    }

    /**
     * Runs body with the listed signals' actions saved through the facade (sigaction's oldact)
     * and put back after it; then checks that the facade reports what it reported before and that
     * no thread still blocks one of them through the facade.
     */
    static void withActionsPutBack(int[] signals, Body body) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            Map<Integer, MemorySegment> saved = new LinkedHashMap<>();
            Map<Integer, String> before = new LinkedHashMap<>();
            for (int sig : signals) {
                MemorySegment old = sigaction.allocate(arena);
                assertEquals(0, sigaction(sig, MemorySegment.NULL, old), "query " + sig);
                saved.put(sig, old);
                before.put(sig, view(old));
            }
            try {
                body.run();
            } finally {
                Map<Integer, String> after = new LinkedHashMap<>();
                for (int sig : signals) {
                    assertEquals(0, sigaction(sig, saved.get(sig), MemorySegment.NULL), "put back " + sig);
                    MemorySegment now = sigaction.allocate(arena);
                    sigaction(sig, MemorySegment.NULL, now);
                    after.put(sig, view(now));
                    assertFalse(JavaSignals.blocked(sig), "a thread still blocks " + sig + " through the facade");
                }
                assertEquals(before, after, "the actions put back");
            }
        }
    }

    /**
     * Gives the signals back to the JVM as before the facade first took them (JavaSignals.forget),
     * so that the test runs the facade's first take of each: that happens once per JVM, and a
     * mutation tester's test JVM runs every test once before it swaps a mutant in.
     */
    static void firstTakeAgain(int... signals) {
        for (int sig : signals) {
            JavaSignals.forget(sig);
            assertNull(JavaSignals.action(sig), "the facade dispatches " + sig + " no more");
        }
    }

    /** What a saved action says: its handler and whether interrupted calls restart. */
    private static String view(MemorySegment act) {
        return act.get(ValueLayout.ADDRESS_UNALIGNED, sigaction.__sigaction_handler$offset()).address()
                + ((act.get(ValueLayout.JAVA_INT_UNALIGNED, sigaction.sa_flags$offset()) & SA_RESTART) != 0 ? " SA_RESTART" : "");
    }

    /** The kernel's action for sig, read with libc's sigaction (not the facade's). */
    record Raw(long handler, int flags, long mask) {
        boolean restarts() { return (flags & SA_RESTART) != 0; }
        boolean siginfo() { return (flags & SA_SIGINFO) != 0; }
    }

    static Raw raw(int sig) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment act = sigaction.allocate(arena);
            assertEquals(0, sockets_h.sigaction(sig, MemorySegment.NULL, act));
            return new Raw(act.get(ValueLayout.ADDRESS, sigaction.__sigaction_handler$offset()).address(),
                    sigaction.sa_flags(act) & ~SA_RESTORER, sigaction.sa_mask(act).get(ValueLayout.JAVA_LONG, 0));
        }
    }

    /** A signal's bit in the kernel's 64-bit masks. */
    static long bit(int sig) {
        return 1L << (sig - 1);
    }

    /** The calling thread's blocked signals as the kernel has them (/proc: SigBlk). */
    static long sigBlk() throws IOException {
        return procMask("SigBlk:");
    }

    /** The calling thread's pending signals as the kernel has them (/proc: SigPnd, thread-directed ones). */
    static long sigPnd() throws IOException {
        return procMask("SigPnd:");
    }

    private static long procMask(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
            if (line.startsWith(field)) return Long.parseUnsignedLong(line.substring(field.length()).trim(), 16);
        }
        throw new AssertionError(field + " not in /proc/thread-self/status");
    }

    static MemorySegment setOf(Arena arena, int... signals) {
        MemorySegment set = sigset_t.allocate(arena);
        assertEquals(0, sigemptyset(set));
        for (int sig : signals) assertEquals(0, sigaddset(set, sig));
        return set;
    }

    /** Takes every signal of set pending on this thread, without waiting; returns how many. */
    static int drain(Arena arena, MemorySegment set) {
        MemorySegment zero = timespec.allocate(arena);
        int n = 0;
        while (sigtimedwait(set, MemorySegment.NULL, zero) > 0) n++;
        assertEquals(EAGAIN, errno(), "nothing left pending");
        return n;
    }

    static MemorySegment timeout(Arena arena, long seconds) {
        MemorySegment t = timespec.allocate(arena);
        timespec.tv_sec(t, seconds);
        return t;
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(HANG, TimeUnit.SECONDS), "hung waiting for " + what);
    }

    /** Waits until a facade handler run that began after {@code before} runs had finished has finished (JavaSignals' count). */
    static void awaitRunFinished(long before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG);
        while (JavaSignals.finished() == before) {
            if (System.nanoTime() > deadline) fail("no handler run finished");
            Thread.sleep(1);
        }
    }

    /** Waits until thread tid is inside the system call numbered nr (/proc/self/task/TID/syscall). */
    static void awaitInSyscall(int tid, long nr) throws Exception {
        Path syscall = Path.of("/proc/self/task/" + tid + "/syscall");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG);
        while (!Files.readAllLines(syscall).get(0).trim().split(" ")[0].equals(String.valueOf(nr))) { // readString stops short on /proc files
            if (System.nanoTime() > deadline) fail("thread " + tid + " never entered system call " + nr);
            Thread.sleep(1);
        }
    }

    static final long SYS_RECVFROM = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 45;
        case "aarch64" -> 207;
        default -> throw new IllegalStateException("recvfrom's number on " + System.getProperty("os.arch"));
    };

    // ---- masks, pending signals, and the calls that take them ------------------------------------

    @Test
    void aBlockedSignalStaysPendingOnTheThreadAndEachWaitingCallTakesIt() throws Exception {
        withActionsPutBack(new int[] {SIGUSR1}, () -> onThread("sigwait", () -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment set = setOf(arena, SIGUSR1), old = sigset_t.allocate(arena);
                long blockedBefore = sigBlk();
                assertEquals(0, bit(SIGUSR1) & blockedBefore, "a new thread does not block SIGUSR1");
                assertEquals(0, sigprocmask(SIG_BLOCK, set, old));
                assertEquals(0, sigismember(old, SIGUSR1), "oldset: the mask before");
                assertEquals(blockedBefore | bit(SIGUSR1), sigBlk(), "the kernel's mask: SIGUSR1 added, nothing else");
                assertTrue(JavaSignals.blocked(SIGUSR1));
                // the facade dispatches it now (to forward a process-directed one), C's view is still SIG_DFL
                Raw k = raw(SIGUSR1);
                assertTrue(k.handler() > 1, "the JVM's handler takes SIGUSR1 while a thread blocks it: " + k);
                assertTrue(k.restarts() && k.siginfo(), "SA_RESTART as C's SIG_DFL, SA_SIGINFO for the JVM's handler: " + k);
                MemorySegment q = sigaction.allocate(arena);
                assertEquals(0, sigaction(SIGUSR1, MemorySegment.NULL, q));
                assertEquals(SIG_DFL, sa_handler(q), "what C sees: SIG_DFL");

                // raise: tgkill to this thread, pending here
                assertEquals(0, raise(SIGUSR1));
                MemorySegment pending = sigset_t.allocate(arena);
                assertEquals(0, sigpending(pending));
                assertEquals(1, sigismember(pending, SIGUSR1));
                assertEquals(bit(SIGUSR1), sigPnd() & bit(SIGUSR1), "pending on this thread");
                MemorySegment info = siginfo_t.allocate(arena);
                assertEquals(SIGUSR1, sigwaitinfo(set, info));
                assertEquals(SIGUSR1, si_signo(info));
                assertEquals(SI_USER, si_code(info), "glibc folds tgkill's SI_TKILL into SI_USER");
                assertEquals(getpid(), si_pid(info));
                assertEquals(getuid(), si_uid(info));
                assertEquals(0, si_errno(info));
                assertEquals(0, sigpending(pending));
                assertEquals(0, sigismember(pending, SIGUSR1), "taken");

                // kill: process-directed, reaches any thread; the facade forwards it to this one
                assertEquals(0, kill(getpid(), SIGUSR1));
                assertEquals(SIGUSR1, sigtimedwait(set, info, timeout(arena, HANG)), "the forwarded SIGUSR1");
                assertEquals(SIGUSR1, si_signo(info));
                assertEquals(getpid(), si_pid(info), "the facade's forwarding names this process");
                assertFails(EAGAIN, sigtimedwait(set, MemorySegment.NULL, timeout(arena, 0)), "nothing pending");

                // sigwait: the number into *sig, the error number returned
                assertEquals(0, raise(SIGUSR1));
                MemorySegment got = arena.allocate(ValueLayout.JAVA_INT);
                errno(EPERM);
                assertEquals(0, sigwait(set, got));
                assertEquals(SIGUSR1, got.get(ValueLayout.JAVA_INT, 0));
                assertEquals(EPERM, errno(), "sigwait leaves errno alone");
                assertEquals(EFAULT, sigwait(set, arena.allocate(2)), "a sig of 2 bytes");

                // signalfd: the kernel's own siginfo, SI_TKILL unfolded
                int sfd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
                assertTrue(sfd > 2, "signalfd " + sfd);
                try {
                    assertEquals(FD_CLOEXEC, fcntl(sfd, F_GETFD));
                    assertEquals(0, raise(SIGUSR1));
                    MemorySegment si = signalfd_siginfo.allocate(arena);
                    assertEquals(signalfd_siginfo.sizeof(), read(sfd, si, signalfd_siginfo.sizeof()));
                    assertEquals(SIGUSR1, signalfd_siginfo.ssi_signo(si));
                    assertEquals(SI_TKILL, signalfd_siginfo.ssi_code(si));
                    assertEquals(getpid(), signalfd_siginfo.ssi_pid(si));
                    assertFails(EAGAIN, read(sfd, si, signalfd_siginfo.sizeof()), "SFD_NONBLOCK, nothing pending");
                    assertFails(EINVAL, signalfd(sfd, set, 0x7fff0000), "unknown flags");
                } finally {
                    close(sfd);
                }

                // SIG_SETMASK puts the old mask back; the facade stops forwarding
                assertEquals(0, sigprocmask(SIG_SETMASK, old, MemorySegment.NULL));
                assertEquals(blockedBefore, sigBlk());
                assertFalse(JavaSignals.blocked(SIGUSR1));
            }
        }));
    }

    @Test
    void aBlockedRealTimeSignalQueuesAndTheFacadeLeavesItsActionAlone() throws Exception {
        int rt = SIGRTMIN() + 1;
        withActionsPutBack(new int[] {rt}, () -> onThread("rt", () -> {
            try (Arena arena = Arena.ofConfined()) {
                Raw before = raw(rt);
                assertEquals(0, before.handler(), "SIGRTMIN+1 has SIG_DFL");
                MemorySegment set = setOf(arena, rt), old = sigset_t.allocate(arena);
                assertEquals(0, sigprocmask(SIG_BLOCK, set, old));
                assertEquals(before, raw(rt), "the JVM has no name for a real-time signal: the facade does not take it");
                assertEquals(SIG_DFL, signal(rt, SIG_DFL), "SIG_DFL while it is blocked, as in C");
                assertEquals(new Raw(0, SA_RESTART, 0), raw(rt));
                for (int i = 0; i < 3; i++) assertEquals(0, raise(rt));
                assertEquals(3, drain(arena, set), "real-time signals queue: three raised, three taken");
                assertEquals(0, sigprocmask(SIG_SETMASK, old, MemorySegment.NULL));
            }
        }));
    }

    @Test
    void pthreadSigmaskReturnsTheErrorAndKeepsErrnoAndUnblockOnlyTakesOff() throws Exception {
        withActionsPutBack(new int[] {SIGUSR1, SIGALRM}, () -> onThread("pthread-sigmask", () -> {
            try (Arena arena = Arena.ofConfined()) {
                long before = sigBlk();
                MemorySegment both = setOf(arena, SIGUSR1, SIGALRM), usr1 = setOf(arena, SIGUSR1), old = sigset_t.allocate(arena);
                errno(ENOENT);
                assertEquals(0, pthread_sigmask(SIG_BLOCK, both, old));
                assertEquals(before | bit(SIGUSR1) | bit(SIGALRM), sigBlk());
                assertTrue(JavaSignals.blocked(SIGUSR1) && JavaSignals.blocked(SIGALRM));
                assertEquals(0, pthread_sigmask(SIG_UNBLOCK, usr1, old));
                assertEquals(1, sigismember(old, SIGUSR1), "oldset had both");
                assertEquals(1, sigismember(old, SIGALRM));
                assertEquals(before | bit(SIGALRM), sigBlk(), "SIG_UNBLOCK took SIGUSR1 off only");
                assertFalse(JavaSignals.blocked(SIGUSR1));
                assertTrue(JavaSignals.blocked(SIGALRM));
                assertEquals(EINVAL, pthread_sigmask(42, usr1, old), "a bad how: returned");
                assertEquals(ENOENT, errno(), "pthread_sigmask leaves errno alone");
                assertEquals(0, pthread_sigmask(SIG_BLOCK, MemorySegment.NULL, old), "a query");
                assertEquals(before | bit(SIGALRM), sigBlk());
                assertEquals(1, sigismember(old, SIGALRM));
                MemorySegment none = setOf(arena);
                assertEquals(0, pthread_sigmask(SIG_SETMASK, none, MemorySegment.NULL));
                assertEquals(0, sigBlk(), "SIG_SETMASK with an empty set unblocks all");
                assertFalse(JavaSignals.blocked(SIGALRM), "SIG_SETMASK: what is not in the set stops being blocked");
                assertEquals(0, pthread_sigmask(SIG_SETMASK, old, MemorySegment.NULL));
                assertEquals(before | bit(SIGALRM), sigBlk());
                assertEquals(0, sigprocmask(SIG_UNBLOCK, setOf(arena, SIGALRM), MemorySegment.NULL));
                assertEquals(before, sigBlk());
            }
        }));
    }

    @Test
    void anIgnoredSignalIsBlockedWithoutTheFacadeTakingIt() throws Exception {
        withActionsPutBack(new int[] {SIGUSR1}, () -> onThread("ignored", () -> {
            try (Arena arena = Arena.ofConfined()) {
                assertEquals(SIG_DFL, signal(SIGUSR1, SIG_IGN));
                MemorySegment set = setOf(arena, SIGUSR1), old = sigset_t.allocate(arena);
                assertEquals(0, sigprocmask(SIG_BLOCK, set, old));
                assertEquals(new Raw(1, SA_RESTART, 0), raw(SIGUSR1), "still SIG_IGN, as signal() left it");
                assertEquals(0, raise(SIGUSR1));
                assertEquals(SIGUSR1, sigtimedwait(set, MemorySegment.NULL, timeout(arena, 0)), "a blocked ignored signal stays pending");
                assertEquals(0, sigprocmask(SIG_SETMASK, old, MemorySegment.NULL));
            }
        }));
    }

    // ---- Java handlers -------------------------------------------------------------------------

    /** A Java handler that records each signal it gets. */
    static final class Recorder implements SignalHandler {
        final List<Integer> got = new CopyOnWriteArrayList<>();
        volatile CountDownLatch next = new CountDownLatch(1);

        @Override
        public void handle(int sig) {
            got.add(sig);
            next.countDown();
        }

        void awaitOne(String what) throws InterruptedException {
            await(next, what);
            next = new CountDownLatch(1);
        }
    }

    @Test
    void aJavaHandlerRunsForASignalToAThreadThatDoesNotBlockIt() throws Exception {
        withActionsPutBack(new int[] {SIGUSR1}, () -> {
            Recorder h = new Recorder();
            long finished = JavaSignals.finished();
            assertEquals(0, sigaction(SIGUSR1, h, 0));
            assertEquals(0, siginterrupt(SIGUSR1, 1), "the facade's own handler may be changed at once (no oldact reported it yet)");
            Raw k = raw(SIGUSR1);
            assertTrue(k.handler() > 1 && k.siginfo() && !k.restarts(), "the JVM's handler, SA_SIGINFO, SA_RESTART as asked (clear): " + k);
            MemorySegment q = sigaction.allocate(Arena.ofAuto());
            assertEquals(0, sigaction(SIGUSR1, MemorySegment.NULL, q));
            assertEquals(k.handler(), sa_handler(q).address(), "the address a program may put back");
            onThread("raise", () -> assertEquals(0, raise(SIGUSR1)));
            h.awaitOne("the handler");
            assertEquals(List.of(SIGUSR1), h.got);
            awaitRunFinished(finished); // the run's end is counted after the handler returns
        });
    }

    @Test
    void withoutSaRestartARecvTheSignalInterruptsReturnsEintrWithItTheRecvGoesOn() throws Exception {
        for (int flags : new int[] {0, SA_RESTART}) {
            withActionsPutBack(new int[] {SIGUSR1}, () -> {
                int fd = socket(AF_INET, SOCK_DGRAM, 0);
                try (Arena arena = Arena.ofShared()) {
                    assertEquals(0, bind(fd, Loopback.addr(arena, 0), Loopback.sizeofSockaddrIn()));
                    int port = Loopback.port(fd);
                    Recorder h = new Recorder();
                    assertEquals(0, sigaction(SIGUSR1, h, flags));
                    assertEquals(flags != 0, raw(SIGUSR1).restarts());
                    int[] tid = {0};
                    long[] result = {0};
                    int[] err = {0};
                    CountDownLatch started = new CountDownLatch(1);
                    Thread receiver = Thread.ofPlatform().name(NoLeaks.THREAD_PREFIX + "recv").start(() -> {
                        tid[0] = gettid();
                        started.countDown();
                        result[0] = recv(fd, arena.allocate(16), 16, 0);
                        err[0] = errno();
                    });
                    await(started, "the receiver");
                    awaitInSyscall(tid[0], SYS_RECVFROM);
                    assertEquals(0, tgkill(getpid(), tid[0], SIGUSR1));
                    h.awaitOne("the handler");
                    if (flags != 0) { // the recv restarted: a datagram ends it
                        int s = socket(AF_INET, SOCK_DGRAM, 0);
                        assertEquals(1, sendto(s, arena.allocateFrom("x"), 1, 0, Loopback.addr(arena, port), Loopback.sizeofSockaddrIn()));
                        close(s);
                    }
                    receiver.join();
                    if (flags == 0) {
                        assertEquals(-1, result[0]);
                        assertEquals(EINTR, err[0]);
                    } else {
                        assertEquals(1, result[0], "the recv restarted and got the datagram");
                    }
                    assertEquals(List.of(SIGUSR1), h.got);
                } finally {
                    close(fd);
                }
            });
        }
    }

    @Test
    void siginterruptTurnsSaRestartOffAndOnAndKeepsTheHandler() throws Exception {
        withActionsPutBack(new int[] {SIGUSR1}, () -> {
            assertEquals(SIG_DFL, signal(SIGUSR1, SIG_IGN));
            assertTrue(raw(SIGUSR1).restarts(), "signal() sets SA_RESTART");
            assertEquals(0, siginterrupt(SIGUSR1, 1));
            assertEquals(new Raw(1, 0, 0), raw(SIGUSR1));
            assertEquals(0, siginterrupt(SIGUSR1, 0));
            assertEquals(new Raw(1, SA_RESTART, 0), raw(SIGUSR1));
            assertFails(EINVAL, siginterrupt(NSIG, 1), "not a signal");
            assertFails(EINVAL, siginterrupt(0, 1), "not a signal");
        });
    }

    @Test
    void aStructSigactionSetsHandlerFlagsAndMaskAndAJavaHandlerGetsSaSiginfo() throws Exception {
        withActionsPutBack(new int[] {SIGUSR1}, () -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment act = sigaction.allocate(arena), old = sigaction.allocate(arena);
                sa_handler(act, SIG_IGN);
                sigaction.sa_flags(act, SA_RESTART | SA_SIGINFO | SA_NODEFER);
                sockets_h.sigaddset(sigaction.sa_mask(act), SIGWINCH);
                assertEquals(0, sigaction(SIGUSR1, act, old));
                assertEquals(SIG_DFL, sa_handler(old));
                assertEquals(new Raw(1, SA_RESTART | SA_NODEFER, bit(SIGWINCH)), raw(SIGUSR1), "SIG_IGN gets no SA_SIGINFO; the mask as given");
                assertEquals(SIG_IGN, signal(SIGUSR1, SIG_DFL));
                assertEquals(new Raw(0, SA_RESTART, 0), raw(SIGUSR1), "signal() empties the mask");
                assertEquals(0, sigaction(SIGUSR1, s -> { }, SA_RESETHAND));
                Raw k = raw(SIGUSR1);
                assertEquals(SA_RESETHAND | SA_SIGINFO, k.flags() & ~SA_ONSTACK, "the JVM's handler reads its siginfo: " + k);
                // a misaligned act and oldact: read and written through a copy
                MemorySegment slice = arena.allocate(sigaction.sizeof() + 1).asSlice(1);
                assertEquals(0, sigaction(SIGUSR1, MemorySegment.NULL, slice));
                assertEquals(k.handler(), sa_handler(slice).address());
                assertEquals(0, sigaction(SIGUSR1, slice, MemorySegment.NULL), "its own oldact, put back");
                assertEquals(k.handler(), raw(SIGUSR1).handler());
            }
        });
    }

    @Test
    void aSavedActionBringsBackTheJavaHandlerItNamed() throws Exception {
        withActionsPutBack(new int[] {SIGUSR1}, () -> {
            try (Arena arena = Arena.ofConfined()) {
                Recorder first = new Recorder(), second = new Recorder();
                assertEquals(SIG_DFL, signal(SIGUSR1, first));
                MemorySegment saved = sigaction.allocate(arena);
                assertEquals(0, sigaction(SIGUSR1, MemorySegment.NULL, saved));
                MemorySegment previous = signal(SIGUSR1, second);
                assertEquals(sa_handler(saved), previous, "signal() returns the address oldact reported");
                onThread("raise-second", () -> assertEquals(0, raise(SIGUSR1)));
                second.awaitOne("the second handler");
                assertEquals(0, sigaction(SIGUSR1, saved, MemorySegment.NULL), "the saved action back");
                onThread("raise-first", () -> assertEquals(0, raise(SIGUSR1)));
                first.awaitOne("the first handler, back");
                assertEquals(List.of(SIGUSR1), first.got);
                assertEquals(List.of(SIGUSR1), second.got);
                assertEquals(previous, signal(SIGUSR1, previous), "the same address again");
                assertEquals(previous, signal(SIGUSR1, SIG_IGN));
                assertEquals(1, raw(SIGUSR1).handler());
            }
        });
    }

    /**
     * SIGTERM: the JVM's own handler runs its shutdown (SIGINT too, but a shell starts background
     * jobs with SIGINT ignored, and the JVM then leaves it alone).
     */
    @Test
    void theJvmsSigtermHandlerComesBackWhenItsSavedActionIsPutBack() throws Exception {
        firstTakeAgain(SIGTERM);
        long jvm = raw(SIGTERM).handler();
        org.junit.jupiter.api.Assumptions.assumeTrue(jvm > 1, "the JVM has no SIGTERM handler here (-Xrs, or SIGTERM ignored when it started)");
        withActionsPutBack(new int[] {SIGTERM}, () -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment saved = sigaction.allocate(arena);
                assertEquals(0, sigaction(SIGTERM, MemorySegment.NULL, saved));
                assertEquals(jvm, sa_handler(saved).address(), "the JVM's handler");
                Recorder h = new Recorder();
                assertEquals(0, sigaction(SIGTERM, h, SA_RESTART));
                assertTrue(JavaSignals.action(SIGTERM) instanceof JavaSignals.Java);
                onThread("raise-sigterm", () -> assertEquals(0, raise(SIGTERM))); // the Java handler's, not the JVM's exit
                h.awaitOne("the handler of SIGTERM");
                assertEquals(List.of(SIGTERM), h.got);
                assertEquals(0, sigaction(SIGTERM, saved, MemorySegment.NULL));
                assertTrue(JavaSignals.action(SIGTERM) instanceof JavaSignals.Jvm, "the JVM's own SIGTERM handling again: " + JavaSignals.action(SIGTERM));
                assertEquals(jvm, raw(SIGTERM).handler());
            }
        });
    }

    @Test
    void theJvmsHandlersOfSigpipeSigxfszSighupSigintSigtermCanBeReplacedAndPutBack() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            for (int sig : new int[] {SIGPIPE, SIGXFSZ, SIGHUP, SIGINT, SIGTERM}) {
                MemorySegment kernel = sigaction.allocate(arena);
                assertEquals(0, sockets_h.sigaction(sig, MemorySegment.NULL, kernel));
                Raw jvm = raw(sig);
                try {
                    MemorySegment old = signal(sig, SIG_IGN);
                    assertEquals(jvm.handler(), old.address(), "signal(" + sig + ", SIG_IGN) returns the JVM's handler");
                    assertEquals(1, raw(sig).handler());
                    assertEquals(SIG_IGN, signal(sig, old));
                    assertEquals(jvm.handler(), raw(sig).handler(), "the JVM's handler of " + sig + " back");
                } finally {
                    assertEquals(0, sockets_h.sigaction(sig, kernel, MemorySegment.NULL));
                }
                assertEquals(jvm, raw(sig));
            }
        }
    }

    @Test
    void aSigpipeTheFacadeDispatchesIsIgnoredAsTheJvmDoesEvenAfterItsHandlerWasPutBack() throws Exception {
        firstTakeAgain(SIGPIPE);
        withActionsPutBack(new int[] {SIGPIPE}, () -> {
            for (int round = 0; round < 2; round++) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment saved = sigaction.allocate(arena);
                    assertEquals(0, sigaction(SIGPIPE, MemorySegment.NULL, saved));
                    onThread("sigpipe", () -> {
                        Arena mine = Arena.ofAuto();
                        MemorySegment set = setOf(mine, SIGPIPE), old = sigset_t.allocate(mine);
                        boolean restarts = raw(SIGPIPE).restarts();
                        assertEquals(0, sigprocmask(SIG_BLOCK, set, old));
                        assertEquals(restarts, raw(SIGPIPE).restarts(), "the facade's dispatch keeps the flags of the handler it replaced");
                        assertEquals(0, sigprocmask(SIG_SETMASK, old, MemorySegment.NULL));
                        long finished = JavaSignals.finished();
                        assertEquals(0, raise(SIGPIPE)); // to the JVM's handler, then the facade's dispatch
                        awaitRunFinished(finished); // the JVM's own SIGPIPE handler: nothing, and no exception
                    });
                    assertEquals(0, sigaction(SIGPIPE, saved, MemorySegment.NULL), "round " + round);
                }
            }
        });
    }

    @Test
    void theSignalsIgnoredByDefaultStayIgnoredWhileTheFacadeDispatchesThem() throws Exception {
        for (int sig : new int[] {SIGCHLD, SIGURG, SIGWINCH, SIGCONT}) {
            firstTakeAgain(sig);
            withActionsPutBack(new int[] {sig}, () -> onThread("default-ignored", () -> {
                try (Arena arena = Arena.ofConfined()) {
                    assertNotEquals(SIG_ERR, signal(sig, SIG_DFL)); // whatever an earlier test left: C's default
                    assertEquals(0, raw(sig).handler());
                    MemorySegment set = setOf(arena, sig), old = sigset_t.allocate(arena);
                    assertEquals(0, sigprocmask(SIG_BLOCK, set, old));
                    long dispatcher = raw(sig).handler();
                    assertTrue(dispatcher > 1);
                    assertEquals(0, sigprocmask(SIG_SETMASK, old, MemorySegment.NULL));
                    long finished = JavaSignals.finished();
                    assertEquals(0, raise(sig));
                    awaitRunFinished(finished);
                    assertEquals(dispatcher, raw(sig).handler(), "C's default for " + sig + " is to ignore it: nothing changed");
                }
            }));
        }
    }

    @Test
    void aSignalForAThreadThatEndedWhileBlockingItGoesToTheHandler() throws Exception {
        firstTakeAgain(SIGUSR1);
        withActionsPutBack(new int[] {SIGUSR1}, () -> {
            Recorder h = new Recorder();
            assertEquals(0, sigaction(SIGUSR1, h, SA_RESTART));
            int[] ended = {0};
            onThread("blocks-and-ends", () -> {
                ended[0] = gettid();
                try (Arena arena = Arena.ofConfined()) {
                    assertEquals(0, sigprocmask(SIG_BLOCK, setOf(arena, SIGUSR1), MemorySegment.NULL));
                }
            });
            Path task = Path.of("/proc/self/task/" + ended[0]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG);
            while (Files.exists(task)) { // the kernel's thread outlives Thread.join a moment
                if (System.nanoTime() > deadline) fail("thread " + ended[0] + " never ended");
                Thread.sleep(1);
            }
            assertTrue(JavaSignals.blocked(SIGUSR1), "the ended thread is still listed");
            assertEquals(0, kill(getpid(), SIGUSR1));
            h.awaitOne("the handler");
            assertEquals(List.of(SIGUSR1), h.got);
            assertFalse(JavaSignals.blocked(SIGUSR1), "the ended thread is dropped");
        });
    }

    @Test
    void sigsuspendPselectAndPpollUnblockForTheWaitOnly() throws Exception {
        for (String call : List.of("sigsuspend", "pselect", "ppoll")) {
            withActionsPutBack(new int[] {SIGUSR1}, () -> {
                Recorder h = new Recorder();
                assertEquals(0, sigaction(SIGUSR1, h, 0));
                onThread(call, () -> {
                    int fd = socket(AF_INET, SOCK_DGRAM, 0);
                    try (Arena arena = Arena.ofConfined()) {
                        assertEquals(0, bind(fd, Loopback.addr(arena, 0), Loopback.sizeofSockaddrIn()));
                        MemorySegment block = setOf(arena, SIGUSR1), old = sigset_t.allocate(arena), wait = sigset_t.allocate(arena);
                        assertEquals(0, sigprocmask(SIG_BLOCK, block, old));
                        assertEquals(0, sigprocmask(SIG_BLOCK, MemorySegment.NULL, wait));
                        assertEquals(0, sigdelset(wait, SIGUSR1)); // the mask for the wait: as now, SIGUSR1 unblocked
                        assertEquals(0, raise(SIGUSR1));
                        assertEquals(List.of(), h.got, "blocked: pending, not handled");
                        int r = switch (call) {
                            case "sigsuspend" -> sigsuspend(wait);
                            case "pselect" -> {
                                MemorySegment rset = io.github.panamasockets.bindings.fd_set.allocate(arena);
                                FD_ZERO(rset);
                                FD_SET(fd, rset);
                                yield pselect(fd + 1, rset, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, wait);
                            }
                            default -> {
                                MemorySegment pfd = pollfd.allocate(arena);
                                pollfd.fd(pfd, fd);
                                pollfd.events(pfd, (short) POLLIN);
                                yield ppoll(pfd, 1, MemorySegment.NULL, wait);
                            }
                        };
                        assertEquals(-1, r, call);
                        assertEquals(EINTR, errno(), call);
                        h.awaitOne("the handler");
                        assertEquals(List.of(SIGUSR1), h.got);
                        assertEquals(0, sigPnd() & bit(SIGUSR1), "taken by the handler");
                        assertTrue(JavaSignals.blocked(SIGUSR1), "blocked again after the wait, forwarded again");
                        assertEquals(sigBlk() & bit(SIGUSR1), bit(SIGUSR1));
                        assertEquals(0, sigprocmask(SIG_SETMASK, old, MemorySegment.NULL));
                    } finally {
                        close(fd);
                    }
                });
            });
        }
    }

    @Test
    void awaitHandlerWaitsForTheRunThatBeganDuringTheCall() throws Exception {
        awaitHandler(false);
    }

    @Test
    void anInterruptEndsAwaitHandlersWaitAndStaysSet() throws Exception {
        awaitHandler(true);
    }

    private static void awaitHandler(boolean interrupt) throws Exception {
        withActionsPutBack(new int[] {SIGUSR1}, () -> {
            CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
            boolean[] finished = {false};
            assertEquals(0, sigaction(SIGUSR1, sig -> {
                started.countDown();
                try {
                    release.await(HANG, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished[0] = true;
            }, 0));
            ThreadErrno[] call = new ThreadErrno[1];
            boolean[] seenFinished = {false}, interrupted = {false};
            long[] waited = {0};
            CountDownLatch noted = new CountDownLatch(1), go = new CountDownLatch(1);
            Thread caller = Thread.ofPlatform().name(NoLeaks.THREAD_PREFIX + "await").start(() -> {
                call[0] = ThreadErrno.current(); // a call starts: the handler runs begun so far are noted
                noted.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long t0 = System.nanoTime();
                JavaSignals.awaitHandler(call[0]); // as after a call that returned EINTR
                waited[0] = System.nanoTime() - t0;
                seenFinished[0] = finished[0];
                interrupted[0] = Thread.currentThread().isInterrupted();
            });
            try {
                await(noted, "the call's start");
                onThread("raise-await", () -> assertEquals(0, raise(SIGUSR1)));
                await(started, "the handler's start");
                go.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG);
                while (caller.getState() != Thread.State.TIMED_WAITING) {
                    assertNotEquals(Thread.State.TERMINATED, caller.getState(), "awaitHandler returned while the handler was still running");
                    if (System.nanoTime() > deadline) fail("the caller never waited");
                    Thread.onSpinWait();
                }
                if (interrupt) {
                    caller.interrupt();
                    caller.join(); // returns with the handler still running
                }
            } finally {
                go.countDown();
                release.countDown();
                caller.join();
            }
            if (interrupt) {
                assertFalse(seenFinished[0], "the interrupt ended the wait");
                assertTrue(interrupted[0], "the interrupt is kept for the caller");
                return;
            }
            // the facade waits 5 s at most: only a machine that stalled the handler that long gets there first
            assertTrue(seenFinished[0] || waited[0] >= 5_000_000_000L, "returned before the handler finished, after " + waited[0] + " ns");
            assertFalse(interrupted[0]);
        });
    }

    // ---- timers: alarm and ITIMER_REAL, one per-thread timer -----------------------------------

    /** /proc/self/timers' entries (ID, signal, notify, ClockID), one string each. */
    static List<String> timers() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder one = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/timers"))) {
            if (line.startsWith("ID:")) {
                if (one != null) out.add(one.toString());
                one = new StringBuilder();
            }
            if (one != null) one.append(line.replaceAll("/[0-9a-f]{8,}$", "")).append("; "); // signal: N/sigev_value
        }
        if (one != null) out.add(one.toString());
        return out;
    }

    /** The timer aimed at thread tid: its signal, notify and clock. */
    static List<String> timersOf(int tid) throws IOException {
        return timers().stream().filter(t -> t.contains("notify: signal/tid." + tid + ";")).map(t -> t.replaceAll("^ID: \\d+; ", "")).toList();
    }

    static MemorySegment itimer(Arena arena, long intervalSec, long intervalUsec, long valueSec, long valueUsec) {
        MemorySegment v = itimerval.allocate(arena);
        timeval.tv_sec(itimerval.it_interval(v), intervalSec);
        timeval.tv_usec(itimerval.it_interval(v), intervalUsec);
        timeval.tv_sec(itimerval.it_value(v), valueSec);
        timeval.tv_usec(itimerval.it_value(v), valueUsec);
        return v;
    }

    interface Alarm { int call(); }

    /**
     * alarm's answer is the time the timer had left, rounded to the nearest second: the left time
     * read just before and the same less the time the two calls took bound it, and both round to
     * the same second unless the machine stalled across a half second.
     */
    static void assertRoundedLeft(Arena arena, Alarm alarm) {
        MemorySegment now = itimerval.allocate(arena);
        long t0 = System.nanoTime();
        assertEquals(0, getitimer(ITIMER_REAL, now));
        int got = alarm.call();
        long took = (System.nanoTime() - t0) / 1000;
        long before = usec(itimerval.it_value(now)), after = Math.max(0, before - took);
        long roundBefore = (before + 500_000) / 1_000_000, roundAfter = (after + 500_000) / 1_000_000;
        assertTrue(got == roundBefore || got == roundAfter, "alarm returned " + got + " with " + before + " us left before it");
    }

    static long usec(MemorySegment tv) {
        return timeval.tv_sec(tv) * 1_000_000 + timeval.tv_usec(tv);
    }

    @Test
    void alarmAndItimerRealShareAPerThreadTimer() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/timers")), "no /proc/self/timers (a kernel without CONFIG_CHECKPOINT_RESTORE)");
        withActionsPutBack(new int[] {SIGALRM, SIGUSR1}, () -> {
            int[] first = {0};
            onThread("itimer", () -> {
                try (Arena arena = Arena.ofConfined()) {
                    int tid = gettid();
                    first[0] = tid;
                    MemorySegment alrm = setOf(arena, SIGALRM), old = sigset_t.allocate(arena);
                    assertEquals(0, sigprocmask(SIG_BLOCK, alrm, old)); // what the timer sends stays pending here
                    try {
                        MemorySegment v = itimer(arena, 3, 123_456, 100, 0), was = itimerval.allocate(arena), now = itimerval.allocate(arena);
                        assertEquals(0, setitimer(ITIMER_REAL, v, MemorySegment.NULL));
                        assertEquals(List.of("signal: 14; notify: signal/tid." + tid + "; ClockID: " + CLOCK_MONOTONIC + "; "), timersOf(tid));
                        assertEquals(0, getitimer(ITIMER_REAL, now));
                        assertEquals(3, timeval.tv_sec(itimerval.it_interval(now)));
                        assertEquals(123_456, timeval.tv_usec(itimerval.it_interval(now)), "the interval, to the microsecond");
                        long left = usec(itimerval.it_value(now));
                        assertTrue(left > 0 && left <= 100_000_000, "left " + left);
                        assertTrue(timeval.tv_usec(itimerval.it_value(now)) < 1_000_000);

                        // the old setting comes back from the next setitimer
                        assertEquals(0, setitimer(ITIMER_REAL, itimer(arena, 0, 999_999, 5, 900_000), was));
                        assertEquals(3, timeval.tv_sec(itimerval.it_interval(was)));
                        assertEquals(123_456, timeval.tv_usec(itimerval.it_interval(was)));
                        left = usec(itimerval.it_value(was));
                        assertTrue(left > 0 && left <= 100_000_000, "left " + left);
                        assertEquals(0, getitimer(ITIMER_REAL, now));
                        assertEquals(999_999, usec(itimerval.it_interval(now)));

                        // alarm(0): what was left, to the nearest second (5.9 s less what passed)
                        assertRoundedLeft(arena, () -> alarm(0));
                        assertEquals(0, alarm(0), "disarmed");
                        assertEquals(0, getitimer(ITIMER_REAL, now));
                        assertEquals(0, usec(itimerval.it_value(now)));
                        assertEquals(0, usec(itimerval.it_interval(now)));

                        // under a second left: alarm rounds up to 1, unless the timer went off meanwhile
                        assertEquals(0, setitimer(ITIMER_REAL, itimer(arena, 0, 0, 0, 499_000), MemorySegment.NULL));
                        int l = alarm(0);
                        if (drain(arena, alrm) == 0) assertEquals(1, l, "alarm(0) with under 0.5 s left");
                        else assertTrue(l == 0 || l == 1, "the timer went off about when alarm(0) read it: " + l); // only on a stalled machine

                        // alarm(n) answers what setitimer left, and setitimer's old value what alarm set
                        assertEquals(0, alarm(100));
                        assertRoundedLeft(arena, () -> alarm(100));
                        assertEquals(0, setitimer(ITIMER_REAL, itimer(arena, 0, 0, 0, 0), was));
                        left = usec(itimerval.it_value(was));
                        assertTrue(left > 0 && left <= 100_000_000, "left " + left);
                        assertEquals(0, usec(itimerval.it_interval(was)));

                        // it goes off: SIGALRM to this thread, from the timer
                        assertEquals(0, setitimer(ITIMER_REAL, itimer(arena, 0, 0, 0, 1000), MemorySegment.NULL));
                        MemorySegment info = siginfo_t.allocate(arena);
                        assertEquals(SIGALRM, sigtimedwait(alrm, info, timeout(arena, HANG)));
                        assertEquals(SI_TIMER, si_code(info), "sent by the timer, straight to this thread");
                        assertEquals(0, alarm(0), "a one-shot timer that went off");

                        // the checks of a timeval, each bound
                        for (long[] bad : new long[][] {{0, 0, -1, 0}, {0, 0, 0, -1}, {0, 0, 0, 1_000_000}, {-1, 0, 0, 0}, {0, -1, 0, 0}, {0, 1_000_000, 0, 0}}) {
                            assertFails(EINVAL, setitimer(ITIMER_REAL, itimer(arena, bad[0], bad[1], bad[2], bad[3]), was), java.util.Arrays.toString(bad));
                        }
                        assertEquals(0, setitimer(ITIMER_REAL, itimer(arena, 0, 0, 0, 0), was), "all zero: disarm");
                        assertEquals(0, usec(itimerval.it_value(was)));
                        assertFails(EINVAL, setitimer(42, v, was), "which 42: the kernel's");
                        assertFails(EINVAL, getitimer(42, now), "which 42");
                        assertEquals(0, getitimer(ITIMER_VIRTUAL, now));
                        assertEquals(0, setitimer(ITIMER_VIRTUAL, itimer(arena, 0, 0, 0, 0), was), "ITIMER_VIRTUAL: the kernel's own, disarmed");
                        assertEquals(0, usec(itimerval.it_value(was)));
                    } finally {
                        alarm(0);
                        drain(arena, alrm);
                        sigprocmask(SIG_SETMASK, old, MemorySegment.NULL);
                    }
                }
            });

            // another thread's alarm aims the timer at that thread; from a Java handler it keeps its aim
            onThread("itimer-2", () -> {
                try (Arena arena = Arena.ofConfined()) {
                    int tid = gettid();
                    MemorySegment alrm = setOf(arena, SIGALRM), old = sigset_t.allocate(arena);
                    assertEquals(0, sigprocmask(SIG_BLOCK, alrm, old));
                    try {
                        assertEquals(0, alarm(0), "nothing armed");
                        assertEquals(List.of(), timersOf(tid), "disarming from another thread does not aim the timer here");
                        assertEquals(0, alarm(100));
                        assertEquals(List.of("signal: 14; notify: signal/tid." + tid + "; ClockID: " + CLOCK_MONOTONIC + "; "), timersOf(tid));
                        assertEquals(List.of(), timersOf(first[0]), "one timer: the other thread's is gone");
                        List<Object> inHandler = new CopyOnWriteArrayList<>();
                        CountDownLatch ran = new CountDownLatch(1);
                        assertEquals(0, sigaction(SIGUSR1, sig -> {
                            try {
                                inHandler.add(alarm(200) > 0); // re-armed, aimed where the signal came from
                                inHandler.addAll(timersOf(tid));
                                inHandler.add(gettid() != tid);
                            } catch (IOException e) {
                                inHandler.add(e);
                            }
                            ran.countDown();
                        }, SA_RESTART));
                        assertEquals(0, raise(SIGUSR1));
                        await(ran, "the handler");
                        assertEquals(List.of(true, "signal: 14; notify: signal/tid." + tid + "; ClockID: " + CLOCK_MONOTONIC + "; ", true), inHandler);
                        int left = alarm(0);
                        assertTrue(left > 100 && left <= 200, "the handler's alarm(200): " + left);
                    } finally {
                        alarm(0);
                        drain(arena, alrm);
                        sigprocmask(SIG_SETMASK, old, MemorySegment.NULL);
                    }
                }
            });
        });
    }

    // ---- the trace, pinned in this JVM --------------------------------------------------------------

    @Test
    void eachSignalCallIsTracedInThisJvmAsStracePrintsIt() throws Exception {
        withActionsPutBack(new int[] {SIGUSR1, SIGWINCH}, () -> onThread("trace", () -> {
            int pid = getpid(), tid = gettid();
            int[] sfd = {-1};
            long[] oldAt = {0}, shortAt = {0};
            List<String> lines = InProcessTrace.of(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment mask = setOf(arena, SIGUSR1), empty = setOf(arena), set = sigset_t.allocate(arena);
                    MemorySegment zero = timespec.allocate(arena), info = siginfo_t.allocate(arena), got = arena.allocate(ValueLayout.JAVA_INT);
                    sigprocmask(SIG_BLOCK, mask, MemorySegment.NULL);
                    tgkill(getpid(), gettid(), SIGUSR1);
                    sigpending(set);
                    sigtimedwait(mask, info, zero);
                    sigtimedwait(mask, MemorySegment.NULL, zero);
                    raise(SIGUSR1);
                    sigwaitinfo(mask, MemorySegment.NULL);
                    raise(SIGUSR1);
                    sigwait(mask, got);
                    pthread_sigmask(42, mask, MemorySegment.NULL);
                    sigaction(SIGUSR1, sig -> { }, 0);
                    siginterrupt(SIGUSR1, 0);
                    raise(SIGUSR1);
                    sigsuspend(empty);
                    raise(SIGUSR1);
                    pselect(0, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, empty);
                    raise(SIGUSR1);
                    MemorySegment pfd = pollfd.allocate(arena);
                    pollfd.fd(pfd, -1);
                    pollfd.events(pfd, (short) POLLIN);
                    ppoll(pfd, 1, MemorySegment.NULL, empty);
                    pthread_sigmask(SIG_UNBLOCK, mask, MemorySegment.NULL);
                    MemorySegment low = sigset_t.allocate(arena);
                    low.set(ValueLayout.JAVA_LONG, 0, 0xffff_ffffL); // signals 1 to 32: as many in as out
                    sigprocmask(SIG_UNBLOCK, low, MemorySegment.NULL);
                    sigprocmask(SIG_UNBLOCK, setOf(arena, SIGRTMAX()), MemorySegment.NULL);
                    signal(SIGWINCH, SIG_IGN);
                    MemorySegment old = sigaction.allocate(arena);
                    sigaction(SIGWINCH, MemorySegment.NULL, old);
                    sigaction(SIGWINCH, old, MemorySegment.NULL);
                    signal(SIGWINCH, SIG_DFL);
                    sigaction(NSIG, MemorySegment.NULL, old);
                    oldAt[0] = old.address();
                    MemorySegment small = arena.allocate(8);
                    shortAt[0] = small.address();
                    sigprocmask(SIG_BLOCK, small, MemorySegment.NULL);
                    setitimer(ITIMER_REAL, small, MemorySegment.NULL);
                    tgkill(getpid(), gettid(), 0);
                    setitimer(ITIMER_REAL, itimer(arena, 0, 0, 0, 0), MemorySegment.NULL);
                    alarm(0);
                    getitimer(ITIMER_REAL, itimerval.allocate(arena));
                    sfd[0] = signalfd(-1, mask, SFD_CLOEXEC);
                    close(sfd[0]);
                }
            });
            String eintr = "-1 EINTR (Interrupted system call)";
            assertEquals(List.of(
                    "rt_sigprocmask(SIG_BLOCK, [USR1], NULL, 8) = 0",
                    "tgkill(" + pid + ", " + tid + ", SIGUSR1) = 0",
                    "rt_sigpending([USR1], 8) = 0",
                    "rt_sigtimedwait([USR1], {si_signo=SIGUSR1, si_code=0, si_pid=" + pid + "}, {tv_sec=0, tv_nsec=0}, 8) = 10",
                    "rt_sigtimedwait([USR1], NULL, {tv_sec=0, tv_nsec=0}, 8) = -1 EAGAIN (Resource temporarily unavailable)",
                    "tgkill(" + pid + ", " + tid + ", SIGUSR1) = 0",
                    "rt_sigtimedwait([USR1], NULL, NULL, 8) = 10",
                    "tgkill(" + pid + ", " + tid + ", SIGUSR1) = 0",
                    "sigwait([USR1], [10]) = 0",
                    "pthread_sigmask(42, [USR1], NULL) = 22 EINVAL (Invalid argument)",
                    "rt_sigaction(SIGUSR1, {sa_handler=<java handler>, sa_flags=0}, NULL, 8) = 0",
                    "siginterrupt(SIGUSR1, 0) = 0",
                    "tgkill(" + pid + ", " + tid + ", SIGUSR1) = 0",
                    "rt_sigsuspend([], 8) = " + eintr,
                    "tgkill(" + pid + ", " + tid + ", SIGUSR1) = 0",
                    "pselect6(0, NULL, NULL, NULL, NULL, []) = " + eintr,
                    "tgkill(" + pid + ", " + tid + ", SIGUSR1) = 0",
                    "ppoll([{fd=-1, events=POLLIN}], 1, NULL, [], 8) = " + eintr,
                    "pthread_sigmask(SIG_UNBLOCK, [USR1], NULL) = 0",
                    "rt_sigprocmask(SIG_UNBLOCK, [HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS 32], NULL, 8) = 0",
                    "rt_sigprocmask(SIG_UNBLOCK, [64], NULL, 8) = 0",
                    "rt_sigaction(SIGWINCH, {sa_handler=SIG_IGN, sa_flags=SA_RESTART}, {sa_handler=SIG_DFL, sa_flags=0}, 8) = 0",
                    "rt_sigaction(SIGWINCH, NULL, {sa_handler=SIG_IGN, sa_flags=SA_RESTART|0x4000000}, 8) = 0",
                    "rt_sigaction(SIGWINCH, {sa_handler=SIG_IGN, sa_flags=SA_RESTART|0x4000000}, NULL, 8) = 0",
                    "rt_sigaction(SIGWINCH, {sa_handler=SIG_DFL, sa_flags=SA_RESTART}, {sa_handler=SIG_IGN, sa_flags=SA_RESTART|0x4000000}, 8) = 0",
                    "rt_sigaction(65, NULL, 0x" + Long.toHexString(oldAt[0]) + ", 8) = -1 EINVAL (Invalid argument)",
                    "rt_sigprocmask(SIG_BLOCK, 0x" + Long.toHexString(shortAt[0]) + ", NULL, 8) = -1 EFAULT (Bad address)",
                    "setitimer(ITIMER_REAL, 0x" + Long.toHexString(shortAt[0]) + ", NULL) = -1 EFAULT (Bad address)",
                    "tgkill(" + pid + ", " + tid + ", 0) = 0",
                    "setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}, NULL) = 0",
                    "alarm(0) = 0",
                    "getitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}) = 0",
                    "signalfd4(-1, [USR1], 8, SFD_CLOEXEC) = " + sfd[0],
                    "close(" + sfd[0] + ") = 0"), lines);
        }));
    }

    // ---- sending ------------------------------------------------------------------------------

    @Test
    void tgkillChecksOnlyThisProcessesThreadsAndGettidIsTheKernels() throws Exception {
        int pidMax = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim()); // never a process id
        assertTrue(pidMax > 300 && !Files.exists(Path.of("/proc/" + pidMax)), "pid_max " + pidMax + " names no process");
        assertEquals(Integer.parseInt(Path.of("/proc/thread-self").toRealPath().getFileName().toString()), gettid());
        assertEquals(0, tgkill(getpid(), gettid(), 0), "signal 0: is the thread there");
        assertFails(ESRCH, tgkill(getpid(), pidMax, 0), "no such thread");
        assertFails(ESRCH, tgkill(pidMax, pidMax, SIGSEGV), "SIGSEGV to no process: the kernel's ESRCH, not the facade's refusal");
        assertFails(EINVAL, tgkill(getpid(), -1, 0), "tid -1");
        assertFails(EINVAL, raise(-1), "not a signal");
        assertFails(EINVAL, raise(NSIG), "not a signal");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = sigaction.allocate(arena), set = setOf(arena), small = arena.allocate(8);
            for (int sig : new int[] {0, NSIG}) assertFails(EINVAL, sigaction(sig, MemorySegment.NULL, old), "query of " + sig);
            assertFails(EINVAL, sigdelset(set, 0), "sigdelset(0)");
            assertFails(EFAULT, sigfillset(small), "sigfillset on 8 bytes");
            assertFails(EFAULT, sigaddset(small, SIGINT), "sigaddset on 8 bytes");
            assertFails(EFAULT, sigdelset(small, SIGINT), "sigdelset on 8 bytes");
            assertFails(EFAULT, sigismember(small, SIGINT), "sigismember on 8 bytes");
            assertEquals("USR1", sigabbrev_np(SIGUSR1));
            for (int sig : new int[] {0, -1, NSIG}) assertEquals(null, sigabbrev_np(sig), "sigabbrev_np(" + sig + ")");
            // the bounds of nfds: 0 and FD_SETSIZE are allowed
            MemorySegment zero = timespec.allocate(arena);
            assertEquals(0, ppoll(pollfd.allocate(arena), 0, zero, MemorySegment.NULL), "ppoll of no descriptors: a timeout");
            assertEquals(0, pselect(FD_SETSIZE, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, zero, MemorySegment.NULL));
            assertFails(EINVAL, pselect(FD_SETSIZE + 1, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, zero, MemorySegment.NULL), "nfds past FD_SETSIZE");
            assertFails(EINVAL, ppoll(pollfd.allocate(arena), -1, zero, MemorySegment.NULL), "nfds -1");
            assertFails(EFAULT, ppoll(MemorySegment.ofArray(new byte[8]), 0, zero, MemorySegment.NULL), "heap fds: EFAULT, even for nfds 0");
        }
    }

    @Test
    void siginfoAccessorsReadTheirFields() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = siginfo_t.allocate(arena);
            for (long i = 0; i < info.byteSize(); i++) info.set(ValueLayout.JAVA_BYTE, i, (byte) (i + 1));
            assertEquals(info.get(ValueLayout.JAVA_INT, siginfo_t.si_signo$offset()), si_signo(info));
            assertEquals(info.get(ValueLayout.JAVA_INT, siginfo_t.si_errno$offset()), si_errno(info));
            assertEquals(info.get(ValueLayout.JAVA_INT, siginfo_t.si_code$offset()), si_code(info));
            long fields = siginfo_t._sifields$offset();
            assertEquals(info.get(ValueLayout.JAVA_INT, fields), si_pid(info));
            assertEquals(info.get(ValueLayout.JAVA_INT, fields + 4), si_uid(info));
            assertEquals(info.get(ValueLayout.JAVA_INT, fields + 8), si_status(info));
            assertEquals(info.get(ValueLayout.JAVA_INT, fields + 8), si_int(info));
        }
    }
}
