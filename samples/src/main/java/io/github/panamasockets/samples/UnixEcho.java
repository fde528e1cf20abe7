package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_un;
import io.github.panamasockets.bindings.stat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * unix-echo: AF_UNIX stream sockets ("本地套接字", seeds 001 and 004), the local IPC that
 * uses the socket calls: same socket - bind - listen - accept - connect, but the address is
 * a name on this machine instead of an IP address and a port.
 * The Java port of native/samples/unix-echo.c, line for line.
 *
 * <pre>
 * usage: unix-echo
 * </pre>
 *
 * Two kinds of names (unix(7)), each used once for an echo:
 * <ol>
 * <li>a pathname: bind creates a socket file (type 's' in ls -l) at that path, in a
 *     temporary directory here. The file outlives the socket: bind to an existing path
 *     fails with EADDRINUSE, so a server must unlink(2) it when done.
 * <li>an abstract name (Linux only): sun_path starts with a '\0' byte and the name is the
 *     bytes after it, as many as addrlen says; no file is created, and the name vanishes
 *     with the last socket bound to it. ss -x shows it with an '@' in front.
 * </ol>
 * Server and client live in this one process, one step after the other, without fork or
 * threads: connect succeeds before anyone calls accept (the kernel queues the connection,
 * see backlog), and the message waits in the server's receive buffer until it is read.
 */
public final class UnixEcho {
    private UnixEcho() {}

    static final String MESSAGE = "hello over AF_UNIX";

    /** Read exactly len bytes: a stream socket may hand them over in pieces. */
    static void read_exactly(int fd, MemorySegment buf, long len) {
        for (long got = 0; got < len;) {
            long n = read(fd, buf.asSlice(got), len - got);
            if (n == -1) {
                perror("read");
                exit(1);
            }
            if (n == 0) {
                fprintf(stderr, "unix-echo: unexpected end of file\n");
                exit(1);
            }
            got += n;
        }
    }

    /** A listening AF_UNIX stream socket bound to addr. */
    static int unix_listener(MemorySegment addr, int addrlen) {
        int listenfd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (listenfd == -1) {
            perror("socket");
            exit(1);
        }
        if (bind(listenfd, addr, addrlen) == -1) {
            perror("bind");
            exit(1);
        }
        if (listen(listenfd, 5) == -1) {
            perror("listen");
            exit(1);
        }
        return listenfd;
    }

    /** One echo through the name in addr: the client connects and writes, the server accepts,
     * reads and sends the message back, the client receives it. */
    static void echo_once(int listenfd, MemorySegment addr, int addrlen) {
        try (Arena arena = Arena.ofConfined()) {
            int client = socket(AF_UNIX, SOCK_STREAM, 0);
            if (client == -1) {
                perror("socket");
                exit(1);
            }
            if (connect(client, addr, addrlen) == -1) {
                perror("connect");
                exit(1);
            }
            printf("client: connect() = 0, before the server has called accept()\n");
            MemorySegment message = arena.allocateFrom(MESSAGE);
            long len = strnlen(message);
            long n = write(client, message, len);
            if (n == -1) {
                perror("write");
                exit(1);
            }
            if (n != len) { /* cannot happen with an empty socket buffer: say so if it does */
                fprintf(stderr, "unix-echo: short write\n");
                exit(1);
            }

            /* The client never bound a name: accept reports an address that is only the family,
             * addrlen == sizeof(sa_family_t). (A TCP client always has an address and a port.) */
            MemorySegment peer = sockaddr_un.allocate(arena);
            MemorySegment peerlen = arena.allocateFrom(socklen_t, sizeof(peer));
            int connfd = accept(listenfd, peer, peerlen);
            if (connfd == -1) {
                perror("accept");
                exit(1);
            }
            printf("server: accept(): the client is unnamed, addrlen %d\n", peerlen.get(socklen_t, 0));

            MemorySegment buf = arena.allocate(64);
            read_exactly(connfd, buf, len);
            printf("server: received: %s\n", cstring(buf, len));
            n = send(connfd, buf, len, 0);
            if (n == -1) {
                perror("send");
                exit(1);
            }
            if (n != len) {
                fprintf(stderr, "unix-echo: short send\n");
                exit(1);
            }

            MemorySegment echo = arena.allocate(64);
            for (long got = 0; got < len;) {
                n = recv(client, echo.asSlice(got), len - got, 0);
                if (n == -1) {
                    perror("recv");
                    exit(1);
                }
                if (n == 0) {
                    fprintf(stderr, "unix-echo: unexpected end of file\n");
                    exit(1);
                }
                got += n;
            }
            printf("client: echo: %s\n", cstring(echo, len));

            if (close(connfd) == -1 || close(client) == -1) {
                perror("close");
                exit(1);
            }
        }
    }

    /** Bind a new socket to addr and report the result; close the socket. */
    static void try_bind(String who, MemorySegment addr, int addrlen) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd == -1) {
            perror("socket");
            exit(1);
        }
        if (bind(fd, addr, addrlen) == -1)
            printf("%s: bind() = -1 %s (%s)\n", who, strerrorname(errno()), strerror(errno()));
        else
            printf("%s: bind() = 0\n", who);
        if (close(fd) == -1) {
            perror("close");
            exit(1);
        }
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0) {
                fprintf(stderr, "unix-echo: takes no arguments, got %d\n", args.length);
                fprintf(stderr, "usage: unix-echo\n");
                exit(2);
            }

            printf("1. a pathname in a temporary directory\n");
            MemorySegment dir = arena.allocateFrom("/tmp/unix-echo.XXXXXX");
            if (mkdtemp(dir).equals(MemorySegment.NULL)) {
                perror("mkdtemp");
                exit(1);
            }
            /* sun_path holds a NUL-terminated path of at most 107 bytes. addrlen counts the family
             * and the path with its NUL: offsetof(struct sockaddr_un, sun_path) + strlen + 1. */
            MemorySegment addr = sockaddr_un.allocate(arena);
            memset(addr, 0, sizeof(addr));
            sun_family(addr, AF_UNIX);
            sun_path(addr, cstring(dir) + "/echo.sock");
            int addrlen = (int) (sockaddr_un.sun_path$offset() + strnlen(sun_path(addr)) + 1);

            int listenfd = unix_listener(addr, addrlen);
            MemorySegment st = stat.allocate(arena);
            if (stat(cstring(sun_path(addr)), st) == -1) {
                perror("stat");
                exit(1);
            }
            printf("server: bind() created the file echo.sock, a socket: %s\n", S_ISSOCK(stat.st_mode(st)) ? "yes" : "no");
            echo_once(listenfd, addr, addrlen);
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
            /* The socket is closed, its file is not gone. */
            try_bind("after close", addr, addrlen);
            if (unlink(cstring(sun_path(addr))) == -1) {
                perror("unlink");
                exit(1);
            }
            try_bind("after unlink", addr, addrlen);
            /* try_bind created the file again: remove it, then the directory. */
            if (unlink(cstring(sun_path(addr))) == -1) {
                perror("unlink");
                exit(1);
            }
            if (rmdir(cstring(dir)) == -1) {
                perror("rmdir");
                exit(1);
            }

            printf("2. an abstract name\n");
            /* sun_path[0] = '\0', then the name, not NUL-terminated: addrlen says where it ends.
             * Abstract names are shared by the whole network namespace, so make this one unique. */
            String name = String.format("panama-sockets-unix-echo-%d", getpid());
            memset(addr, 0, sizeof(addr));
            sun_family(addr, AF_UNIX);
            sun_path(addr, "\0" + name); /* sun_path[0] = '\0'; memcpy(sun_path + 1, name, strlen(name)); */
            addrlen = (int) (sockaddr_un.sun_path$offset() + 1 + name.length());

            listenfd = unix_listener(addr, addrlen);
            printf("server: bind() to an abstract name, no file created\n");
            echo_once(listenfd, addr, addrlen);
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
            /* The name went away with the socket. */
            try_bind("after close", addr, addrlen);
        }
    }
}
