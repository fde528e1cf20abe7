package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sigset_t;
import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.pid_t;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * sigchld-server: one child process per client, as tcp-fork-server, but the children are
 * reaped by a SIGCHLD handler, as seed 004 does it ("signal()回收僵尸进程").
 * The Java port of native/samples/sigchld-server.c, line for line.
 *
 * <pre>
 * usage: sigchld-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; after accepting CLIENTS clients the server waits until the
 *   handler has reaped every child, and exits.
 * </pre>
 *
 * The handler calls waitpid(-1, &amp;status, WNOHANG) in a loop: one SIGCHLD may stand for several
 * children (standard signals do not queue), and it must not block. It is installed with
 * SA_RESTART, so an accept(2) that SIGCHLD interrupts is restarted by the kernel; without it,
 * accept would fail with EINTR and the loop would have to retry. At the end the server blocks
 * SIGCHLD, tests its counter, and waits in sigsuspend(2) with SIGCHLD unblocked, so that no
 * signal can slip between the test and the wait. Partner: tcp-client.
 *
 * <p>The children are made with the facade's fork, as in tcp-fork-server (each is a new JVM
 * holding this process's descriptors), and serve as tcp-fork-server's do. The handler is Java code
 * on a thread of its own, where waitpid reaps this process's children as well as on any other thread.
 */
public final class SigchldServer {
    private SigchldServer() {}

    static volatile int reaped;
    static volatile int failed;

    /** SIGCHLD: reap every child that has exited; WNOHANG, as the others may still run. */
    static void on_sigchld(int sig) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(C_INT);
            while (waitpid(-1, status, WNOHANG) > 0) {
                reaped++;
                if (!WIFEXITED(status.get(C_INT, 0)) || WEXITSTATUS(status.get(C_INT, 0)) != 0)
                    failed++;
            }
        }
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            int port = args.length == 2 ? parse_int(args[0], 0, 65535) : -1;
            int clients = args.length == 2 ? parse_int(args[1], 1, 1000000) : -1;
            if (port < 0 || clients < 0) {
                if (args.length != 2)
                    fprintf(stderr, "sigchld-server: takes 2 arguments, got %d\n", args.length);
                else
                    fprintf(stderr, "sigchld-server: PORT must be a number from 0 to 65535 and CLIENTS from 1 to 1000000, not '%s' '%s'\n", args[0], args[1]);
                fprintf(stderr, "usage: sigchld-server PORT CLIENTS\n");
                exit(2);
            }

            // restart accept; no SIGCHLD for stopped children
            if (sigaction(SIGCHLD, SigchldServer::on_sigchld, SA_RESTART | SA_NOCLDSTOP) == -1) {
                perror("sigaction");
                exit(1);
            }

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

            MemorySegment cliaddr = sockaddr_in.allocate(arena);
            for (int accepted = 0; accepted < clients; accepted++) {
                addrlen.set(socklen_t, 0, sizeof(cliaddr));
                int connfd = accept(listenfd, cliaddr, addrlen);
                if (connfd == -1) {
                    perror("accept");
                    exit(1);
                }
                printf("client ip:%s, port:%d\n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));
                int cliport = ntohs(sin_port(cliaddr)); /* what the child prints: fork copies it */
                int pid = fork(() -> {
                    /* Child: it only talks to this client. */
                    if (close(listenfd) == -1) {
                        perror("close");
                        exit(1);
                    }
                    TcpForkServer.serve(connfd, cliport);
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
                if (close(connfd) == -1) {
                    perror("close");
                    exit(1);
                }
            }
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }

            /* Wait for the handler to reap the rest: SIGCHLD blocked while the counter is tested. */
            MemorySegment block = sigset_t.allocate(arena), old = sigset_t.allocate(arena);
            sigemptyset(block);
            sigaddset(block, SIGCHLD);
            if (sigprocmask(SIG_BLOCK, block, old) == -1) {
                perror("sigprocmask");
                exit(1);
            }
            while (reaped < clients)
                sigsuspend(old); // returns -1 EINTR once the handler has run
            if (sigprocmask(SIG_SETMASK, old, MemorySegment.NULL) == -1) {
                perror("sigprocmask");
                exit(1);
            }
            printf("served %d clients, the SIGCHLD handler reaped %d children\n", clients, reaped);
            if (failed > 0) {
                fprintf(stderr, "sigchld-server: %d children failed\n", failed);
                exit(1);
            }
        }
    }
}
