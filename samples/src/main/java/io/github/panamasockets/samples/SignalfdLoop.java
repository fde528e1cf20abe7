package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.signalfd_siginfo;
import io.github.panamasockets.bindings.sigset_t;
import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * signalfd-loop: a server's event loop that shuts down cleanly on SIGTERM, race-free: the
 * signal is blocked and read from a signalfd among the sockets, so it is handled in the loop,
 * between two events, never in the middle of one.
 * The Java port of native/samples/signalfd-loop.c, line for line.
 *
 * <pre>
 * usage: signalfd-loop
 * </pre>
 *
 * It blocks SIGTERM and SIGINT (sigprocmask), makes a signalfd for them and watches it with a
 * UDP socket in one epoll instance. To have something to serve, it is its own client: three
 * datagrams arrive from a second socket; after the third, it sends itself SIGTERM with
 * kill(getpid(), SIGTERM), as {@code kill PID} from a shell would. The loop reads the struct
 * signalfd_siginfo, says what came and from whom, and shuts down. Everything runs on 127.0.0.1.
 *
 * <p>In a JVM the kernel gives the process-directed SIGTERM to any thread that does not block
 * it (the JVM has dozens, and the main thread blocks it); the facade forwards it to the thread
 * that blocked it, where the signalfd sees it, as a one-thread C program would. Without that
 * the JVM's own SIGTERM handler would run its shutdown hooks and exit with status 143.
 */
public final class SignalfdLoop {
    private SignalfdLoop() {}

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0) {
                fprintf(stderr, "signalfd-loop: takes no arguments, got %d\nusage: signalfd-loop\n", args.length);
                exit(2);
            }

            /* Blocked first: from now on SIGTERM and SIGINT wait in the signalfd instead of killing us. */
            MemorySegment mask = sigset_t.allocate(arena);
            sigemptyset(mask);
            sigaddset(mask, SIGTERM);
            sigaddset(mask, SIGINT);
            if (sigprocmask(SIG_BLOCK, mask, MemorySegment.NULL) == -1) {
                perror("sigprocmask");
                exit(1);
            }
            int sfd = signalfd(-1, mask, 0);
            if (sfd == -1) {
                perror("signalfd");
                exit(1);
            }

            int sockfd = socket(AF_INET, SOCK_DGRAM, 0);
            int clientfd = socket(AF_INET, SOCK_DGRAM, 0);
            if (sockfd == -1 || clientfd == -1) {
                perror("socket");
                exit(1);
            }
            MemorySegment servaddr = sockaddr_in.allocate(arena);
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

            int epfd = epoll_create1(0);
            if (epfd == -1) {
                perror("epoll_create1");
                exit(1);
            }
            MemorySegment ev = epoll_event.allocate(arena);
            memset(ev, 0, sizeof(ev));
            events(ev, EPOLLIN);
            data_fd(ev, sockfd);
            if (epoll_ctl(epfd, EPOLL_CTL_ADD, sockfd, ev) == -1) {
                perror("epoll_ctl");
                exit(1);
            }
            data_fd(ev, sfd);
            if (epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, ev) == -1) {
                perror("epoll_ctl");
                exit(1);
            }

            String[] messages = {"one", "two", "three"};
            for (int i = 0; i < 3; i++) {
                MemorySegment message = arena.allocateFrom(messages[i]);
                if (sendto(clientfd, message, strnlen(message), 0, servaddr, sizeof(servaddr)) == -1) {
                    perror("sendto");
                    exit(1);
                }
            }
            printf("serving: 3 datagrams queued, SIGTERM and SIGINT blocked and watched by a signalfd\n");

            int served = 0;
            boolean running = true;
            MemorySegment buf = arena.allocate(64);
            MemorySegment ready = epoll_event.allocate(arena);
            MemorySegment si = signalfd_siginfo.allocate(arena);
            while (running) {
                int n = epoll_wait(epfd, ready, 1, -1);
                if (n == -1) {
                    if (errno() == EINTR)
                        continue;
                    perror("epoll_wait");
                    exit(1);
                }
                if (data_fd(ready) == sockfd) {
                    long len = recvfrom(sockfd, buf, sizeof(buf), 0, MemorySegment.NULL, MemorySegment.NULL);
                    if (len == -1) {
                        perror("recvfrom");
                        exit(1);
                    }
                    printf("datagram %d: \"%s\"\n", ++served, cstring(buf, len));
                    if (served == 3) {
                        printf("sending myself SIGTERM, as `kill PID` from a shell would\n");
                        if (kill(getpid(), SIGTERM) == -1) {
                            perror("kill");
                            exit(1);
                        }
                    }
                } else if (data_fd(ready) == sfd) {
                    long len = read(sfd, si, sizeof(si));
                    if (len != sizeof(si)) {
                        perror("read signalfd");
                        exit(1);
                    }
                    printf("signalfd: %s from %s\n", sigabbrev_np(signalfd_siginfo.ssi_signo(si)),
                            signalfd_siginfo.ssi_pid(si) == getpid() ? "this process" : "another process");
                    if (signalfd_siginfo.ssi_signo(si) == SIGTERM || signalfd_siginfo.ssi_signo(si) == SIGINT)
                        running = false;
                }
            }
            printf("shutting down after %d datagrams\n", served);
            close(epfd);
            close(clientfd);
            close(sockfd);
            close(sfd);
        }
    }
}
