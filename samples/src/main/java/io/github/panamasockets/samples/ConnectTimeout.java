package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * connect-timeout: the classic timeout on a blocking connect: alarm(1) and a SIGALRM handler
 * installed without SA_RESTART. When the alarm goes off, connect returns -1 with errno EINTR,
 * and the program calls that a timeout.
 * The Java port of native/samples/connect-timeout.c, line for line.
 *
 * <pre>
 * usage: connect-timeout
 * </pre>
 *
 * A connect blocks while the peer does not answer the SYN. On 127.0.0.1 that is made with a
 * listener of backlog 0 that does not accept: its one queued connection fills the accept queue,
 * and the kernel drops further SYNs, so the next connect waits for retransmissions:
 * <ol>
 * <li>connect 1 completes and fills the queue;
 * <li>connect 2 with alarm(1): interrupted, -1 EINTR: timed out. Closing the socket ends the
 *     attempt (the kernel would go on retransmitting the SYN otherwise);
 * <li>the listener accepts connection 1, which makes room; connect 3 with alarm(1) completes
 *     at once, and alarm(0) cancels the alarm, returning the second that was left.
 * </ol>
 * The facade aims alarm's SIGALRM at the calling thread, the one blocked in connect, as a
 * single-threaded C program's is; the handler's Java code runs on a thread of its own.
 */
public final class ConnectTimeout {
    private ConnectTimeout() {}

    static void on_alarm(int sig) {
        printf("handler: caught SIGALRM\n");
    }

    /** A TCP socket's connect to addr with alarm(seconds) as its timeout: connect's result, errno kept; left[0] is C's *left. */
    static int connect_with_timeout(int fd, MemorySegment addr, int seconds, int[] left) {
        alarm(seconds);
        int r = connect(fd, addr, sizeof(addr));
        int err = errno();
        left[0] = alarm(0); // cancel it if connect came first
        errno(err);
        return r;
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0) {
                fprintf(stderr, "connect-timeout: takes no arguments, got %d\nusage: connect-timeout\n", args.length);
                exit(2);
            }
            if (sigaction(SIGALRM, ConnectTimeout::on_alarm, 0) == -1) { // no SA_RESTART: the interrupted connect returns EINTR
                perror("sigaction");
                exit(1);
            }

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
            MemorySegment addrlen = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (bind(listenfd, servaddr, sizeof(servaddr)) == -1
                    || getsockname(listenfd, servaddr, addrlen) == -1 || listen(listenfd, 0) == -1) {
                perror("bind/getsockname/listen");
                exit(1);
            }
            printf("listening with backlog 0, never accepting until step 3\n");

            int[] left = new int[1];
            int fd1 = socket(AF_INET, SOCK_STREAM, 0);
            if (fd1 == -1 || connect_with_timeout(fd1, servaddr, 1, left) == -1) {
                perror("connect 1");
                exit(1);
            }
            printf("1. connect 1: connected, the accept queue is full now\n");

            int fd2 = socket(AF_INET, SOCK_STREAM, 0);
            if (fd2 == -1) {
                perror("socket");
                exit(1);
            }
            printf("2. connect 2 with alarm(1)\n");
            if (connect_with_timeout(fd2, servaddr, 1, left) == -1) {
                int err = errno();
                perror("connect"); // connect: Interrupted system call
                if (err != EINTR)
                    exit(1);
                printf("connect 2: timed out (-1 %s)\n", strerrorname(err));
            } else {
                printf("connect 2: connected, expected a timeout\n");
                exit(1);
            }
            close(fd2);

            int connfd = accept(listenfd, MemorySegment.NULL, MemorySegment.NULL);
            if (connfd == -1) {
                perror("accept");
                exit(1);
            }
            printf("3. accepted connection 1, room in the queue again\n");
            int fd3 = socket(AF_INET, SOCK_STREAM, 0);
            if (fd3 == -1 || connect_with_timeout(fd3, servaddr, 1, left) == -1) {
                perror("connect 3");
                exit(1);
            }
            printf("connect 3: connected; alarm(0) returned %d\n", left[0]);

            close(fd3);
            close(connfd);
            close(fd1);
            close(listenfd);
        }
    }
}
