package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * tcp-fork-server: the concurrent ("并发") TCP server of seeds 002 and 004, one process per
 * client. The Java port of native/samples/tcp-fork-server.c, line for line, fork included:
 *
 * <pre>
 * C:    pid_t pid = fork();                  if (pid == 0) { close(listenfd); serve(connfd, port); ... exit(0); }
 * Java: int pid = fork(() -> {               close(listenfd); serve(connfd, port); ... exit(0); });
 * </pre>
 *
 * The facade's fork runs the block in a fresh JVM that holds the same descriptors a forked C
 * child holds (listenfd and connfd at their numbers, none of the JVM's own files) and gets the
 * values the block captures (ints, Strings) copied, as fork copies memory; a segment is not
 * copied, so the child gets the client's port as an int, in C as in Java.
 *
 * <pre>
 * usage: tcp-fork-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; after accepting CLIENTS clients the server waits for
 *   its children and exits.
 *
 *   listenfd = socket(); bind(); listen();
 *   while (1) {
 *       connfd = accept();
 *       if (fork() == 0) { close(listenfd); serve(connfd); close(connfd); exit(0); }  child
 *       close(connfd);                                                               parent
 *   }
 * </pre>
 *
 * After fork(2) both processes hold both descriptors. A socket is released only when its last
 * descriptor is closed, so each side closes the one it does not use: the parent its copy of
 * connfd (or the client would never see our FIN, and the parent would run out of descriptors),
 * the child listenfd. tcp-thread-server is the thread-per-connection variant. Partner: tcp-client.
 */
public final class TcpForkServer {
    private TcpForkServer() {}

    /** The child's work: echo until the client sends FIN (recv returns 0). */
    static void serve(int connfd, int port) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            long echoed = 0;
            for (;;) {
                long n = recv(connfd, buf, sizeof(buf), 0);
                if (n == -1) {
                    perror("recv");
                    exit(1);
                }
                if (n == 0)
                    break;
                for (long off = 0; off < n;) {
                    long w = send(connfd, buf.asSlice(off), n - off, 0);
                    if (w == -1) {
                        perror("send");
                        exit(1);
                    }
                    off += w;
                }
                echoed += n;
            }
            printf("child: client port:%d closed, %d bytes echoed\n", port, echoed);
        }
    }

    /** Reap the children that have exited; with WNOHANG, return at once when none has.
     * An exited child that nobody waits for stays a zombie ("僵尸进程"), holding its pid and exit
     * status. waitpid(2) returns a pid, 0 (WNOHANG: children left, none exited yet), or -1 with
     * ECHILD (no children at all). Counts the failed children in failed[0]. */
    static int reap_children(int options, int[] failed) {
        try (Arena arena = Arena.ofConfined()) {
            int reaped = 0;
            MemorySegment status = arena.allocate(C_INT);
            int pid;
            while ((pid = waitpid(-1, status, options)) > 0) {
                reaped++;
                if (!WIFEXITED(status.get(C_INT, 0)) || WEXITSTATUS(status.get(C_INT, 0)) != 0)
                    failed[0]++;
            }
            if (pid == -1 && errno() != ECHILD) {
                perror("waitpid");
                exit(1);
            }
            return reaped;
        }
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            int port = args.length == 2 ? parse_int(args[0], 0, 65535) : -1;
            int clients = args.length == 2 ? parse_int(args[1], 1, 1000000) : -1;
            if (port < 0 || clients < 0) {
                fprintf(stderr, "usage: tcp-fork-server PORT CLIENTS\n");
                exit(2);
            }

            /* Reaping: the seeds install a SIGCHLD handler ("signal()回收僵尸进程") that calls waitpid
             * in a loop. Then a blocked accept(2) is interrupted when a child exits and fails with
             * EINTR, which the parent must retry (seed 004: "对父进程中accept要进行错误处理"); with
             * sigaction(2) and SA_RESTART the kernel restarts it. signal(SIGCHLD, SIG_IGN) would make
             * the kernel reap them itself. This sample uses no signals: it polls with
             * waitpid(..., WNOHANG) after each accept, and waits for the last ones at the end.
             * (A JVM leaves SIGCHLD at its default, so nothing reaps our children behind our back.) */

            int listenfd = socket(AF_INET, SOCK_STREAM, 0);
            if (listenfd == -1) {
                perror("socket");
                exit(1);
            }
            MemorySegment on = arena.allocateFrom(C_INT, 1);
            if (setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, on, sizeof(on)) == -1) {
                perror("setsockopt");
                exit(1);
            }
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(port));
            s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
            if (bind(listenfd, servaddr, sizeof(servaddr)) == -1) {
                perror("bind");
                exit(1);
            }
            if (listen(listenfd, 5) == -1) {
                perror("listen");
                exit(1);
            }
            MemorySegment addrlen = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (getsockname(listenfd, servaddr, addrlen) == -1) {
                perror("getsockname");
                exit(1);
            }
            printf("listening on port %d\n", ntohs(sin_port(servaddr)));

            int reaped = 0;
            int[] failed = {0};
            MemorySegment cliaddr = sockaddr_in.allocate(arena);
            for (int accepted = 0; accepted < clients; accepted++) {
                addrlen.set(socklen_t, 0, sizeof(cliaddr));
                int connfd = accept(listenfd, cliaddr, addrlen);
                if (connfd == -1) {
                    perror("accept");
                    exit(1);
                }
                printf("client ip:%s, port:%d\n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));

                /* fork(2) returns twice: 0 in the child, the child's pid in the parent. stdout is
                 * line buffered and every line ends in '\n', so no output is pending to be
                 * duplicated into the child. Here the child's part is the block: fork runs it in a
                 * new JVM holding our descriptors, and returns the child's pid. */
                int cliport = ntohs(sin_port(cliaddr)); /* what the child prints: fork copies it */
                int pid = fork(() -> {
                    /* Child: it only talks to this client. */
                    if (close(listenfd) == -1) {
                        perror("close");
                        exit(1);
                    }
                    serve(connfd, cliport);
                    if (close(connfd) == -1) {
                        perror("close");
                        exit(1);
                    }
                    exit(0);
                });
                if (pid == -1) {
                    perror("fork");
                    exit(1);
                }
                /* Parent: back to accept at once; the child owns the connection now. */
                if (close(connfd) == -1) {
                    perror("close");
                    exit(1);
                }
                reaped += reap_children(WNOHANG, failed);
            }

            /* No more clients: stop listening, then wait (blocking) for the children still running. */
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
            reaped += reap_children(0, failed);
            printf("served %d clients, reaped %d children\n", clients, reaped);
            if (failed[0] > 0) {
                fprintf(stderr, "tcp-fork-server: %d children failed\n", failed[0]);
                exit(1);
            }
        }
    }
}
