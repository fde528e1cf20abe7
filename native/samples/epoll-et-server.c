/* epoll-et-server: an echo server on epoll(7) in edge-triggered mode (EPOLLET).
 *
 * usage: epoll-et-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server stops accepting after CLIENTS clients and
 *   exits when the last of them has closed.
 *
 * Edge-triggered, epoll_wait reports a descriptor when it becomes ready, not while it stays
 * ready: after an event the server must drain it, accept(2) or read(2) until -1 EAGAIN, or
 * what is left is never reported again. So every socket is non-blocking (a blocking read
 * past the last byte would hang the whole server). Partner: tcp-client.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define MAXEVENTS 16
#define MAXFD 1024

static long echoed[MAXFD]; /* per descriptor: bytes echoed so far */
static int ports[MAXFD];   /* per descriptor: the client's port */

static void set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1) {
        perror("fcntl");
        exit(1);
    }
}

/* Echo what a client sent, reading until EAGAIN, counting in echoed[fd]. Returns 0, or -1
 * when the client has closed (read returned 0). */
static int drain(int fd)
{
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n == -1) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            perror("read");
            exit(1);
        }
        if (n == 0)
            return -1;
        /* A client that reads what we send keeps our send buffer from filling: one write. */
        if (write(fd, buf, n) != n) {
            perror("write");
            exit(1);
        }
        echoed[fd] += n;
    }
}

/* A number from the command line in min..max, or -1 if the text is not one. */
static int parse_int(const char *s, int min, int max)
{
    char *end;
    long value = strtol(s, &end, 10);
    if (end == s || *end != '\0' || value < min || value > max)
        return -1;
    return (int)value;
}

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "epoll-et-server: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: epoll-et-server PORT CLIENTS\n");
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
    socklen_t len = sizeof(servaddr);
    if (getsockname(listenfd, (struct sockaddr *)&servaddr, &len) == -1) {
        perror("getsockname");
        exit(1);
    }
    printf("listening on port %d\n", ntohs(servaddr.sin_port));
    set_nonblocking(listenfd);

    int epfd = epoll_create1(0);
    if (epfd == -1) {
        perror("epoll_create1");
        exit(1);
    }
    struct epoll_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN | EPOLLET;
    ev.data.fd = listenfd;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, listenfd, &ev) == -1) {
        perror("epoll_ctl");
        exit(1);
    }

    struct epoll_event events[MAXEVENTS];
    int accepted = 0, open = 0;
    while (accepted < clients || open > 0) {
        int n = epoll_wait(epfd, events, MAXEVENTS, -1);
        if (n == -1) {
            perror("epoll_wait");
            exit(1);
        }
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == listenfd) {
                /* Every connection waiting, until accept says EAGAIN. */
                for (;;) {
                    struct sockaddr_in cliaddr;
                    len = sizeof(cliaddr);
                    int connfd = accept(listenfd, (struct sockaddr *)&cliaddr, &len);
                    if (connfd == -1) {
                        if (errno == EAGAIN || errno == EWOULDBLOCK)
                            break;
                        perror("accept");
                        exit(1);
                    }
                    if (connfd >= MAXFD) {
                        fprintf(stderr, "epoll-et-server: descriptor %d too high\n", connfd);
                        exit(1);
                    }
                    printf("client ip:%s, port:%d\n", inet_ntoa(cliaddr.sin_addr), ntohs(cliaddr.sin_port));
                    set_nonblocking(connfd);
                    ev.events = EPOLLIN | EPOLLET;
                    ev.data.fd = connfd;
                    if (epoll_ctl(epfd, EPOLL_CTL_ADD, connfd, &ev) == -1) {
                        perror("epoll_ctl");
                        exit(1);
                    }
                    echoed[connfd] = 0;
                    ports[connfd] = ntohs(cliaddr.sin_port);
                    accepted++;
                    open++;
                }
                if (accepted >= clients && epoll_ctl(epfd, EPOLL_CTL_DEL, listenfd, NULL) == -1) {
                    perror("epoll_ctl");
                    exit(1);
                }
            } else {
                if (drain(fd) == 0)
                    continue;
                /* Closing the descriptor also takes it out of the epoll set. */
                printf("client port:%d closed, %ld bytes echoed\n", ports[fd], echoed[fd]);
                if (close(fd) == -1) {
                    perror("close");
                    exit(1);
                }
                open--;
            }
        }
    }
    close(epfd);
    close(listenfd);
    printf("served %d clients\n", clients);
    return 0;
}
