/* tcp-fork-server: the concurrent ("并发") TCP server of seeds 002 and 004, one process per
 * client.
 *
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
 *
 * After fork(2) both processes hold both descriptors. A socket is released only when its
 * last descriptor is closed, so each side closes the one it does not use: the parent its
 * copy of connfd (or the client would never see our FIN, and the parent would run out of
 * descriptors), the child listenfd. Partner: tcp-client.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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
static void serve(int connfd, const struct sockaddr_in *cliaddr)
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
    printf("child: client port:%d closed, %ld bytes echoed\n", ntohs(cliaddr->sin_port), echoed);
}

/* Reap the children that have exited; with WNOHANG, return at once when none has.
 * An exited child that nobody waits for stays a zombie ("僵尸进程"), holding its pid and exit
 * status. waitpid(2) returns a pid, 0 (WNOHANG: children left, none exited yet), or -1 with
 * ECHILD (no children at all). Counts the failed children in *failed. */
static int reap_children(int options, int *failed)
{
    int reaped = 0;
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, options)) > 0) {
        reaped++;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            (*failed)++;
    }
    if (pid == -1 && errno != ECHILD) {
        perror("waitpid");
        exit(1);
    }
    return reaped;
}

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "tcp-fork-server: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: tcp-fork-server PORT CLIENTS\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (argc != 3)
        usage("takes 2 arguments, got %d", argc - 1);
    int port = parse_int(argv[1], 0, 65535);
    if (port < 0)
        usage("PORT must be a number from %d to %d, not '%s'", 0, 65535, argv[1]);
    int clients = parse_int(argv[2], 1, 1000000);
    if (clients < 0)
        usage("CLIENTS must be a number from %d to %d, not '%s'", 1, 1000000, argv[2]);

    /* Reaping: the seeds install a SIGCHLD handler ("signal()回收僵尸进程") that calls waitpid
     * in a loop. Then a blocked accept(2) is interrupted when a child exits and fails with
     * EINTR, which the parent must retry (seed 004: "对父进程中accept要进行错误处理"); with
     * sigaction(2) and SA_RESTART the kernel restarts it. signal(SIGCHLD, SIG_IGN) would make
     * the kernel reap them itself. This sample uses no signals: it polls with
     * waitpid(..., WNOHANG) after each accept, and waits for the last ones at the end. */

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

    int reaped = 0;
    int failed = 0;
    for (int accepted = 0; accepted < clients; accepted++) {
        struct sockaddr_in cliaddr;
        addrlen = sizeof(cliaddr);
        int connfd = accept(listenfd, (struct sockaddr *)&cliaddr, &addrlen);
        if (connfd == -1) {
            perror("accept");
            exit(1);
        }
        printf("client ip:%s, port:%d\n", inet_ntoa(cliaddr.sin_addr), ntohs(cliaddr.sin_port));

        /* fork(2) returns twice: 0 in the child, the child's pid in the parent. stdout is
         * line buffered and every line ends in '\n', so no output is pending to be
         * duplicated into the child. */
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
            serve(connfd, &cliaddr);
            if (close(connfd) == -1) {
                perror("close");
                exit(1);
            }
            exit(0);
        }
        /* Parent: back to accept at once; the child owns the connection now. */
        if (close(connfd) == -1) {
            perror("close");
            exit(1);
        }
        reaped += reap_children(WNOHANG, &failed);
    }

    /* No more clients: stop listening, then wait (blocking) for the children still running. */
    if (close(listenfd) == -1) {
        perror("close");
        exit(1);
    }
    reaped += reap_children(0, &failed);
    printf("served %d clients, reaped %d children\n", clients, reaped);
    if (failed > 0) {
        fprintf(stderr, "tcp-fork-server: %d children failed\n", failed);
        exit(1);
    }
    return 0;
}
