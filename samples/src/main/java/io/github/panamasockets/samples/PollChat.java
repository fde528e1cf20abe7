package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * poll-chat: a chat server with poll(2), and its clients, forked from it.
 * The Java port of native/samples/poll-chat.c, line for line, fork included.
 *
 * <pre>
 * usage: poll-chat CLIENTS
 *   CLIENTS in 2..8 clients take part; the program ends when each has spoken once.
 * </pre>
 *
 * The server listens on 127.0.0.1 (a port the kernel chooses), then forks its clients. Its
 * one thread waits in poll(2) on the listening socket and on every client: a connection
 * waiting is accepted, a line from a client is relayed to every other client.
 *
 * <p>To make the conversation the same in every run, the clients take turns: once all have
 * joined, the server sends each "start"; client 1 speaks at once, client k when it has heard
 * client k-1. When every client has spoken, the server closes all connections; each client
 * reads to end of file and exits with the number of lines it heard, which the server checks
 * with waitpid(2). The clients read one byte at a time, as the textbooks' readline does.
 */
public final class PollChat {
    private PollChat() {}

    static final int MAXCLIENTS = 8;
    static final int MAXLINE = 256;

    /** Reads one line, a byte at a time, without its '\n'. Returns its length, 0 at end of file
     * (or a line cut short by it), -1 on error. */
    static int read_line(int fd, MemorySegment line, int size) {
        int len = 0;
        while (len < size - 1) {
            long n = read(fd, line.asSlice(len), 1);
            if (n == -1)
                return -1;
            if (n == 0 || line.get(JAVA_BYTE, len) == '\n')
                break;
            len++;
        }
        line.set(JAVA_BYTE, len, (byte) '\0');
        return len;
    }

    /** Client number me (1..clients): connect, wait for "start", speak when client me - 1 has
     * spoken, then hear the others until the server closes. Returns the lines heard. */
    static int client(int port, int me, int clients) {
        try (Arena arena = Arena.ofConfined()) {
            int sockfd = socket(AF_INET, SOCK_STREAM, 0);
            if (sockfd == -1) {
                perror("client: socket");
                return 100;
            }
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(port));
            s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
            if (connect(sockfd, servaddr, sizeof(servaddr)) == -1) {
                perror("client: connect");
                return 100;
            }
            MemorySegment line = arena.allocate(MAXLINE);
            MemorySegment prev = arena.allocate(32);
            snprintf(prev, sizeof(prev), "client %d:", me - 1);
            int heard = 0;
            boolean spoken = false;
            int len;
            while ((len = read_line(sockfd, line, sizeof(line))) > 0) {
                heard++;
                if (!spoken && (strcmp(line, "start") == 0 ? me == 1 : strncmp(line, prev, strlen(prev)) == 0)) {
                    len = snprintf(line, sizeof(line), "client %d: hello from client %d of %d\n", me, me, clients);
                    if (write(sockfd, line, len) != len) {
                        perror("client: write");
                        return 100;
                    }
                    spoken = true;
                }
            }
            if (len == -1) {
                perror("client: read");
                return 100;
            }
            close(sockfd);
            return heard;
        }
    }

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "poll-chat: " + format + "\nusage: poll-chat CLIENTS\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 1)
                usage("takes 1 argument, got %d", args.length);
            int clients = parse_int(args[0], 2, MAXCLIENTS);
            if (clients < 0)
                usage("CLIENTS must be a number from %d to %d, not '%s'", 2, MAXCLIENTS, args[0]);

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
            if (listen(listenfd, MAXCLIENTS) == -1) {
                perror("listen");
                exit(1);
            }
            MemorySegment len = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (getsockname(listenfd, servaddr, len) == -1) {
                perror("getsockname");
                exit(1);
            }
            int port = ntohs(sin_port(servaddr));

            /* The clients: each a child that closes the listening socket it inherited. */
            int[] pids = new int[MAXCLIENTS];
            for (int i = 0; i < clients; i++) {
                int me = i + 1;
                pids[i] = fork(() -> {
                    close(listenfd);
                    exit(client(port, me, clients));
                });
                if (pids[i] == -1) {
                    perror("fork");
                    exit(1);
                }
            }

            /* fds[0] is the listening socket, fds[1..joined] the clients. */
            MemorySegment fds = pollfd.allocateArray(MAXCLIENTS + 1, arena);
            fd(pollfd.asSlice(fds, 0), listenfd);
            pollfd.events(pollfd.asSlice(fds, 0), (short) POLLIN);
            int joined = 0;
            int spoken = 0;
            MemorySegment buf = arena.allocate(MAXLINE);
            while (spoken < clients) {
                int ready = poll(fds, joined + 1, 20000);
                if (ready == -1) {
                    perror("poll");
                    exit(1);
                }
                if (ready == 0) {
                    fprintf(stderr, "poll-chat: nothing happened for 20 s\n");
                    exit(1);
                }
                if ((revents(pollfd.asSlice(fds, 0)) & POLLIN) != 0) {
                    int connfd = accept(listenfd, MemorySegment.NULL, MemorySegment.NULL);
                    if (connfd == -1) {
                        perror("accept");
                        exit(1);
                    }
                    joined++;
                    fd(pollfd.asSlice(fds, joined), connfd);
                    pollfd.events(pollfd.asSlice(fds, joined), (short) POLLIN);
                    revents(pollfd.asSlice(fds, joined), 0); /* not in the poll that just returned */
                    printf("server: a client joined, %d of %d\n", joined, clients);
                    if (joined == clients) {
                        pollfd.events(pollfd.asSlice(fds, 0), (short) 0); /* everyone is here: stop watching for connections */
                        int n = snprintf(buf, sizeof(buf), "start\n");
                        for (int j = 1; j <= joined; j++)
                            if (write(fd(pollfd.asSlice(fds, j)), buf, n) != n) {
                                perror("write");
                                exit(1);
                            }
                        printf("server: sent start to %d clients\n", joined);
                    }
                }
                for (int i = 1; i <= joined; i++) {
                    if ((revents(pollfd.asSlice(fds, i)) & (POLLIN | POLLHUP | POLLERR)) == 0)
                        continue;
                    long n = read(fd(pollfd.asSlice(fds, i)), buf, sizeof(buf) - 1);
                    if (n <= 0) {
                        fprintf(stderr, "poll-chat: a client left before its turn\n");
                        exit(1);
                    }
                    buf.set(JAVA_BYTE, n, (byte) '\0');
                    int relayed = 0;
                    for (int j = 1; j <= joined; j++) {
                        if (j == i)
                            continue;
                        if (write(fd(pollfd.asSlice(fds, j)), buf, n) != n) {
                            perror("write");
                            exit(1);
                        }
                        relayed++;
                    }
                    buf.set(JAVA_BYTE, strcspn(buf, "\n"), (byte) '\0');
                    printf("server: relayed \"%s\" to %d clients\n", buf, relayed);
                    spoken++;
                }
            }

            /* Everyone has spoken: close every connection, so that each client reads end of file. */
            for (int i = 1; i <= joined; i++)
                if (close(fd(pollfd.asSlice(fds, i))) == -1) {
                    perror("close");
                    exit(1);
                }
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
            int failed = 0;
            MemorySegment status = arena.allocate(C_INT);
            for (int i = 0; i < clients; i++) {
                if (waitpid(pids[i], status, 0) == -1) {
                    perror("waitpid");
                    exit(1);
                }
                int heard = WIFEXITED(status.get(C_INT, 0)) ? WEXITSTATUS(status.get(C_INT, 0)) : -1;
                printf("client %d exited, it heard %d lines\n", i + 1, heard);
                if (heard != clients)
                    failed++;
            }
            if (failed > 0) {
                fprintf(stderr, "poll-chat: %d clients did not hear every line\n", failed);
                exit(1);
            }
        }
    }
}
