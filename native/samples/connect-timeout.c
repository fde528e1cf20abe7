/* connect-timeout: the classic timeout on a blocking connect: alarm(1) and a SIGALRM handler
 * installed without SA_RESTART. When the alarm goes off, connect returns -1 with errno EINTR,
 * and the program calls that a timeout.
 *
 * usage: connect-timeout
 *
 * A connect blocks while the peer does not answer the SYN. On 127.0.0.1 that is made with a
 * listener of backlog 0 that does not accept: its one queued connection fills the accept queue,
 * and the kernel drops further SYNs, so the next connect waits for retransmissions:
 *   1. connect 1 completes and fills the queue;
 *   2. connect 2 with alarm(1): interrupted, -1 EINTR: timed out. Closing the socket ends the
 *      attempt (the kernel would go on retransmitting the SYN otherwise);
 *   3. the listener accepts connection 1, which makes room; connect 3 with alarm(1) completes
 *      at once, and alarm(0) cancels the alarm, returning the second that was left.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

static void on_alarm(int sig)
{
    (void)sig;
    const char *s = "handler: caught SIGALRM\n";
    ssize_t ignored = write(STDOUT_FILENO, s, strlen(s));
    (void)ignored;
}

/* A TCP socket's connect to addr with alarm(seconds) as its timeout: connect's result, errno kept. */
static int connect_with_timeout(int fd, const struct sockaddr_in *addr, unsigned seconds, unsigned *left)
{
    alarm(seconds);
    int r = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
    int err = errno;
    *left = alarm(0); /* cancel it if connect came first */
    errno = err;
    return r;
}

int main(int argc, char *argv[])
{
    (void)argv;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 1) {
        fprintf(stderr, "connect-timeout: takes no arguments, got %d\nusage: connect-timeout\n", argc - 1);
        exit(2);
    }
    struct sigaction act;
    memset(&act, 0, sizeof(act));
    act.sa_handler = on_alarm;
    sigemptyset(&act.sa_mask);
    act.sa_flags = 0; /* no SA_RESTART: the interrupted connect returns EINTR */
    if (sigaction(SIGALRM, &act, NULL) == -1) {
        perror("sigaction");
        exit(1);
    }

    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    if (listenfd == -1) {
        perror("socket");
        exit(1);
    }
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(0);
    servaddr.sin_addr.s_addr = inet_addr("127.0.0.1");
    socklen_t addrlen = sizeof(servaddr);
    if (bind(listenfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1
        || getsockname(listenfd, (struct sockaddr *)&servaddr, &addrlen) == -1 || listen(listenfd, 0) == -1) {
        perror("bind/getsockname/listen");
        exit(1);
    }
    printf("listening with backlog 0, never accepting until step 3\n");

    unsigned left;
    int fd1 = socket(AF_INET, SOCK_STREAM, 0);
    if (fd1 == -1 || connect_with_timeout(fd1, &servaddr, 1, &left) == -1) {
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
    if (connect_with_timeout(fd2, &servaddr, 1, &left) == -1) {
        int err = errno;
        perror("connect"); /* connect: Interrupted system call */
        if (err != EINTR)
            exit(1);
        printf("connect 2: timed out (-1 %s)\n", strerrorname_np(err));
    } else {
        printf("connect 2: connected, expected a timeout\n");
        exit(1);
    }
    close(fd2);

    int connfd = accept(listenfd, NULL, NULL);
    if (connfd == -1) {
        perror("accept");
        exit(1);
    }
    printf("3. accepted connection 1, room in the queue again\n");
    int fd3 = socket(AF_INET, SOCK_STREAM, 0);
    if (fd3 == -1 || connect_with_timeout(fd3, &servaddr, 1, &left) == -1) {
        perror("connect 3");
        exit(1);
    }
    printf("connect 3: connected; alarm(0) returned %u\n", left);

    close(fd3);
    close(connfd);
    close(fd1);
    close(listenfd);
    return 0;
}
