/* gai-server: a server that asks getaddrinfo(3) where to listen instead of filling a
 * sockaddr_in by hand, and so listens on IPv6 and IPv4 alike.
 *
 * usage: gai-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server exits after CLIENTS clients.
 *
 * hints.ai_family = AF_UNSPEC asks for every family; with a NULL node and no AI_PASSIVE,
 * getaddrinfo returns the loopback addresses, ::1 and 127.0.0.1. The server loops over the
 * results and listens on each one it can (a machine without IPv6 fails socket() for ::1 and
 * goes on), all on the same port: the first bind picks it, the others take it. poll(2)
 * tells which listening socket has a connection waiting.
 *
 * Protocol: for each line the client sends, the server answers with one line built by
 * snprintf(3): the line's length in bytes, a space, and the line. Partner: gai-client.
 */
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define MAXLINE 1024
#define MAXLISTEN 4

/* One client: a reply per line until it closes. The client waits for each reply before it
 * sends the next line, so each read(2) returns one whole line. Returns the lines served. */
static int serve(int connfd)
{
    char line[MAXLINE];
    char reply[MAXLINE + 32];
    int lines = 0;
    ssize_t n;
    while ((n = read(connfd, line, sizeof(line) - 1)) > 0) {
        line[n] = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        int len = snprintf(reply, sizeof(reply), "%zu %s\n", strlen(line), line);
        if (write(connfd, reply, len) != len) {
            perror("write");
            exit(1);
        }
        printf("received: %s\n", line);
        lines++;
    }
    if (n == -1) {
        perror("read");
        exit(1);
    }
    return lines;
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
    fprintf(stderr, "gai-server: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: gai-server PORT CLIENTS\n");
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

    char service[NI_MAXSERV];
    snprintf(service, sizeof(service), "%d", port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    struct addrinfo *res;
    int err = getaddrinfo(NULL, service, &hints, &res);
    if (err != 0) {
        fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err));
        exit(1);
    }

    struct pollfd fds[MAXLISTEN];
    int nfds = 0;
    int on = 1;
    for (struct addrinfo *p = res; p != NULL && nfds < MAXLISTEN; p = p->ai_next) {
        int fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd == -1) {
            perror("socket");
            continue;
        }
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1) {
            perror("setsockopt");
            exit(1);
        }
        /* The first bind chose the port (when PORT is 0): the others listen on it too. */
        if (p->ai_family == AF_INET6)
            ((struct sockaddr_in6 *)p->ai_addr)->sin6_port = htons(port);
        else
            ((struct sockaddr_in *)p->ai_addr)->sin_port = htons(port);
        if (bind(fd, p->ai_addr, p->ai_addrlen) == -1 || listen(fd, 5) == -1) {
            perror("bind");
            close(fd);
            continue;
        }
        struct sockaddr_storage addr;
        socklen_t len = sizeof(addr);
        if (getsockname(fd, (struct sockaddr *)&addr, &len) == -1) {
            perror("getsockname");
            exit(1);
        }
        char serv[NI_MAXSERV];
        getnameinfo((struct sockaddr *)&addr, len, NULL, 0, serv, sizeof(serv), NI_NUMERICSERV);
        port = atoi(serv);
        fds[nfds].fd = fd;
        fds[nfds].events = POLLIN;
        nfds++;
    }
    freeaddrinfo(res);
    if (nfds == 0) {
        fprintf(stderr, "gai-server: no address to listen on\n");
        exit(1);
    }
    printf("listening on port %d\n", port);
    for (int i = 0; i < nfds; i++) {
        struct sockaddr_storage addr;
        socklen_t len = sizeof(addr);
        char host[NI_MAXHOST];
        getsockname(fds[i].fd, (struct sockaddr *)&addr, &len);
        getnameinfo((struct sockaddr *)&addr, len, host, sizeof(host), NULL, 0, NI_NUMERICHOST);
        printf("listening on %s (%s)\n", host, addr.ss_family == AF_INET6 ? "IPv6" : "IPv4");
    }

    int served = 0;
    while (served < clients) {
        if (poll(fds, nfds, -1) == -1) {
            perror("poll");
            exit(1);
        }
        for (int i = 0; i < nfds; i++) {
            if (!(fds[i].revents & POLLIN))
                continue;
            struct sockaddr_storage cliaddr;
            socklen_t len = sizeof(cliaddr);
            int connfd = accept(fds[i].fd, (struct sockaddr *)&cliaddr, &len);
            if (connfd == -1) {
                perror("accept");
                exit(1);
            }
            char host[NI_MAXHOST], serv[NI_MAXSERV];
            err = getnameinfo((struct sockaddr *)&cliaddr, len, host, sizeof(host), serv, sizeof(serv),
                              NI_NUMERICHOST | NI_NUMERICSERV);
            if (err != 0) {
                fprintf(stderr, "getnameinfo: %s\n", gai_strerror(err));
                exit(1);
            }
            printf("client %s port %s\n", host, serv);
            int lines = serve(connfd);
            printf("client port %s closed after %d lines\n", serv, lines);
            if (close(connfd) == -1) {
                perror("close");
                exit(1);
            }
            served++;
        }
    }
    for (int i = 0; i < nfds; i++)
        close(fds[i].fd);
    printf("served %d clients\n", served);
    return 0;
}
