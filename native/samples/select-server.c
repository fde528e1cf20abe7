/* select-server: the I/O multiplexing ("IO多路复用") server of seed 002: one process, one
 * thread, many clients, with select(2).
 *
 * usage: select-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server stops accepting after CLIENTS clients and
 *   exits when the last of them has closed.
 *
 *   socket() bind() listen()
 *   while (1) {
 *       fill the set of descriptors to watch (FD_ZERO, FD_SET)
 *       select()                              sleeps until one of them is readable
 *       if (FD_ISSET(listenfd, &rset))        a connection is waiting: accept() won't block
 *       for each client fd with FD_ISSET      data or FIN is waiting: recv() won't block
 *   }
 *
 * Partner: tcp-client (several at once, to see the point of it).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
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

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "select-server: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: select-server PORT CLIENTS\n");
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
    socklen_t addrlen = sizeof(servaddr);
    if (getsockname(listenfd, (struct sockaddr *)&servaddr, &addrlen) == -1) {
        perror("getsockname");
        exit(1);
    }
    printf("listening on port %d\n", ntohs(servaddr.sin_port));

    /* allset: every descriptor we watch. An fd_set is a bitmap of FD_SETSIZE (1024) bits:
     * select can only watch descriptors below FD_SETSIZE (poll and epoll have no such limit). */
    fd_set allset;
    FD_ZERO(&allset);
    FD_SET(listenfd, &allset);
    int maxfd = listenfd;

    /* What we know about each connected client, indexed by its descriptor. */
    static struct sockaddr_in peer[FD_SETSIZE];
    static long echoed[FD_SETSIZE];

    int accepted = 0;
    int connected = 0;
    while (accepted < clients || connected > 0) {
        /* select(2) overwrites the sets it is given with the ready subset, so it gets a copy.
         * Its first argument is the highest descriptor plus one, not a count. */
        fd_set rset = allset;
        if (select(maxfd + 1, &rset, NULL, NULL, NULL) == -1) {
            perror("select");
            exit(1);
        }

        /* The listening socket is "readable" when a completed connection is queued. */
        if (accepted < clients && FD_ISSET(listenfd, &rset)) {
            struct sockaddr_in cliaddr;
            addrlen = sizeof(cliaddr);
            int connfd = accept(listenfd, (struct sockaddr *)&cliaddr, &addrlen);
            if (connfd == -1) {
                perror("accept");
                exit(1);
            }
            if (connfd >= FD_SETSIZE) {
                fprintf(stderr, "select-server: descriptor %d does not fit in an fd_set\n", connfd);
                exit(1);
            }
            printf("client ip:%s, port:%d\n", inet_ntoa(cliaddr.sin_addr), ntohs(cliaddr.sin_port));
            FD_SET(connfd, &allset);
            if (connfd > maxfd)
                maxfd = connfd;
            peer[connfd] = cliaddr;
            echoed[connfd] = 0;
            accepted++;
            connected++;
            /* Enough clients: stop watching the listening socket. Later connections would
             * wait in its queue until it is closed (then they are reset). */
            if (accepted == clients)
                FD_CLR(listenfd, &allset);
        }

        /* Every ready client: one recv, which will not block, then echo what came. */
        for (int fd = 0; fd <= maxfd; fd++) {
            if (fd == listenfd || !FD_ISSET(fd, &rset))
                continue;
            char buf[4096];
            ssize_t n = recv(fd, buf, sizeof(buf), 0);
            if (n == -1) {
                perror("recv");
                exit(1);
            }
            if (n == 0) {
                /* FIN: the client is done. Forget the descriptor before closing it. */
                printf("client port:%d closed, %ld bytes echoed\n", ntohs(peer[fd].sin_port), echoed[fd]);
                FD_CLR(fd, &allset);
                if (close(fd) == -1) {
                    perror("close");
                    exit(1);
                }
                connected--;
                continue;
            }
            /* A blocking send to a client that does not read would stall every client; a
             * production server makes the sockets non-blocking and also watches writability. */
            for (ssize_t off = 0; off < n;) {
                ssize_t w = send(fd, buf + off, n - off, 0);
                if (w == -1) {
                    perror("send");
                    exit(1);
                }
                off += w;
            }
            echoed[fd] += n;
        }
    }

    printf("served %d clients\n", clients);
    if (close(listenfd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
