/* tcp-client: the TCP client of seeds 001, 002 and 004: socket - connect.
 *
 * usage: tcp-client HOST PORT [MESSAGE...]
 *   HOST is a dotted IPv4 address (127.0.0.1); each MESSAGE is sent as one line.
 *
 * For each MESSAGE it write(2)s the line MESSAGE + '\n', then recv(2)s until the whole line
 * has come back, and prints it. Then it shuts down its sending side, waits for the server
 * to close, and exits. It works with every TCP server sample: tcp-server, tcp-loop-server,
 * tcp-fork-server, tcp-thread-server and select-server.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define MAXLINE 1024

/* A port number from the command line: 0..65535, or -1 if the text is not one. */
static int parse_port(const char *s)
{
    char *end;
    long value = strtol(s, &end, 10);
    if (end == s || *end != '\0' || value < 0 || value > 65535)
        return -1;
    return (int)value;
}

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "tcp-client: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: tcp-client HOST PORT [MESSAGE...]\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (argc < 3)
        usage("takes at least 2 arguments, got %d", argc - 1);
    int port = parse_port(argv[2]);
    if (port < 0)
        usage("PORT must be a number from 0 to 65535, not '%s'", argv[2]);
    /* A message travels as one line: it must not hold a newline and must fit in the line. */
    for (int i = 3; i < argc; i++)
        if (strchr(argv[i], '\n') != NULL || strlen(argv[i]) > MAXLINE - 2)
            usage("MESSAGE %d must be one line of at most %d bytes", i - 2, MAXLINE - 2);

    /* The server's address. inet_pton(3) reports a malformed address (it returns 0), where
     * inet_addr(3) answers INADDR_NONE, which is also the valid address 255.255.255.255. */
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    if (inet_pton(AF_INET, argv[1], &servaddr.sin_addr) != 1)
        usage("HOST must be an IPv4 address such as 127.0.0.1, not '%s'", argv[1]);

    /* 1. socket(2). */
    int sockfd = socket(AF_INET, SOCK_STREAM, 0);
    if (sockfd == -1) {
        perror("socket");
        exit(1);
    }

    /* 2. connect(2): the three-way handshake. A client need not bind(2): connect picks an
     * ephemeral local port. It fails with ECONNREFUSED if nobody listens on that port. */
    if (connect(sockfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
        perror("connect");
        exit(1);
    }
    printf("connected to %s port %d\n", argv[1], port);

    /* 3. One line out with write(2), the echo back with recv(2). */
    char line[MAXLINE];
    for (int i = 3; i < argc; i++) {
        size_t len = strlen(argv[i]);
        memcpy(line, argv[i], len);
        line[len++] = '\n';
        for (size_t off = 0; off < len;) {
            ssize_t n = write(sockfd, line + off, len - off);
            if (n == -1) {
                perror("write");
                exit(1);
            }
            off += n;
        }

        /* The echo may arrive in pieces (TCP keeps no message boundaries): recv until the
         * '\n'. recv returning 0 means the server closed the connection. */
        size_t got = 0;
        while (got == 0 || line[got - 1] != '\n') {
            ssize_t n = recv(sockfd, line + got, sizeof(line) - got, 0);
            if (n == -1) {
                perror("recv");
                exit(1);
            }
            if (n == 0) {
                fprintf(stderr, "tcp-client: the server closed the connection before the echo\n");
                exit(1);
            }
            got += n;
        }
        printf("echo: %.*s\n", (int)(got - 1), line);
    }

    /* 4. shutdown(2) with SHUT_WR: "no more data from me". It sends FIN, so the server's
     * read returns 0, but we can still receive. Waiting for the server's own FIN (recv
     * returns 0) means the server has finished with us before we exit. */
    if (shutdown(sockfd, SHUT_WR) == -1) {
        perror("shutdown");
        exit(1);
    }
    for (;;) {
        ssize_t n = recv(sockfd, line, sizeof(line), 0);
        if (n == -1) {
            perror("recv");
            exit(1);
        }
        if (n == 0)
            break;
    }
    printf("server closed the connection\n");

    /* 5. close(2). */
    if (close(sockfd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
