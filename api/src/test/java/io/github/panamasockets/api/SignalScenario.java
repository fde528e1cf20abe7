package io.github.panamasockets.api;

import io.github.panamasockets.bindings.itimerval;
import io.github.panamasockets.bindings.sigaction;
import io.github.panamasockets.bindings.signalfd_siginfo;
import io.github.panamasockets.bindings.sigset_t;
import io.github.panamasockets.bindings.timeval;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.panamasockets.api.Posix.*;

/**
 * Signal scenarios, each run in a child JVM of its own by {@link SignalsTest}, so that no test
 * leaves a signal disposition changed in the JVM that runs the others. Each prints what it saw,
 * one fact a line, for the test to compare.
 */
public final class SignalScenario {
    private SignalScenario() {}

    static final AtomicInteger HANDLED = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "eintr" -> blockedRecv(0, "sigaction");
            case "restart" -> blockedRecv(SA_RESTART, "sigaction");
            case "siginterrupt" -> blockedRecv(SA_RESTART, "siginterrupt");
            case "alarm-other-thread" -> {
                Thread t = Thread.ofPlatform().name("psock-test-alarm").start(() -> blockedRecv(0, "sigaction"));
                t.join();
            }
            case "storm" -> storm(Integer.parseInt(args[1]));
            case "burst" -> burst(Integer.parseInt(args[1]));
            case "signalfd" -> signalfdTerm();
            case "sigwaitinfo" -> sigwaitinfoUsr1();
            case "pselect" -> maskedWait(true);
            case "ppoll" -> maskedWait(false);
            case "elsewhere-during-wait" -> elsewhereDuringWait(args[1]);
            case "itimer" -> itimer();
            case "ignore" -> ignore();
            case "term-restore" -> termRestore();
            case "trace" -> trace();
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
    }

    static void println(String s) {
        System.out.println(s);
        System.out.flush();
    }

    /**
     * alarm(1) and a recv on a UDP socket nothing sends to: with SA_RESTART clear the handler runs
     * and recv returns -1 EINTR; with it set the recv restarts, and a second alarm's handler ends it
     * by sending a datagram to the socket.
     */
    static void blockedRecv(int flags, String how) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = Loopback.addr(arena, 0);
            Loopback.ok("bind", bind(fd, addr, Loopback.sizeofSockaddrIn()));
            int port = Loopback.port(fd);
            int[] alarms = {0};
            int r = sigaction(SIGALRM, sig -> {
                println("handler: caught signal " + sig);
                HANDLED.incrementAndGet();
                if (++alarms[0] == 1 && (flags & SA_RESTART) != 0) wake(port);
            }, flags);
            println("sigaction = " + r);
            if (how.equals("siginterrupt")) println("siginterrupt = " + siginterrupt(SIGALRM, 1));
            alarm(1);
            MemorySegment buf = arena.allocate(16);
            long n = recv(fd, buf, 16, 0);
            println("recv = " + n + (n == -1 ? " " + strerrorname(errno()) : ""));
            println("handled = " + HANDLED.get());
        } finally {
            close(fd);
        }
    }

    private static void wake(int port) {
        try (Arena arena = Arena.ofConfined()) {
            int s = socket(AF_INET, SOCK_DGRAM, 0);
            sendto(s, arena.allocateFrom("x"), 1, 0, Loopback.addr(arena, port), Loopback.sizeofSockaddrIn());
            close(s);
        }
    }

    /**
     * {@code n} signals, one at a time, to a thread looping on a blocking recv with SA_RESTART
     * clear: the next is sent once the thread has returned EINTR for the last, so the kernel never
     * has two of them pending at once and none is coalesced.
     */
    static void storm(int n) throws Exception {
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        AtomicInteger eintr = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        int[] tid = {0};
        try (Arena arena = Arena.ofShared()) {
            Loopback.ok("bind", bind(fd, Loopback.addr(arena, 0), Loopback.sizeofSockaddrIn()));
            int port = Loopback.port(fd);
            println("sigaction = " + sigaction(SIGUSR1, sig -> HANDLED.incrementAndGet(), 0));
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            Thread looper = Thread.ofPlatform().name("psock-test-looper").start(() -> {
                tid[0] = gettid();
                MemorySegment buf = Arena.ofAuto().allocate(16);
                started.countDown();
                while (true) {
                    long r = recv(fd, buf, 16, 0);
                    if (r == -1 && errno() == EINTR) eintr.incrementAndGet();
                    else if (r == 1) return;      // the datagram that ends the loop
                    else other.incrementAndGet();
                }
            });
            started.await();
            for (int i = 1; i <= n; i++) {
                awaitBlockedInRecv(tid[0]); // as a C test would: a signal that comes before the call interrupts nothing
                if (tgkill(getpid(), tid[0], SIGUSR1) == -1) throw new AssertionError("tgkill: " + strerrorname(errno()));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (eintr.get() < i) {
                    if (System.nanoTime() > deadline) throw new AssertionError("signal " + i + " got no EINTR");
                    Thread.onSpinWait();
                }
            }
            wake(port);
            looper.join();
            println("sent = " + n);
            println("EINTR = " + eintr.get());
            println("handled = " + HANDLED.get());
            println("other = " + other.get());
        } finally {
            close(fd);
        }
    }

    /** recvfrom's system call number, for /proc/PID/task/TID/syscall. */
    private static final long SYS_RECVFROM = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 45;
        case "aarch64" -> 207;
        default -> throw new IllegalStateException("recvfrom's number on " + System.getProperty("os.arch"));
    };

    private static void awaitBlockedInRecv(int tid) throws Exception {
        java.nio.file.Path syscall = java.nio.file.Path.of("/proc/self/task/" + tid + "/syscall");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            String[] f = new String(java.nio.file.Files.readAllBytes(syscall)).trim().split(" ");
            if (f[0].equals(String.valueOf(SYS_RECVFROM))) return;
            if (System.nanoTime() > deadline) throw new AssertionError("thread " + tid + " not in recvfrom: " + String.join(" ", f));
            Thread.onSpinWait();
        }
    }

    /**
     * Where the kernel coalesces: {@code n} SIGUSR1 raised while this thread blocks it stay one
     * pending signal (standard signals do not queue), delivered once when unblocked; as many
     * SIGRTMIN queue, and sigwaitinfo takes every one.
     */
    static void burst(int n) throws Exception {
        println("sigaction = " + sigaction(SIGUSR1, sig -> HANDLED.incrementAndGet(), 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = sigset_t.allocate(arena);
            sigemptyset(mask);
            sigaddset(mask, SIGUSR1);
            println("pthread_sigmask = " + pthread_sigmask(SIG_BLOCK, mask, MemorySegment.NULL));
            for (int i = 0; i < n; i++) raise(SIGUSR1);
            println("pthread_sigmask = " + pthread_sigmask(SIG_UNBLOCK, mask, MemorySegment.NULL));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (HANDLED.get() < 1 && System.nanoTime() < deadline) Thread.sleep(1);
            Thread.sleep(200); // time for any further handler run (there is none)
            println("raised while blocked = " + n + ", handled = " + HANDLED.get());

            MemorySegment rt = sigset_t.allocate(arena);
            sigemptyset(rt);
            sigaddset(rt, SIGRTMIN());
            pthread_sigmask(SIG_BLOCK, rt, MemorySegment.NULL);
            int queued = Math.min(n, 1000);                      // RLIMIT_SIGPENDING bounds the queue
            for (int i = 0; i < queued; i++) raise(SIGRTMIN());
            MemorySegment timeout = io.github.panamasockets.bindings.timespec.allocate(arena);
            int taken = 0;
            while (sigtimedwait(rt, MemorySegment.NULL, timeout) == SIGRTMIN()) taken++;
            println("SIGRTMIN raised while blocked = " + queued + ", taken = " + taken + ", then " + strerrorname(errno()));
        }
    }

    /** SIGTERM blocked, read from a signalfd after a process-directed kill: the JVM does not exit. */
    static void signalfdTerm() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = sigset_t.allocate(arena);
            sigemptyset(mask);
            sigaddset(mask, SIGTERM);
            println("sigprocmask = " + sigprocmask(SIG_BLOCK, mask, MemorySegment.NULL));
            int sfd = signalfd(-1, mask, 0);
            println("signalfd >= 0: " + (sfd >= 0));
            println("kill = " + kill(getpid(), SIGTERM));
            MemorySegment si = signalfd_siginfo.allocate(arena);
            long n = read(sfd, si, signalfd_siginfo.sizeof());
            println("read = " + n + (n == -1 ? " " + strerrorname(errno()) : ""));
            println("ssi_signo = " + signalfd_siginfo.ssi_signo(si));
            MemorySegment pending = sigset_t.allocate(arena);
            sigpending(pending);
            println("pending SIGTERM = " + sigismember(pending, SIGTERM));
            close(sfd);
        }
    }

    /** SIGUSR1 blocked, raised, then taken with sigwaitinfo: its siginfo says who sent it. */
    static void sigwaitinfoUsr1() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = sigset_t.allocate(arena);
            sigemptyset(mask);
            sigaddset(mask, SIGUSR1);
            println("sigprocmask = " + sigprocmask(SIG_BLOCK, mask, MemorySegment.NULL));
            println("raise = " + raise(SIGUSR1));
            MemorySegment pending = sigset_t.allocate(arena);
            sigpending(pending);
            println("pending SIGUSR1 = " + sigismember(pending, SIGUSR1));
            MemorySegment info = io.github.panamasockets.bindings.siginfo_t.allocate(arena);
            println("sigwaitinfo = " + sigwaitinfo(mask, info));
            println("si_signo = " + si_signo(info) + ", si_code = " + si_code(info) + ", si_pid is mine = " + (si_pid(info) == getpid()));
            MemorySegment timeout = io.github.panamasockets.bindings.timespec.allocate(arena);
            io.github.panamasockets.bindings.timespec.tv_nsec(timeout, 10_000_000);
            int r = sigtimedwait(mask, info, timeout);
            println("sigtimedwait = " + r + (r == -1 ? " " + strerrorname(errno()) : ""));
            kill(getpid(), SIGUSR1);
            MemorySegment sig = arena.allocate(ValueLayout.JAVA_INT);
            println("sigwait = " + sigwait(mask, sig) + ", sig = " + sig.get(ValueLayout.JAVA_INT, 0));
        }
    }

    /** The race-free wait: SIGUSR1 blocked and pending, unblocked only inside pselect/ppoll, which return EINTR after the handler. */
    static void maskedWait(boolean pselect) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        try (Arena arena = Arena.ofConfined()) {
            Loopback.ok("bind", bind(fd, Loopback.addr(arena, 0), Loopback.sizeofSockaddrIn()));
            println("sigaction = " + sigaction(SIGUSR1, sig -> { println("handler: caught signal " + sig); HANDLED.incrementAndGet(); }, 0));
            MemorySegment block = sigset_t.allocate(arena), empty = sigset_t.allocate(arena);
            sigemptyset(block);
            sigaddset(block, SIGUSR1);
            sigemptyset(empty);
            println("sigprocmask = " + sigprocmask(SIG_BLOCK, block, MemorySegment.NULL));
            println("raise = " + raise(SIGUSR1));
            println("handled before the wait = " + HANDLED.get());
            int r;
            if (pselect) {
                MemorySegment rset = io.github.panamasockets.bindings.fd_set.allocate(arena);
                FD_ZERO(rset);
                FD_SET(fd, rset);
                r = pselect(fd + 1, rset, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, empty);
            } else {
                MemorySegment pfd = io.github.panamasockets.bindings.pollfd.allocate(arena);
                io.github.panamasockets.bindings.pollfd.fd(pfd, fd);
                io.github.panamasockets.bindings.pollfd.events(pfd, (short) POLLIN);
                r = ppoll(pfd, 1, MemorySegment.NULL, empty);
            }
            println((pselect ? "pselect" : "ppoll") + " = " + r + (r == -1 ? " " + strerrorname(errno()) : ""));
            println("handled = " + HANDLED.get());
            MemorySegment pending = sigset_t.allocate(arena);
            sigpending(pending);
            println("pending SIGUSR1 = " + sigismember(pending, SIGUSR1));
        } finally {
            close(fd);
        }
    }

    /**
     * A thread blocks SIGUSR1, then waits with it unblocked (sigsuspend, pselect or ppoll). While
     * it blocked it, a process-directed SIGUSR1 went to another of the JVM's threads, and the
     * facade's dispatcher gets to it only now, the thread asleep in its wait (a loaded machine
     * makes this likely: sigchld-server's last SIGCHLD did so, and its sigsuspend never returned).
     * The dispatcher is handed the signal here as it would be then: it must send it on to the
     * waiting thread, whose wait ends with EINTR after one handler run, as C's one thread's would.
     */
    static void elsewhereDuringWait(String kind) throws Exception {
        println("sigaction = " + sigaction(SIGUSR1, sig -> { println("handler: caught signal " + sig); HANDLED.incrementAndGet(); }, 0));
        int[] waiterTid = {0}, result = {0, 0};
        java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().name("psock-test-waiter").start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment block = sigset_t.allocate(arena), empty = sigset_t.allocate(arena);
                sigemptyset(block);
                sigaddset(block, SIGUSR1);
                sigemptyset(empty);
                Loopback.ok("sigprocmask", sigprocmask(SIG_BLOCK, block, MemorySegment.NULL));
                waiterTid[0] = gettid();
                blocked.countDown();
                MemorySegment pfd = io.github.panamasockets.bindings.pollfd.allocate(arena);
                io.github.panamasockets.bindings.pollfd.fd(pfd, -1); // ignored: the wait is for the signal
                result[0] = switch (kind) {
                    case "sigsuspend" -> sigsuspend(empty);
                    case "pselect" -> pselect(0, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, empty);
                    case "ppoll" -> ppoll(pfd, 1, MemorySegment.NULL, empty);
                    default -> throw new IllegalArgumentException(kind);
                };
                result[1] = errno();
                Loopback.ok("sigprocmask", sigprocmask(SIG_UNBLOCK, block, MemorySegment.NULL));
            }
        });
        blocked.await();
        int syscall = switch (kind) {
            case "sigsuspend" -> SYS_rt_sigsuspend;
            case "pselect" -> SYS_pselect6;
            default -> SYS_ppoll;
        };
        // until the kernel says the waiter sleeps in its wait
        java.nio.file.Path state = java.nio.file.Path.of("/proc/self/task/" + waiterTid[0] + "/syscall");
        while (!java.nio.file.Files.readString(state).startsWith(syscall + " ")) Thread.sleep(1);
        boolean forwarded = JavaSignals.forwarded(SIGUSR1);
        if (!forwarded) PosixSignals.forward(waiterTid[0], SIGUSR1); // the wait would never end: end it, so that the test reports
        waiter.join();
        println("forwarded to the waiter = " + forwarded);
        println(kind + " = " + result[0] + (result[0] == -1 ? " " + strerrorname(result[1]) : ""));
        println("handled = " + HANDLED.get());
    }

    /** setitimer/getitimer on alarm's timer, and alarm's rounding of what was left. */
    static void itimer() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = itimerval.allocate(arena), old = itimerval.allocate(arena), now = itimerval.allocate(arena);
            timeval.tv_sec(itimerval.it_value(v), 20); // long enough that no stall of a loaded machine lets SIGALRM (default: the end) come
            timeval.tv_usec(itimerval.it_value(v), 700_000);
            // What is left can be no more than what was set, and no less than that minus the time the two
            // calls took (measured around them: a loaded machine may take seconds, as the first calls link).
            long set = System.nanoTime();
            println("setitimer = " + setitimer(ITIMER_REAL, v, old));
            println("old it_value = " + timeval.tv_sec(itimerval.it_value(old)) + "." + timeval.tv_usec(itimerval.it_value(old)));
            println("getitimer = " + getitimer(ITIMER_REAL, now));
            long tookMicros = (System.nanoTime() - set + 999) / 1000;
            long left = timeval.tv_sec(itimerval.it_value(now)) * 1_000_000 + timeval.tv_usec(itimerval.it_value(now));
            boolean inBounds = left <= 20_700_000 && left >= Math.max(1, 20_700_000 - tookMicros);
            println("left no more than the 20.7 s set, no less than that minus the calls' time: " + inBounds
                    + (inBounds ? "" : " (left " + left + " us, the calls took " + tookMicros + " us)"));
            // alarm(0) returns what is left rounded to the nearest second (glibc: tv_usec >= 500000 rounds up, and
            // never 0 while armed): between the rounding of what getitimer saw just before and of that minus the
            // time from that getitimer to alarm's return (what is left only shrinks)
            long before = System.nanoTime();
            getitimer(ITIMER_REAL, now);
            long leftBefore = timeval.tv_sec(itimerval.it_value(now)) * 1_000_000 + timeval.tv_usec(itimerval.it_value(now));
            int alarmLeft = alarm(0);
            long gapMicros = (System.nanoTime() - before + 999) / 1000;
            int most = alarmRounding(leftBefore), least = alarmRounding(Math.max(1, leftBefore - gapMicros));
            boolean rounded = alarmLeft >= least && alarmLeft <= most;
            println("alarm(0) is what was left, rounded: " + rounded + (rounded ? "" : " (alarm(0) = " + alarmLeft + ", expected " + least + ".." + most + ")"));
            println("alarm(0) again = " + alarm(0));
            getitimer(ITIMER_REAL, now);
            println("after: " + timeval.tv_sec(itimerval.it_value(now)) + "." + timeval.tv_usec(itimerval.it_value(now)));
            timeval.tv_usec(itimerval.it_value(v), 1_000_000);
            int r = setitimer(ITIMER_REAL, v, MemorySegment.NULL);
            println("tv_usec 1000000: " + r + " " + strerrorname(errno()));
        }
    }

    /** What alarm returns for {@code micros} left on the timer: seconds rounded to the nearest, at least 1 while armed. */
    private static int alarmRounding(long micros) {
        return (int) Math.max(1, micros / 1_000_000 + (micros % 1_000_000 >= 500_000 ? 1 : 0));
    }

    /** SIG_IGN with the real sigaction, read back; then the old action put back. */
    static void ignore() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = signal(SIGPIPE, SIG_IGN);
            println("old SIGPIPE handler is the JVM's: " + (old.address() > 1));
            MemorySegment now = sigaction.allocate(arena);
            sigaction(SIGPIPE, MemorySegment.NULL, now);
            println("now SIG_IGN: " + sa_handler(now).equals(SIG_IGN));
            println("signal(SIGPIPE, old) == SIG_IGN: " + signal(SIGPIPE, old).equals(SIG_IGN));
            sigaction(SIGPIPE, MemorySegment.NULL, now);
            println("back: " + (sa_handler(now).address() == old.address()));
            println("SIGUSR1 to SIG_IGN: " + signal(SIGUSR1, SIG_IGN).equals(SIG_DFL));
            println("raise(SIGUSR1) = " + raise(SIGUSR1));
            println("SIGUSR1 to SIG_DFL: " + signal(SIGUSR1, SIG_DFL).equals(SIG_IGN));
        }
    }

    /**
     * SIGTERM's saved action put back: the JVM's own handler (its shutdown hooks, exit 143)
     * returns after a Java handler had replaced it.
     */
    static void termRestore() throws Exception {
        // The handler and the shutdown hook run on threads of their own, as soon as the signal is
        // dispatched, maybe before kill's caller prints what it returned: each kill's line is printed
        // once the handler has run (the first), and the hook prints once the line is out (the second).
        java.util.concurrent.CountDownLatch secondKillPrinted = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                secondKillPrinted.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            println("shutdown hook ran");
        }));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = sigaction.allocate(arena);
            println("query = " + sigaction(SIGTERM, MemorySegment.NULL, old));
            println("saved handler is an address: " + (sa_handler(old).address() > 1));
            println("sigaction = " + sigaction(SIGTERM, sig -> { println("handler: caught signal " + sig); HANDLED.incrementAndGet(); }, 0));
            int first = kill(getpid(), SIGTERM);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (HANDLED.get() < 1 && System.nanoTime() < deadline) Thread.sleep(1);
            println("kill = " + first);
            println("restore = " + sigaction(SIGTERM, old, MemorySegment.NULL));
            int second = kill(getpid(), SIGTERM);
            println("kill = " + second);
            secondKillPrinted.countDown();
            Thread.sleep(10_000);
            println("still alive: the JVM's handler did not come back");
        }
    }

    /** Calls whose trace lines {@link SignalsTest} pins; prints "@PID", "@TID" first for it. */
    static void trace() {
        println("@PID " + getpid());
        println("@TID " + gettid());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = sigset_t.allocate(arena), set = sigset_t.allocate(arena);
            sigemptyset(mask);
            sigaddset(mask, SIGUSR1);
            sigprocmask(SIG_BLOCK, mask, MemorySegment.NULL);
            raise(SIGUSR1);
            sigpending(set);
            MemorySegment zero = io.github.panamasockets.bindings.timespec.allocate(arena);
            sigtimedwait(mask, MemorySegment.NULL, zero);
            sigtimedwait(mask, MemorySegment.NULL, zero);
            sigprocmask(SIG_UNBLOCK, mask, MemorySegment.NULL);
            signal(SIGWINCH, SIG_IGN);
            MemorySegment old = sigaction.allocate(arena);
            sigaction(SIGWINCH, MemorySegment.NULL, old);
            sigaction(SIGWINCH, old, MemorySegment.NULL);
            signal(SIGWINCH, SIG_DFL);
            sigaction(SIGALRM, sig -> { }, SA_RESTART | SA_RESETHAND);
            siginterrupt(SIGALRM, 1);
            alarm(0);
            MemorySegment v = itimerval.allocate(arena);
            timeval.tv_usec(itimerval.it_value(v), 1_000_000);
            setitimer(ITIMER_REAL, v, MemorySegment.NULL);
            sigemptyset(set);
            sigaddset(set, SIGSEGV);
            sigprocmask(SIG_BLOCK, set, MemorySegment.NULL);
            signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC);
        }
    }
}
