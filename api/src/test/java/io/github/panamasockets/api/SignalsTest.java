package io.github.panamasockets.api;

import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sigaction;
import io.github.panamasockets.bindings.sigset_t;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.github.panamasockets.api.Loopback.assertFails;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signals as C sees them. Every scenario that changes a disposition runs in a child JVM
 * ({@link SignalScenario}), so this JVM's dispositions stay as they were; the refusals run here,
 * and the test checks that no disposition changed.
 */
@ExtendWith(NoLeaks.class)
class SignalsTest {
    @TempDir
    Path dir;

    private List<String> scenario(String... args) throws Exception {
        Child.Result r = Child.java(dir, SignalScenario.class, List.of(), args);
        assertEquals(0, r.exit(), "exit of scenario " + String.join(" ", args) + "\n" + r.stdout() + r.stderr());
        return r.lines();
    }

    @Tag("child-jvm")
    @Test
    void saRestartClearTheBlockedRecvReturnsEintrAfterTheHandler() throws Exception {
        assertEquals(List.of("sigaction = 0", "handler: caught signal 14", "recv = -1 EINTR", "handled = 1"), scenario("eintr"));
    }

    @Tag("child-jvm")
    @Test
    void saRestartSetTheRecvRestartsAndGetsTheDatagramTheHandlerSent() throws Exception {
        assertEquals(List.of("sigaction = 0", "handler: caught signal 14", "recv = 1", "handled = 1"), scenario("restart"));
    }

    @Tag("child-jvm")
    @Test
    void siginterruptTurnsRestartOff() throws Exception {
        assertEquals(List.of("sigaction = 0", "siginterrupt = 0", "handler: caught signal 14", "recv = -1 EINTR", "handled = 1"),
                scenario("siginterrupt"));
    }

    @Tag("child-jvm")
    @Test
    void alarmInterruptsTheThreadThatSetIt() throws Exception {
        assertEquals(List.of("sigaction = 0", "handler: caught signal 14", "recv = -1 EINTR", "handled = 1"), scenario("alarm-other-thread"));
    }

    @Tag("child-jvm")
    @Test
    void tenThousandSignalsGiveTenThousandEintrsAndHandlerRuns() throws Exception {
        assertEquals(List.of("sigaction = 0", "sent = 10000", "EINTR = 10000", "handled = 10000", "other = 0"), scenario("storm", "10000"));
    }

    @Tag("child-jvm")
    @Test
    void theKernelCoalescesStandardSignalsWhileBlockedAndQueuesRealTimeOnes() throws Exception {
        assertEquals(List.of("sigaction = 0", "pthread_sigmask = 0", "pthread_sigmask = 0",
                "raised while blocked = 10000, handled = 1",
                "SIGRTMIN raised while blocked = 1000, taken = 1000, then EAGAIN"), scenario("burst", "10000"));
    }

    /** sigsuspend, pselect and ppoll: a signal another thread got while the waiter had it unblocked ends the wait. */
    @Tag("child-jvm")
    @ParameterizedTest
    @ValueSource(strings = {"sigsuspend", "pselect", "ppoll"})
    void aSignalThatReachedAnotherThreadEndsTheWaitOfTheThreadThatBlockedIt(String wait) throws Exception {
        assertEquals(List.of("sigaction = 0", "handler: caught signal " + SIGUSR1, "forwarded to the waiter = true", wait + " = -1 EINTR",
                "handled = 1"), scenario("elsewhere-during-wait", wait));
    }

    @Tag("child-jvm")
    @Test
    void signalfdReadsAProcessDirectedSigtermAndTheJvmLives() throws Exception {
        assertEquals(List.of("sigprocmask = 0", "signalfd >= 0: true", "kill = 0", "read = 128", "ssi_signo = 15", "pending SIGTERM = 0"),
                scenario("signalfd"));
    }

    @Tag("child-jvm")
    @Test
    void sigwaitinfoSigtimedwaitSigwait() throws Exception {
        // glibc folds the kernel's SI_TKILL (raise is tgkill) into SI_USER, 0, as C sees it
        assertEquals(List.of("sigprocmask = 0", "raise = 0", "pending SIGUSR1 = 1", "sigwaitinfo = 10",
                "si_signo = 10, si_code = 0, si_pid is mine = true", "sigtimedwait = -1 EAGAIN", "sigwait = 0, sig = 10"),
                scenario("sigwaitinfo"));
    }

    @Tag("child-jvm")
    @Test
    void pselectAndPpollUnblockOnlyForTheWait() throws Exception {
        for (String call : List.of("pselect", "ppoll")) {
            assertEquals(List.of("sigaction = 0", "sigprocmask = 0", "raise = 0", "handled before the wait = 0",
                    "handler: caught signal 10", call + " = -1 EINTR", "handled = 1", "pending SIGUSR1 = 0"), scenario(call));
        }
    }

    @Tag("child-jvm")
    @Test
    void setitimerGetitimerAndAlarmShareOneTimer() throws Exception {
        assertEquals(List.of("setitimer = 0", "old it_value = 0.0", "getitimer = 0", "left no more than the 20.7 s set, no less than that minus the calls' time: true",
                "alarm(0) is what was left, rounded: true", "alarm(0) again = 0", "after: 0.0", "tv_usec 1000000: -1 EINVAL"), scenario("itimer"));
    }

    @Tag("child-jvm")
    @Test
    void sigIgnAndSigDflAreTheKernelsAndTheOldHandlerGoesBack() throws Exception {
        assertEquals(List.of("old SIGPIPE handler is the JVM's: true", "now SIG_IGN: true", "signal(SIGPIPE, old) == SIG_IGN: true",
                "back: true", "SIGUSR1 to SIG_IGN: true", "raise(SIGUSR1) = 0", "SIGUSR1 to SIG_DFL: true"), scenario("ignore"));
    }

    @Tag("child-jvm")
    @Test
    void aSavedSigactionPutsTheJvmsSigtermHandlerBack() throws Exception {
        Child.Result r = Child.java(dir, SignalScenario.class, List.of(), "term-restore");
        assertEquals(List.of("query = 0", "saved handler is an address: true", "sigaction = 0", "handler: caught signal 15", "kill = 0",
                "restore = 0", "kill = 0", "shutdown hook ran"), r.lines());
        assertEquals(128 + SIGTERM, r.exit(), "the JVM's SIGTERM exit status");
    }

    @Tag("child-jvm")
    @Test
    void eachSignalCallIsTracedAsStracePrintsIt() throws Exception {
        Child.Result r = Child.java(dir, SignalScenario.class, Child.traceOptions(), "trace");
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        String pid = r.lines().get(0).substring("@PID ".length()), tid = r.lines().get(1).substring("@TID ".length());
        List<String> lines = Child.traceLines(r);
        String sfd = lines.getLast().replaceAll(".* = ", "");
        assertEquals(List.of(
                "rt_sigprocmask(SIG_BLOCK, [USR1], NULL, 8) = 0",
                "tgkill(" + pid + ", " + tid + ", SIGUSR1) = 0",
                "rt_sigpending([USR1], 8) = 0",
                "rt_sigtimedwait([USR1], NULL, {tv_sec=0, tv_nsec=0}, 8) = 10",
                "rt_sigtimedwait([USR1], NULL, {tv_sec=0, tv_nsec=0}, 8) = -1 EAGAIN (Resource temporarily unavailable)",
                "rt_sigprocmask(SIG_UNBLOCK, [USR1], NULL, 8) = 0",
                "rt_sigaction(SIGWINCH, {sa_handler=SIG_IGN, sa_flags=SA_RESTART}, {sa_handler=SIG_DFL, sa_flags=0}, 8) = 0",
                "rt_sigaction(SIGWINCH, NULL, {sa_handler=SIG_IGN, sa_flags=SA_RESTART|SA_RESTORER}, 8) = 0".replace("SA_RESTORER", "0x4000000"),
                "rt_sigaction(SIGWINCH, {sa_handler=SIG_IGN, sa_flags=SA_RESTART|0x4000000}, NULL, 8) = 0",
                "rt_sigaction(SIGWINCH, {sa_handler=SIG_DFL, sa_flags=SA_RESTART}, {sa_handler=SIG_IGN, sa_flags=SA_RESTART|0x4000000}, 8) = 0",
                "rt_sigaction(SIGALRM, {sa_handler=<java handler>, sa_flags=SA_RESTART|SA_RESETHAND}, NULL, 8) = 0",
                "siginterrupt(SIGALRM, 1) = 0",
                "alarm(0) = 0",
                "setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=1000000}}, NULL) = -1 EINVAL (Invalid argument)",
                "rt_sigprocmask(SIG_BLOCK, [SEGV], NULL, 8) = -1 EINVAL (Invalid argument)",
                "signalfd4(-1, [USR1], 8, SFD_NONBLOCK|SFD_CLOEXEC) = " + sfd), lines);
        assertTrue(Integer.parseInt(sfd) > 2, "signalfd's descriptor " + sfd);
    }

    // ---- refusals, in this JVM: nothing may change ----------------------------------------------

    /** Every signal's handler, flags and mask, as the kernel has them. */
    private static List<String> dispositions() {
        List<String> all = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment act = sigaction.allocate(arena);
            for (int sig = 1; sig < NSIG; sig++) {
                io.github.panamasockets.bindings.sockets_h.sigaction(sig, MemorySegment.NULL, act);
                all.add(sig + " " + sa_handler(act).address() + " " + sigaction.sa_flags(act));
            }
        }
        return all;
    }

    private static final int[] JVM_SIGNALS = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGQUIT, SIGUSR2};
    private static final int[] NEVER_BLOCKED = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGUSR2};

    @Test
    void whatWouldBreakTheJvmIsRefusedWithEinval() {
        List<String> before = dispositions();
        try (Arena arena = Arena.ofConfined()) {
            for (int sig : JVM_SIGNALS) {
                assertFails(EINVAL, sigaction(sig, s -> { }, 0), "sigaction(" + sig + ", handler)");
                errno(0);
                assertEquals(SIG_ERR, signal(sig, SIG_IGN), "signal(" + sig + ", SIG_IGN)");
                Loopback.assertErrno(EINVAL, "signal(" + sig + ", SIG_IGN)");
                assertEquals(SIG_ERR, signal(sig, SIG_DFL), "signal(" + sig + ", SIG_DFL)");
                Loopback.assertErrno(EINVAL, "signal(" + sig + ", SIG_DFL)");
                assertFails(EINVAL, siginterrupt(sig, 1), "siginterrupt(" + sig + ")");
                MemorySegment act = sigaction.allocate(arena);
                assertEquals(0, sigaction(sig, MemorySegment.NULL, act), "query " + sig);   // reading is allowed
                assertFails(EINVAL, sigaction(sig, act, MemorySegment.NULL), "sigaction(" + sig + ", its own old action)");
            }
            for (int sig : new int[] {SIGPIPE, SIGXFSZ}) {
                assertEquals(SIG_ERR, signal(sig, SIG_DFL), "signal(" + sig + ", SIG_DFL)");
                Loopback.assertErrno(EINVAL, "SIG_DFL for " + sig);
            }
            for (int sig : new int[] {0, -1, NSIG, SIGKILL, SIGSTOP}) assertFails(EINVAL, sigaction(sig, s -> { }, 0), "sigaction(" + sig + ")");
            assertFails(EINVAL, sigaction(SIGRTMIN(), s -> { }, 0), "a Java handler for SIGRTMIN");
            assertFails(EINVAL, sigaction(SIGUSR1, s -> { }, SA_ONSTACK), "SA_ONSTACK");

            MemorySegment act = sigaction.allocate(arena);
            sa_handler(act, MemorySegment.ofAddress(0x1234));
            assertFails(EINVAL, sigaction(SIGUSR1, act, MemorySegment.NULL), "a handler address the facade never gave");
            assertFails(EFAULT, sigaction(SIGUSR1, arena.allocate(8), MemorySegment.NULL), "a short struct sigaction");

            MemorySegment set = sigset_t.allocate(arena), old = sigset_t.allocate(arena);
            for (int sig : NEVER_BLOCKED) {
                sigemptyset(set);
                sigaddset(set, sig);
                for (int how : new int[] {SIG_BLOCK, SIG_SETMASK}) {
                    assertFails(EINVAL, sigprocmask(how, set, old), "sigprocmask blocking " + sig);
                    assertEquals(EINVAL, pthread_sigmask(how, set, old), "pthread_sigmask blocking " + sig);
                }
                assertEquals(0, sigprocmask(SIG_UNBLOCK, set, old), "unblocking " + sig + " is fine");
                int fd = socket(AF_INET, SOCK_DGRAM, 0);
                MemorySegment rset = fd_set.allocate(arena);
                FD_ZERO(rset);
                FD_SET(fd, rset);
                assertFails(EINVAL, pselect(fd + 1, rset, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, set), "pselect mask with " + sig);
                MemorySegment pfd = pollfd.allocate(arena);
                pollfd.fd(pfd, fd);
                pollfd.events(pfd, (short) POLLIN);
                assertFails(EINVAL, ppoll(pfd, 1, MemorySegment.NULL, set), "ppoll mask with " + sig);
                close(fd);
                assertFails(EINVAL, raise(sig), "raise(" + sig + ")");
                assertFails(EINVAL, tgkill(getpid(), gettid(), sig), "tgkill(self, " + sig + ")");
                assertFails(EINVAL, kill(getpid(), sig), "kill(getpid(), " + sig + ")");
                assertFails(EINVAL, kill(0, sig), "kill(0, " + sig + ")");
            }
            sigfillset(set);
            assertFails(EINVAL, sigprocmask(SIG_SETMASK, set, old), "sigprocmask(SIG_SETMASK, sigfillset)");
            assertFails(EINVAL, sigprocmask(42, set, old), "a bad how");
            assertFails(EFAULT, sigprocmask(SIG_BLOCK, arena.allocate(8), old), "a short sigset_t");
            assertFails(EFAULT, sigemptyset(arena.allocate(8)), "sigemptyset on 8 bytes");
            assertFails(EINVAL, sigaddset(set, 0), "sigaddset(0)");
            assertFails(EINVAL, sigaddset(set, NSIG), "sigaddset(NSIG)");
        }
        assertEquals(before, dispositions(), "a refused call changed a disposition");
    }

    @Test
    void theRealTimeSignalNioUsesIsRefused() throws Exception {
        Class.forName("sun.nio.ch.NativeThread", true, null); // its initialization installs NIO's wake-up signal's handler
        List<String> before = dispositions();
        List<Integer> owned = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment act = sigaction.allocate(arena);
            for (int sig = SIGRTMIN(); sig <= SIGRTMAX(); sig++) {
                io.github.panamasockets.bindings.sockets_h.sigaction(sig, MemorySegment.NULL, act);
                if (sa_handler(act).address() > 1) owned.add(sig);
            }
            assertEquals(List.of(SIGRTMAX() - 2), owned, "the real-time signals with a handler: libnio's");
            MemorySegment set = sigset_t.allocate(arena);
            sigemptyset(set);
            sigaddset(set, SIGRTMAX() - 2);
            assertFails(EINVAL, sigprocmask(SIG_BLOCK, set, MemorySegment.NULL), "blocking NIO's signal");
            assertFails(EINVAL, sigsuspend(set), "sigsuspend with NIO's signal blocked");
            assertEquals(SIG_ERR, signal(SIGRTMAX() - 2, SIG_IGN), "ignoring NIO's signal");
            Loopback.assertErrno(EINVAL, "ignoring NIO's signal");
        }
        assertEquals(before, dispositions(), "a refused call changed a disposition");
    }

    @Test
    void sigsetCallsAsC() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = sigset_t.allocate(arena);
            assertEquals(0, sigemptyset(set));
            assertEquals(0, sigismember(set, SIGINT));
            assertEquals(0, sigaddset(set, SIGINT));
            assertEquals(1, sigismember(set, SIGINT));
            assertEquals(0, sigdelset(set, SIGINT));
            assertEquals(0, sigismember(set, SIGINT));
            assertEquals(0, sigfillset(set));
            assertEquals(1, sigismember(set, SIGTERM));
            assertEquals(1, sigismember(set, SIGRTMAX()));
        }
    }
}
