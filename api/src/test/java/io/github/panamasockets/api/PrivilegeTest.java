package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What needs a capability, seen from both sides: each pair runs one half as root (CI's first
 * run) and the other as an ordinary user (CI's second run); the errno is the one the javadoc lists.
 */
@ExtendWith(NoLeaks.class)
class PrivilegeTest {

    @Test
    void withoutCapNetRawARawSocketIsRefusedWithEperm() {
        Privilege.CAP_NET_RAW.assumeNotHeld("socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)");
        assertFails(EPERM, socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)");
    }

    @Test
    void withCapNetRawARawSocketIsMade() {
        Privilege.CAP_NET_RAW.assumeHeld("socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)");
        int fd = ok("socket", socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
        assertEquals(0, close(fd));
    }

    @Test
    void withoutCapNetAdminTurningSoDebugOnIsRefusedWithEacces() {
        Privilege.CAP_NET_ADMIN.assumeNotHeld("setsockopt(SO_DEBUG, 1)");
        assertEquals(List.of(0, -1), soDebugOffThenOn(), "turning it off needs no capability; turning it on does");
        assertErrno(EACCES, "setsockopt(SO_DEBUG, 1)");
    }

    @Test
    void withCapNetAdminSoDebugIsTurnedOn() {
        Privilege.CAP_NET_ADMIN.assumeHeld("setsockopt(SO_DEBUG, 1)");
        assertEquals(List.of(0, 0), soDebugOffThenOn());
    }

    @Test
    void withoutCapNetAdminSoRcvbufforceIsRefusedWithEperm() {
        Privilege.CAP_NET_ADMIN.assumeNotHeld("setsockopt(SO_RCVBUFFORCE)");
        int fd = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        try (Arena arena = Arena.ofConfined()) {
            assertFails(EPERM, setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, arena.allocateFrom(ValueLayout.JAVA_INT, 65536), 4), "setsockopt(SO_RCVBUFFORCE)");
        } finally {
            close(fd);
        }
    }

    @Test
    void withoutCapNetBindServiceAPortBelowTheUnprivilegedStartIsRefusedWithEacces() throws IOException {
        int port = firstUnprivilegedPort() - 1;
        Privilege.CAP_NET_BIND_SERVICE.assumeNotHeld("bind to port " + port);
        assumeTrue(port > 0, "sysctl net.ipv4.ip_unprivileged_port_start is 0: every port is open to every user here");
        int fd = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        try (Arena arena = Arena.ofConfined()) {
            assertFails(EACCES, bind(fd, addr(arena, port), sizeofSockaddrIn()), "bind 127.0.0.1:" + port);
        } finally {
            close(fd);
        }
    }

    @Test
    void withCapNetBindServiceAPortBelow1024IsBound() {
        Privilege.CAP_NET_BIND_SERVICE.assumeHeld("bind to a port below 1024");
        int fd = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        try (Arena arena = Arena.ofConfined()) {
            // the first free port from 1023 down: another program may hold one
            int port = 1023, r;
            while ((r = bind(fd, addr(arena, port), sizeofSockaddrIn())) == -1 && errno() == EADDRINUSE && port > 600) port--;
            assertEquals(0, r, "bind 127.0.0.1:" + port + ": " + strerrorname(errno()));
            assertEquals(port, port(fd));
        } finally {
            close(fd);
        }
    }

    /** The results of setsockopt(SO_DEBUG, 0) and then setsockopt(SO_DEBUG, 1) on a fresh TCP socket; errno as the second left it. */
    private static List<Integer> soDebugOffThenOn() {
        int fd = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        try (Arena arena = Arena.ofConfined()) {
            int off = setsockopt(fd, SOL_SOCKET, SO_DEBUG, arena.allocateFrom(ValueLayout.JAVA_INT, 0), 4);
            int on = setsockopt(fd, SOL_SOCKET, SO_DEBUG, arena.allocateFrom(ValueLayout.JAVA_INT, 1), 4);
            return List.of(off, on);
        } finally {
            close(fd); // succeeds, so errno stays as setsockopt left it
        }
    }

    /** sysctl net.ipv4.ip_unprivileged_port_start. Read with java.io: Files.readString trusts the size /proc reports and reads "1" of "1024". */
    private static int firstUnprivilegedPort() throws IOException {
        try (BufferedReader r = new BufferedReader(new FileReader("/proc/sys/net/ipv4/ip_unprivileged_port_start"))) {
            return Integer.parseInt(r.readLine().strip());
        }
    }
}
