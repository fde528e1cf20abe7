/* gai-client: the client half of gai-server: getaddrinfo(3) turns a name (or a numeric
 * address of either family) and a port into a list of addresses to try, one after another,
 * until a connect succeeds, as the textbooks (and Beej's guide) write it.
 *
 * usage: gai-client HOST PORT [MESSAGE...]
 *   HOST: a name (localhost) or an address (::1, 127.0.0.1); each MESSAGE is sent as a line.
 *
 * hints.ai_family = AF_UNSPEC: IPv6 and IPv4 results alike, in the order getaddrinfo sorts
 * them (RFC 6724). Each attempt is printed, so a refused address shows before the next one.
 * For each MESSAGE the server answers "LENGTH MESSAGE"; the client checks the length with
 * sscanf(3) and prints the reply. Partner: gai-server.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define MAXLINE 1024

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "gai-client: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: gai-client HOST PORT [MESSAGE...]\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (argc < 3)
        usage("takes at least 2 arguments, got %d", argc - 1);

    struct addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    struct addrinfo *res;
    int err = getaddrinfo(argv[1], argv[2], &hints, &res);
    if (err != 0) {
        fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err));
        exit(1);
    }

    int sockfd = -1;
    char host[NI_MAXHOST];
    for (struct addrinfo *p = res; p != NULL; p = p->ai_next) {
        getnameinfo(p->ai_addr, p->ai_addrlen, host, sizeof(host), NULL, 0, NI_NUMERICHOST);
        const char *family = p->ai_family == AF_INET6 ? "IPv6" : "IPv4";
        sockfd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (sockfd == -1) {
            printf("socket(%s): %s\n", family, strerror(errno));
            continue;
        }
        if (connect(sockfd, p->ai_addr, p->ai_addrlen) == -1) {
            printf("connect to %s: %s\n", host, strerror(errno));
            close(sockfd);
            sockfd = -1;
            continue;
        }
        printf("connected to %s port %s (%s)\n", host, argv[2], family);
        break;
    }
    freeaddrinfo(res);
    if (sockfd == -1) {
        fprintf(stderr, "gai-client: could not connect to %s port %s\n", argv[1], argv[2]);
        exit(1);
    }

    char line[MAXLINE];
    char reply[MAXLINE + 32];
    for (int i = 3; i < argc; i++) {
        int len = snprintf(line, sizeof(line), "%s\n", argv[i]);
        if (len >= (int)sizeof(line)) {
            fprintf(stderr, "gai-client: message %d is too long\n", i - 2);
            exit(1);
        }
        if (write(sockfd, line, len) != len) {
            perror("write");
            exit(1);
        }
        size_t got = 0;
        while (got == 0 || reply[got - 1] != '\n') {
            ssize_t n = read(sockfd, reply + got, sizeof(reply) - 1 - got);
            if (n == -1) {
                perror("read");
                exit(1);
            }
            if (n == 0) {
                fprintf(stderr, "gai-client: the server closed the connection\n");
                exit(1);
            }
            got += n;
        }
        reply[got] = '\0';
        reply[strcspn(reply, "\n")] = '\0';
        size_t count;
        if (sscanf(reply, "%zu", &count) != 1 || count != strlen(argv[i])) {
            fprintf(stderr, "gai-client: bad reply: %s\n", reply);
            exit(1);
        }
        printf("reply: %s\n", reply);
    }
    if (close(sockfd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
