package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * tcp-thread-server: the concurrent TCP server of seed 004 ("使用多线程或者多进程来解决"), one
 * thread per client: tcp-fork-server's model with threads instead of processes.
 * The Java port of native/samples/tcp-thread-server.c, line for line.
 *
 * <pre>
 * usage: tcp-thread-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; CLIENTS is 1..1000. After accepting CLIENTS clients the
 *   server joins its threads and exits.
 *
 *   listenfd = socket(); bind(); listen();
 *   while (1) {
 *       connfd = accept();
 *       pthread_create(serve, connfd);     the thread: serve(connfd); close(connfd);
 *   }
 * </pre>
 *
 * Threads share the process's descriptor table, where forked children get copies of it. So
 * the main thread must NOT close connfd (that would close the thread's connection), and the
 * thread does not close listenfd; the thread closes connfd when its client is done. The
 * client's address is handed over in a struct of its own, since the main thread's cliaddr is
 * overwritten by the next accept. Partner: tcp-client.
 *
 * <p>The threads are platform threads, as pthreads are: a virtual thread blocked in recv(2)
 * through the facade would hold its carrier thread for as long as the call blocks.
 */
public final class TcpThreadServer {
    private TcpThreadServer() {}

    static final int MAX_CLIENTS = 1000;

    /** What a thread gets: its connection and who is at the other end. */
    record client(int connfd, MemorySegment cliaddr) {}

    /** The thread's work: echo until the client sends FIN (recv returns 0), then close. */
    static void serve(client c) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            long echoed = 0;
            for (;;) {
                long n = recv(c.connfd(), buf, sizeof(buf), 0);
                if (n == -1) {
                    perror("recv");
                    exit(1);
                }
                if (n == 0)
                    break;
                for (long off = 0; off < n;) {
                    long w = send(c.connfd(), buf.asSlice(off), n - off, 0);
                    if (w == -1) {
                        perror("send");
                        exit(1);
                    }
                    off += w;
                }
                echoed += n;
            }
            printf("thread: client port:%d closed, %d bytes echoed\n", ntohs(sin_port(c.cliaddr())), echoed);
            if (close(c.connfd()) == -1) {
                perror("close");
                exit(1);
            }
        }
    }

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "tcp-thread-server: " + format + "\nusage: tcp-thread-server PORT CLIENTS\n", args);
        exit(2);
    }

    public static void main(String[] args) throws InterruptedException {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 2)
                usage("takes 2 arguments, got %d", args.length);
            int port = parse_int(args[0], 0, 65535);
            if (port < 0)
                usage("PORT must be a number from %d to %d, not '%s'", 0, 65535, args[0]);
            int clients = parse_int(args[1], 1, MAX_CLIENTS);
            if (clients < 0)
                usage("CLIENTS must be a number from %d to %d, not '%s'", 1, MAX_CLIENTS, args[1]);

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

            Thread[] threads = new Thread[MAX_CLIENTS];
            MemorySegment cliaddr = sockaddr_in.allocate(arena);
            for (int accepted = 0; accepted < clients; accepted++) {
                addrlen.set(socklen_t, 0, sizeof(cliaddr));
                int connfd = accept(listenfd, cliaddr, addrlen);
                if (connfd == -1) {
                    perror("accept");
                    exit(1);
                }
                printf("client ip:%s, port:%d\n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));

                /* The thread's own copy of what it needs: an automatic arena frees it once the
                 * thread is done with it, as the thread's free(c) does in C. */
                client c = new client(connfd, sockaddr_in.allocate(Arena.ofAuto()).copyFrom(cliaddr));
                threads[accepted] = Thread.ofPlatform().start(() -> serve(c));
                /* No close(connfd) here: the thread uses this very descriptor. */
            }

            /* No more clients: stop listening, then wait for the threads still serving.
             * Thread.join is to a thread what waitpid is to a child process (pthread_join). */
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
            int joined = 0;
            for (int i = 0; i < clients; i++) {
                threads[i].join();
                joined++;
            }
            printf("served %d clients, joined %d threads\n", clients, joined);
        }
    }
}
