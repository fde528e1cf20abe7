package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.pid_t;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * tcp-fork-server: the concurrent ("并发") TCP server of seeds 002 and 004, one process per
 * client. The Java port of native/samples/tcp-fork-server.c, line for line but for fork.
 *
 * <p><b>Why posix_spawn, not fork:</b> fork(2) copies only the calling thread, and a JVM has many
 * (GC, JIT compiler) whose locks the lone copy could find held forever, so Java cannot fork
 * itself. This port keeps the model (one parent accepting, one child PROCESS per connection, the
 * parent closing its copy of connfd, children reaped with waitpid(WNOHANG)) by starting each child
 * with posix_spawn(3): a new JVM running {@link Child}, which inherits the descriptors as a
 * forked child does and gets in argv what fork would have copied from memory. The child is a class
 * of its own, not a mode of this one, so that no command line of tcp-fork-server can reach it.
 * tcp-thread-server is the thread-per-connection variant.
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
 * After fork(2) (here: posix_spawn) both processes hold both descriptors. A socket is released
 * only when its last descriptor is closed, so each side closes the one it does not use: the parent
 * its copy of connfd (or the client would never see our FIN, and the parent would run out of
 * descriptors), the child listenfd. Partner: tcp-client.
 */
public final class TcpForkServer {
    private TcpForkServer() {}

    /** The child's work: echo until the client sends FIN (recv returns 0). */
    static void serve(int connfd, MemorySegment cliaddr) {
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
            printf("child: client port:%d closed, %d bytes echoed\n", ntohs(sin_port(cliaddr)), echoed);
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

    /** The child's command line: {@link Child} run by the same java, with what fork would
     * have copied: the two descriptors (inherited: the facade's sockets are not close-on-exec) and
     * the client's port. The trace settings go along, so a traced parent has traced children. */
    static String[] child_argv(int listenfd, int connfd, MemorySegment cliaddr) {
        List<String> argv = new ArrayList<>();
        argv.add(System.getProperty("java.home") + "/bin/java");
        argv.add("--enable-native-access=ALL-UNNAMED");
        for (String key : System.getProperties().stringPropertyNames())
            if (key.startsWith("org.slf4j.simpleLogger.") || key.startsWith("psock.trace."))
                argv.add("-D" + key + "=" + System.getProperty(key));
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        argv.addAll(List.of(String.valueOf(listenfd), String.valueOf(connfd), String.valueOf(ntohs(sin_port(cliaddr)))));
        return argv.toArray(String[]::new);
    }

    /** The child, from where fork() returned 0 in C: it holds both descriptors. */
    static void child(int listenfd, int connfd, int port) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cliaddr = sockaddr_in.allocate(arena); /* what fork would have copied */
            sin_family(cliaddr, AF_INET);
            sin_port(cliaddr, htons(port));
            s_addr(sin_addr(cliaddr), inet_addr("127.0.0.1"));

            /* Child: it only talks to this client. */
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
            serve(connfd, cliaddr);
            if (close(connfd) == -1) {
                perror("close");
                exit(1);
            }
            exit(0);
        }
    }

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "tcp-fork-server: " + format + "\nusage: tcp-fork-server PORT CLIENTS\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 2)
                usage("takes 2 arguments, got %d", args.length);
            int port = parse_int(args[0], 0, 65535);
            if (port < 0)
                usage("PORT must be a number from %d to %d, not '%s'", 0, 65535, args[0]);
            int clients = parse_int(args[1], 1, 1000000);
            if (clients < 0)
                usage("CLIENTS must be a number from %d to %d, not '%s'", 1, 1000000, args[1]);

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
            MemorySegment pid = arena.allocate(pid_t);
            for (int accepted = 0; accepted < clients; accepted++) {
                addrlen.set(socklen_t, 0, sizeof(cliaddr));
                int connfd = accept(listenfd, cliaddr, addrlen);
                if (connfd == -1) {
                    perror("accept");
                    exit(1);
                }
                printf("client ip:%s, port:%d\n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));

                /* fork(2) returns twice: 0 in the child, the child's pid in the parent. Here
                 * posix_spawn(3) starts the child (see child()) and returns 0, or an error number:
                 * it does not set errno. envp null: the child gets our environment. */
                String[] argv = child_argv(listenfd, connfd, cliaddr);
                int err = posix_spawn(pid, argv[0], MemorySegment.NULL, MemorySegment.NULL, argv, null);
                if (err != 0) {
                    fprintf(stderr, "posix_spawn: %s\n", strerror(err));
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

    /** The child's entry point, started by the parent only (see {@link #child_argv}): LISTENFD CONNFD PORT. */
    public static final class Child {
        private Child() {}

        public static void main(String[] args) {
            int listenfd = args.length == 3 ? parse_int(args[0], 0, Integer.MAX_VALUE) : -1;
            int connfd = args.length == 3 ? parse_int(args[1], 0, Integer.MAX_VALUE) : -1;
            int port = args.length == 3 ? parse_port(args[2]) : -1;
            if (listenfd < 0 || connfd < 0 || port < 0) {
                fprintf(stderr, "tcp-fork-server's child: started by tcp-fork-server only, with LISTENFD CONNFD PORT\n");
                exit(2);
            }
            child(listenfd, connfd, port);
        }
    }
}
