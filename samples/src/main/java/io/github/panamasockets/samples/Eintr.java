package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * eintr: the classic lesson of errno handling. A signal that arrives while a call blocks runs
 * its handler; what the call does then depends on how the handler was installed.
 * The Java port of native/samples/eintr.c, line for line.
 *
 * <pre>
 * usage: eintr
 * </pre>
 *
 * Three parts, each an alarm(1) while recvfrom blocks on a UDP socket nothing sends to:
 * <ol>
 * <li>SA_RESTART clear: recvfrom returns -1 with errno EINTR ("Interrupted system call");
 * <li>SA_RESTART set: the kernel restarts recvfrom after the handler; the handler ends it by
 *     sending a datagram to the socket;
 * <li>SA_RESTART clear, and the program retries on EINTR (the facade's opt-in
 *     {@code retryOnEintr}): the first alarm's handler sets a second alarm, the second sends the
 *     datagram; the call is retried once, then receives it.
 * </ol>
 * The handler is Java code: it runs on a Java thread after the signal, never inside the C
 * handler, and recvfrom returns EINTR only once it has finished, so the lines come in C's order.
 * Its static data are in Arena.global(), as another thread uses them. Everything runs on 127.0.0.1.
 */
public final class Eintr {
    private Eintr() {}

    static int sockfd = -1;                 // the socket recvfrom blocks on
    static int wakefd = -1;                 // the handler sends its datagram from this one
    static final MemorySegment servaddr = sockaddr_in.allocate(Arena.global());
    static final MemorySegment wake = Arena.global().allocateFrom("wake");
    static volatile int alarms;
    static volatile int alarms_before_wake; // how many alarms before the handler sends the datagram

    static void on_alarm(int sig) {
        alarms++;
        if (alarms < alarms_before_wake) {
            printf("handler: caught SIGALRM, alarm(1) again\n");
            alarm(1);
        } else if (alarms_before_wake > 0) {
            printf("handler: caught SIGALRM, sending a datagram to wake the socket\n");
            sendto(wakefd, wake, 4, 0, servaddr, sizeof(servaddr));
        } else {
            printf("handler: caught SIGALRM\n");
        }
    }

    /** SIGALRM's handler, with or without SA_RESTART. */
    static void install(int flags) {
        if (sigaction(SIGALRM, Eintr::on_alarm, flags) == -1) {
            perror("sigaction");
            exit(1);
        }
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0) {
                fprintf(stderr, "eintr: takes no arguments, got %d\nusage: eintr\n", args.length);
                exit(2);
            }
            sockfd = socket(AF_INET, SOCK_DGRAM, 0);
            wakefd = socket(AF_INET, SOCK_DGRAM, 0);
            if (sockfd == -1 || wakefd == -1) {
                perror("socket");
                exit(1);
            }
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(0));
            s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
            if (bind(sockfd, servaddr, sizeof(servaddr)) == -1) {
                perror("bind");
                exit(1);
            }
            MemorySegment addrlen = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (getsockname(sockfd, servaddr, addrlen) == -1) {
                perror("getsockname");
                exit(1);
            }
            MemorySegment buf = arena.allocate(64);

            printf("1. SA_RESTART clear: alarm(1), then recvfrom blocks\n");
            install(0);
            alarms = 0;
            alarms_before_wake = 0;
            alarm(1);
            long n = recvfrom(sockfd, buf, sizeof(buf), 0, MemorySegment.NULL, MemorySegment.NULL);
            if (n == -1) {
                int err = errno();   // perror may change errno in C (its stdio calls can fail): keep it first
                perror("recvfrom");  // recvfrom: Interrupted system call
                printf("recvfrom returned -1, errno %s\n", strerrorname(err));
            } else {
                printf("recvfrom returned %d: expected -1 EINTR\n", n);
                exit(1);
            }

            printf("2. SA_RESTART set: alarm(1), then recvfrom blocks\n");
            install(SA_RESTART);
            alarms = 0;
            alarms_before_wake = 1;
            alarm(1);
            n = recvfrom(sockfd, buf, sizeof(buf), 0, MemorySegment.NULL, MemorySegment.NULL);
            if (n == -1) {
                perror("recvfrom");
                exit(1);
            }
            printf("recvfrom returned %d bytes \"%s\": restarted after the handler\n", n, cstring(buf, n));

            printf("3. SA_RESTART clear, retried on EINTR: alarm(1), then recvfrom blocks\n");
            install(0);
            alarms = 0;
            alarms_before_wake = 2;
            alarm(1);
            n = retryOnEintr("recvfrom", () -> recvfrom(sockfd, buf, sizeof(buf), 0, MemorySegment.NULL, MemorySegment.NULL));
            if (n == -1) {
                perror("recvfrom");
                exit(1);
            }
            printf("recvfrom returned %d bytes \"%s\" after %d signals\n", n, cstring(buf, n), alarms);

            close(wakefd);
            close(sockfd);
        }
    }
}
