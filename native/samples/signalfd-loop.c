/* signalfd-loop: a server's event loop that shuts down cleanly on SIGTERM, race-free: the
 * signal is blocked and read from a signalfd among the sockets, so it is handled in the loop,
 * between two events, never in the middle of one.
 *
 * usage: signalfd-loop
 *
 * It blocks SIGTERM and SIGINT (sigprocmask), makes a signalfd for them and watches it with a
 * UDP socket in one epoll instance. To have something to serve, it is its own client: three
 * datagrams arrive from a second socket; after the third, it sends itself SIGTERM with
 * kill(getpid(), SIGTERM), as `kill PID` from a shell would. The loop reads the struct
 * signalfd_siginfo, says what came and from whom, and shuts down. Everything runs on 127.0.0.1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    (void)argv;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 1) {
        fprintf(stderr, "signalfd-loop: takes no arguments, got %d\nusage: signalfd-loop\n", argc - 1);
        exit(2);
    }

    /* Blocked first: from now on SIGTERM and SIGINT wait in the signalfd instead of killing us. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1) {
        perror("sigprocmask");
        exit(1);
    }
    int sfd = signalfd(-1, &mask, 0);
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
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(0);
    servaddr.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (bind(sockfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
        perror("bind");
        exit(1);
    }
    socklen_t addrlen = sizeof(servaddr);
    if (getsockname(sockfd, (struct sockaddr *)&servaddr, &addrlen) == -1) {
        perror("getsockname");
        exit(1);
    }

    int epfd = epoll_create1(0);
    if (epfd == -1) {
        perror("epoll_create1");
        exit(1);
    }
    struct epoll_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    ev.data.fd = sockfd;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, sockfd, &ev) == -1) {
        perror("epoll_ctl");
        exit(1);
    }
    ev.data.fd = sfd;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, &ev) == -1) {
        perror("epoll_ctl");
        exit(1);
    }

    const char *messages[] = {"one", "two", "three"};
    for (int i = 0; i < 3; i++) {
        if (sendto(clientfd, messages[i], strlen(messages[i]), 0, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
            perror("sendto");
            exit(1);
        }
    }
    printf("serving: 3 datagrams queued, SIGTERM and SIGINT blocked and watched by a signalfd\n");

    int served = 0;
    int running = 1;
    char buf[64];
    struct epoll_event ready;
    while (running) {
        int n = epoll_wait(epfd, &ready, 1, -1);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            perror("epoll_wait");
            exit(1);
        }
        if (ready.data.fd == sockfd) {
            ssize_t len = recvfrom(sockfd, buf, sizeof(buf), 0, NULL, NULL);
            if (len == -1) {
                perror("recvfrom");
                exit(1);
            }
            printf("datagram %d: \"%.*s\"\n", ++served, (int)len, buf);
            if (served == 3) {
                printf("sending myself SIGTERM, as `kill PID` from a shell would\n");
                if (kill(getpid(), SIGTERM) == -1) {
                    perror("kill");
                    exit(1);
                }
            }
        } else if (ready.data.fd == sfd) {
            struct signalfd_siginfo si;
            ssize_t len = read(sfd, &si, sizeof(si));
            if (len != sizeof(si)) {
                perror("read signalfd");
                exit(1);
            }
            printf("signalfd: %s from %s\n", sigabbrev_np(si.ssi_signo),
                   (pid_t)si.ssi_pid == getpid() ? "this process" : "another process");
            if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
                running = 0;
        }
    }
    printf("shutting down after %d datagrams\n", served);
    close(epfd);
    close(clientfd);
    close(sockfd);
    close(sfd);
    return 0;
}
