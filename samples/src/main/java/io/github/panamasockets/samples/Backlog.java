package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.tcp_info;

import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * backlog: what listen(2)'s backlog does when nobody calls accept (seeds 001, 002, 004).
 * The Java port of native/samples/backlog.c, line for line.
 *
 * <pre>
 * usage: backlog BACKLOG CONNECTIONS
 *   BACKLOG is given to listen; CONNECTIONS (1..1000) connections are attempted.
 * </pre>
 *
 * The seeds describe two queues kept by the kernel for a listening socket: the incomplete
 * connections (SYN received, handshake under way) and the completed ones waiting for
 * accept. On Linux, since 2.2, backlog bounds only the queue of completed connections
 * (listen(2), NOTES), and the kernel silently lowers it to /proc/sys/net/core/somaxconn.
 *
 * <p>This sample listens, never accepts, and opens CONNECTIONS non-blocking connections. Each
 * connect(2) returns at once (EINPROGRESS); poll(2) tells which completed. On loopback a
 * handshake takes microseconds, so every connection that can complete has done so within
 * the 200 ms we wait. Expect min(BACKLOG, somaxconn) + 1 to complete: the kernel refuses a
 * new SYN only when the queue holds MORE than backlog connections (the test is "&gt;", not
 * "&gt;="). The next SYNs are dropped without an answer, so those clients stay in SYN_SENT and
 * retransmit the SYN (after 1 s, 2 s, 4 s, ...) hoping that accept makes room; a dropped
 * SYN, rather than a reset, is what lets a busy server catch up. The server could have
 * answered with RST instead: /proc/sys/net/ipv4/tcp_abort_on_overflow.
 */
public final class Backlog {
    private Backlog() {}

    static final int MAX_CONNECTIONS = 1000;

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "backlog: " + format + "\nusage: backlog BACKLOG CONNECTIONS\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 2)
                usage("takes 2 arguments, got %d", args.length);
            int backlog = parse_int(args[0], 0, 65535);
            if (backlog < 0)
                usage("BACKLOG must be a number from %d to %d, not '%s'", 0, 65535, args[0]);
            int connections = parse_int(args[1], 1, MAX_CONNECTIONS);
            if (connections < 0)
                usage("CONNECTIONS must be a number from %d to %d, not '%s'", 1, MAX_CONNECTIONS, args[1]);

            /* The system-wide ceiling on any backlog. */
            int somaxconn = -1;
            try (BufferedReader f = new BufferedReader(new FileReader("/proc/sys/net/core/somaxconn", StandardCharsets.UTF_8))) {
                somaxconn = Integer.parseInt(f.readLine().strip()); /* fscanf(f, "%d", &somaxconn) */
            } catch (IOException | RuntimeException e) {
                fprintf(stderr, "backlog: cannot read /proc/sys/net/core/somaxconn\n");
                exit(1);
            }
            int effective = backlog < somaxconn ? backlog : somaxconn;
            printf("somaxconn: %d\n", somaxconn);
            printf("listen backlog: %d (the kernel uses min(backlog, somaxconn) = %d)\n", backlog, effective);

            int listenfd = socket(AF_INET, SOCK_STREAM, 0);
            if (listenfd == -1) {
                perror("socket");
                exit(1);
            }
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(0));
            s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
            if (bind(listenfd, servaddr, sizeof(servaddr)) == -1) {
                perror("bind");
                exit(1);
            }
            if (listen(listenfd, backlog) == -1) {
                perror("listen");
                exit(1);
            }
            MemorySegment addrlen = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (getsockname(listenfd, servaddr, addrlen) == -1) {
                perror("getsockname");
                exit(1);
            }
            /* ... and we never call accept. */

            /* Start every connection without waiting for any: a non-blocking connect sends the
             * SYN and returns -1 with EINPROGRESS; poll reports the socket writable when the
             * handshake is over (then SO_ERROR says whether it succeeded). */
            int[] fds = new int[MAX_CONNECTIONS];
            MemorySegment pfds = pollfd.allocateArray(MAX_CONNECTIONS, arena);
            for (int i = 0; i < connections; i++) {
                fds[i] = socket(AF_INET, SOCK_STREAM, 0);
                if (fds[i] == -1) {
                    perror("socket");
                    exit(1);
                }
                int flags = fcntl(fds[i], F_GETFL);
                if (flags == -1 || fcntl(fds[i], F_SETFL, flags | O_NONBLOCK) == -1) {
                    perror("fcntl");
                    exit(1);
                }
                if (connect(fds[i], servaddr, sizeof(servaddr)) == -1 && errno() != EINPROGRESS) {
                    perror("connect");
                    exit(1);
                }
                MemorySegment pfd = pollfd.asSlice(pfds, i); /* &pfds[i] */
                pollfd.fd(pfd, fds[i]);
                pollfd.events(pfd, (short) POLLOUT);
                pollfd.revents(pfd, (short) 0);
            }
            printf("connections attempted: %d\n", connections);

            /* Wait until nothing more completes for 200 ms (shorter than the first SYN
             * retransmission, 1 s). poll ignores entries whose fd is negative: a finished
             * connection is taken out of the next round by negating its fd. */
            int completed = 0;
            MemorySegment error = arena.allocate(C_INT);
            MemorySegment len = arena.allocate(socklen_t);
            for (;;) {
                int ready = poll(pfds, connections, 200);
                if (ready == -1) {
                    perror("poll");
                    exit(1);
                }
                if (ready == 0)
                    break;
                for (int i = 0; i < connections; i++) {
                    MemorySegment pfd = pollfd.asSlice(pfds, i);
                    if (pollfd.fd(pfd) < 0 || pollfd.revents(pfd) == 0)
                        continue;
                    len.set(socklen_t, 0, sizeof(error));
                    if (getsockopt(fds[i], SOL_SOCKET, SO_ERROR, error, len) == -1) {
                        perror("getsockopt");
                        exit(1);
                    }
                    if (error.get(C_INT, 0) != 0) {
                        fprintf(stderr, "backlog: connection %d failed: %s\n", i, strerrorname(error.get(C_INT, 0)));
                        exit(1);
                    }
                    completed++;
                    pollfd.fd(pfd, -1);
                }
            }

            /* Ask the kernel how the others are doing: TCP_INFO (tcp(7)) gives the TCP state. */
            int syn_sent = 0;
            MemorySegment info = tcp_info.allocate(arena);
            for (int i = 0; i < connections; i++) {
                if (pollfd.fd(pollfd.asSlice(pfds, i)) < 0)
                    continue;
                len.set(socklen_t, 0, sizeof(info));
                if (getsockopt(fds[i], IPPROTO_TCP, TCP_INFO, info, len) == -1) {
                    perror("getsockopt");
                    exit(1);
                }
                if (tcp_info.tcpi_state(info) == TCP_SYN_SENT)
                    syn_sent++;
            }

            printf("completed: %d\n", completed);
            printf("still in SYN_SENT: %d\n", syn_sent);
            int expected = effective + 1 < connections ? effective + 1 : connections;
            printf("expected on Linux: %d (min(backlog, somaxconn) + 1, at most the connections attempted)\n", expected);

            /* Closing the listening socket resets the queued connections; closing ours ends them. */
            for (int i = 0; i < connections; i++) {
                if (close(fds[i]) == -1) {
                    perror("close");
                    exit(1);
                }
            }
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}
