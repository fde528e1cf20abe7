package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.addrinfo;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_storage;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.C_POINTER;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * gai-server: a server that asks getaddrinfo(3) where to listen instead of filling a
 * sockaddr_in by hand, and so listens on IPv6 and IPv4 alike.
 * The Java port of native/samples/gai-server.c, line for line.
 *
 * <pre>
 * usage: gai-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server exits after CLIENTS clients.
 * </pre>
 *
 * hints.ai_family = AF_UNSPEC asks for every family; with a NULL node and no AI_PASSIVE,
 * getaddrinfo returns the loopback addresses, ::1 and 127.0.0.1. The server loops over the
 * results and listens on each one it can (a machine without IPv6 fails socket() for ::1 and
 * goes on), all on the same port: the first bind picks it, the others take it. poll(2)
 * tells which listening socket has a connection waiting.
 *
 * <p>Protocol: for each line the client sends, the server answers with one line built by
 * snprintf(3): the line's length in bytes, a space, and the line. Partner: gai-client.
 */
public final class GaiServer {
    private GaiServer() {}

    static final int MAXLINE = 1024;
    static final int MAXLISTEN = 4;

    /** One client: a reply per line until it closes. The client waits for each reply before it
     * sends the next line, so each read(2) returns one whole line. Returns the lines served. */
    static int serve(int connfd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment line = arena.allocate(MAXLINE);
            MemorySegment reply = arena.allocate(MAXLINE + 32);
            int lines = 0;
            long n;
            while ((n = read(connfd, line, sizeof(line) - 1)) > 0) {
                line.set(JAVA_BYTE, n, (byte) '\0');
                line.set(JAVA_BYTE, strcspn(line, "\r\n"), (byte) '\0');
                int len = snprintf(reply, sizeof(reply), "%zu %s\n", strlen(line), line);
                if (write(connfd, reply, len) != len) {
                    perror("write");
                    exit(1);
                }
                printf("received: %s\n", line);
                lines++;
            }
            if (n == -1) {
                perror("read");
                exit(1);
            }
            return lines;
        }
    }

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "gai-server: " + format + "\nusage: gai-server PORT CLIENTS\n", args);
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

            MemorySegment service = arena.allocate(NI_MAXSERV);
            snprintf(service, sizeof(service), "%d", port);
            MemorySegment hints = addrinfo.allocate(arena);
            memset(hints, 0, sizeof(hints));
            ai_family(hints, AF_UNSPEC);
            ai_socktype(hints, SOCK_STREAM);
            ai_flags(hints, AI_NUMERICSERV);
            MemorySegment res = arena.allocate(C_POINTER);
            int err = getaddrinfo(null, cstring(service), hints, res);
            if (err != 0) {
                fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err));
                exit(1);
            }

            MemorySegment fds = pollfd.allocateArray(MAXLISTEN, arena);
            int nfds = 0;
            MemorySegment on = arena.allocateFrom(C_INT, 1);
            MemorySegment addr = sockaddr_storage.allocate(arena);
            MemorySegment len = arena.allocate(socklen_t);
            MemorySegment serv = arena.allocate(NI_MAXSERV);
            for (MemorySegment p = res.get(C_POINTER, 0); !p.equals(MemorySegment.NULL) && nfds < MAXLISTEN; p = ai_next(p)) {
                int fd = socket(ai_family(p), ai_socktype(p), ai_protocol(p));
                if (fd == -1) {
                    perror("socket");
                    continue;
                }
                if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, on, sizeof(on)) == -1) {
                    perror("setsockopt");
                    exit(1);
                }
                /* The first bind chose the port (when PORT is 0): the others listen on it too. */
                if (ai_family(p) == AF_INET6)
                    sin6_port(ai_addr(p), htons(port));
                else
                    sin_port(ai_addr(p), htons(port));
                if (bind(fd, ai_addr(p), ai_addrlen(p)) == -1 || listen(fd, 5) == -1) {
                    perror("bind");
                    close(fd);
                    continue;
                }
                len.set(socklen_t, 0, sizeof(addr));
                if (getsockname(fd, addr, len) == -1) {
                    perror("getsockname");
                    exit(1);
                }
                getnameinfo(addr, len.get(socklen_t, 0), MemorySegment.NULL, 0, serv, sizeof(serv), NI_NUMERICSERV);
                port = atoi(serv);
                fd(pollfd.asSlice(fds, nfds), fd);
                pollfd.events(pollfd.asSlice(fds, nfds), (short) POLLIN);
                nfds++;
            }
            freeaddrinfo(res.get(C_POINTER, 0));
            if (nfds == 0) {
                fprintf(stderr, "gai-server: no address to listen on\n");
                exit(1);
            }
            printf("listening on port %d\n", port);
            MemorySegment host = arena.allocate(NI_MAXHOST);
            for (int i = 0; i < nfds; i++) {
                len.set(socklen_t, 0, sizeof(addr));
                getsockname(fd(pollfd.asSlice(fds, i)), addr, len);
                getnameinfo(addr, len.get(socklen_t, 0), host, sizeof(host), MemorySegment.NULL, 0, NI_NUMERICHOST);
                printf("listening on %s (%s)\n", host, ss_family(addr) == AF_INET6 ? "IPv6" : "IPv4");
            }

            int served = 0;
            MemorySegment cliaddr = sockaddr_storage.allocate(arena);
            while (served < clients) {
                if (poll(fds, nfds, -1) == -1) {
                    perror("poll");
                    exit(1);
                }
                for (int i = 0; i < nfds; i++) {
                    if ((revents(pollfd.asSlice(fds, i)) & POLLIN) == 0)
                        continue;
                    len.set(socklen_t, 0, sizeof(cliaddr));
                    int connfd = accept(fd(pollfd.asSlice(fds, i)), cliaddr, len);
                    if (connfd == -1) {
                        perror("accept");
                        exit(1);
                    }
                    err = getnameinfo(cliaddr, len.get(socklen_t, 0), host, sizeof(host), serv, sizeof(serv),
                                      NI_NUMERICHOST | NI_NUMERICSERV);
                    if (err != 0) {
                        fprintf(stderr, "getnameinfo: %s\n", gai_strerror(err));
                        exit(1);
                    }
                    printf("client %s port %s\n", host, serv);
                    int lines = serve(connfd);
                    printf("client port %s closed after %d lines\n", serv, lines);
                    if (close(connfd) == -1) {
                        perror("close");
                        exit(1);
                    }
                    served++;
                }
            }
            for (int i = 0; i < nfds; i++)
                close(fd(pollfd.asSlice(fds, i)));
            printf("served %d clients\n", served);
        }
    }
}
