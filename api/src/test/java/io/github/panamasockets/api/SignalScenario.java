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
                println("handler: " + strerrorname(0).isEmpty() + " caught signal " + sig);
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
}
