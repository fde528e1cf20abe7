/* sigchld-server: one child process per client, as tcp-fork-server, but the children are
 * reaped by a SIGCHLD handler, as seed 004 does it ("signal()回收僵尸进程").
 *
 * usage: sigchld-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; after accepting CLIENTS clients the server waits until the
 *   handler has reaped every child, and exits.
 *
 * The handler calls waitpid(-1, &status, WNOHANG) in a loop: one SIGCHLD may stand for several
 * children (standard signals do not queue), and it must not block. It is installed with
 * SA_RESTART, so an accept(2) that SIGCHLD interrupts is restarted by the kernel; without it,
 * accept would fail with EINTR and the loop would have to retry. At the end the server blocks
 * SIGCHLD, tests its counter, and waits in sigsuspend(2) with SIGCHLD unblocked, so that no
 * signal can slip between the test and the wait. Partner: tcp-client.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t reaped;
static volatile sig_atomic_t failed;

/* A number from the command line in min..max, or -1 if the text is not one. */
static int parse_int(const char *s, int min, int max)
{
    char *end;
    long value = strtol(s, &end, 10);
    if (end == s || *end != '\0' || value < min || value > max)
        return -1;
    return (int)value;
}

/* The child's work: echo until the client sends FIN (recv returns 0). */
static void serve(int connfd, int port)
{
    char buf[4096];
    long echoed = 0;
    for (;;) {
        ssize_t n = recv(connfd, buf, sizeof(buf), 0);
        if (n == -1) {
            perror("recv");
            exit(1);
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = send(connfd, buf + off, n - off, 0);
            if (w == -1) {
                perror("send");
                exit(1);
            }
            off += w;
        }
        echoed += n;
    }
    printf("child: client port:%d closed, %ld bytes echoed\n", port, echoed);
}

/* SIGCHLD: reap every child that has exited; WNOHANG, as the others may still run. */
static void on_sigchld(int sig)
{
    (void)sig;
    int saved = errno; /* waitpid sets errno (ECHILD at the end): the interrupted code must not see it */
    int status;
    while (waitpid(-1, &status, WNOHANG) > 0) {
        reaped++;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    errno = saved;
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    int port = argc == 3 ? parse_int(argv[1], 0, 65535) : -1;
    int clients = argc == 3 ? parse_int(argv[2], 1, 1000000) : -1;
    if (port < 0 || clients < 0) {
        if (argc != 3)
            fprintf(stderr, "sigchld-server: takes 2 arguments, got %d\n", argc - 1);
        else
            fprintf(stderr, "sigchld-server: PORT must be a number from 0 to 65535 and CLIENTS from 1 to 1000000, not '%s' '%s'\n", argv[1], argv[2]);
        fprintf(stderr, "usage: sigchld-server PORT CLIENTS\n");
        exit(2);
    }

    struct sigaction act;
    memset(&act, 0, sizeof(act));
    act.sa_handler = on_sigchld;
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_RESTART | SA_NOCLDSTOP; /* restart accept; no SIGCHLD for stopped children */
    if (sigaction(SIGCHLD, &act, NULL) == -1) {
        perror("sigaction");
        exit(1);
    }

    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    if (listenfd == -1) {
        perror("socket");
        exit(1);
    }
    int on = 1;
    if (setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1) {
        perror("setsockopt");
        exit(1);
    }
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    servaddr.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (bind(listenfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
        perror("bind");
        exit(1);
    }
    if (listen(listenfd, 5) == -1) {
        perror("listen");
        exit(1);
    }
    socklen_t addrlen = sizeof(servaddr);
    if (getsockname(listenfd, (struct sockaddr *)&servaddr, &addrlen) == -1) {
        perror("getsockname");
        exit(1);
    }
    printf("listening on port %d\n", ntohs(servaddr.sin_port));

    for (int accepted = 0; accepted < clients; accepted++) {
        struct sockaddr_in cliaddr;
        addrlen = sizeof(cliaddr);
        int connfd = accept(listenfd, (struct sockaddr *)&cliaddr, &addrlen);
        if (connfd == -1) {
            perror("accept");
            exit(1);
        }
        printf("client ip:%s, port:%d\n", inet_ntoa(cliaddr.sin_addr), ntohs(cliaddr.sin_port));
        int cliport = ntohs(cliaddr.sin_port); /* what the child prints: fork copies it */
        pid_t pid = fork();
        if (pid == -1) {
            perror("fork");
            exit(1);
        }
        if (pid == 0) {
            /* Child: it only talks to this client. */
            if (close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
            serve(connfd, cliport);
            if (close(connfd) == -1) {
                perror("close");
                exit(1);
            }
            exit(0);
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
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &block, &old) == -1) {
        perror("sigprocmask");
        exit(1);
    }
    while (reaped < clients)
        sigsuspend(&old); /* returns -1 EINTR once the handler has run */
    if (sigprocmask(SIG_SETMASK, &old, NULL) == -1) {
        perror("sigprocmask");
        exit(1);
    }
    printf("served %d clients, the SIGCHLD handler reaped %d children\n", clients, (int)reaped);
    if (failed > 0) {
        fprintf(stderr, "sigchld-server: %d children failed\n", (int)failed);
        exit(1);
    }
    return 0;
}
