/* tcp-server: the TCP server of seeds 001, 002 and 004: socket - bind - listen - accept.
 *
 * usage: tcp-server PORT
 *   PORT 0 lets the kernel choose a free port; the first line printed says which.
 *
 * It accepts one client, prints the client's address, and echoes every line the client
 * sends until the client closes its side of the connection. Its partner is tcp-client.
 *
 * The echo protocol: the client write(2)s one line ending in '\n' and waits for it to come
 * back; this server read(2)s the line and sends it back with send(2); the client takes the
 * reply with recv(2). So both pairs appear: write/read one way, send/recv the other.
 * send and recv are write and read with a flags argument; with flags 0 they do the same.
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
    fprintf(stderr, "tcp-server: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: tcp-server PORT\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    /* Line buffered even into a pipe, so that a test reading our output sees each line at once. */
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (argc != 2)
        usage("takes 1 argument, got %d", argc - 1);
    int port = parse_port(argv[1]);
    if (port < 0)
        usage("PORT must be a number from 0 to 65535, not '%s'", argv[1]);

    /* 1. socket(2): a TCP endpoint. It is only a file descriptor: no address, no port yet. */
    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    if (listenfd == -1) {
        perror("socket");
        exit(1);
    }

    /* SO_REUSEADDR (socket(7)): without it, restarting the server on a fixed port fails with
     * EADDRINUSE while connections of the previous run sit in TIME_WAIT (see tcp-states). */
    int on = 1;
    if (setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1) {
        perror("setsockopt");
        exit(1);
    }

    /* 2. bind(2): give the socket our address. sockaddr_in holds the port and the address in
     * network byte order (big endian): htons() converts the port, inet_addr() the dotted quad.
     * The samples stay on loopback; INADDR_ANY would listen on every interface. */
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    servaddr.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (bind(listenfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
        perror("bind");
        exit(1);
    }

    /* 3. listen(2): from active to passive socket. The kernel now completes three-way
     * handshakes on its own and queues the connections; backlog (5, as in the seeds) bounds
     * that queue (see backlog). */
    if (listen(listenfd, 5) == -1) {
        perror("listen");
        exit(1);
    }

    /* With port 0, bind chose the port: getsockname(2) tells which. addrlen is value-result:
     * in, the size of our buffer; out, the size of the address the kernel wrote. */
    socklen_t addrlen = sizeof(servaddr);
    if (getsockname(listenfd, (struct sockaddr *)&servaddr, &addrlen) == -1) {
        perror("getsockname");
        exit(1);
    }
    printf("listening on port %d\n", ntohs(servaddr.sin_port));

    /* 4. accept(2): block until the queue of completed connections holds one, take it off
     * the queue and return a NEW descriptor for it. listenfd keeps listening. */
    struct sockaddr_in cliaddr;
    addrlen = sizeof(cliaddr);
    int connfd = accept(listenfd, (struct sockaddr *)&cliaddr, &addrlen);
    if (connfd == -1) {
        perror("accept");
        exit(1);
    }
    printf("client ip:%s, port:%d\n", inet_ntoa(cliaddr.sin_addr), ntohs(cliaddr.sin_port));

    /* 5. Exchange data on connfd. */
    char line[MAXLINE];
    for (;;) {
        /* TCP is a byte stream, not a stream of messages: one read(2) may return part of a
         * line. Read until the line is complete. Whatever arrives belongs to this line,
         * because the client sends one line and then waits for the echo. */
        size_t len = 0;
        while (len < sizeof(line) && (len == 0 || line[len - 1] != '\n')) {
            ssize_t n = read(connfd, line + len, sizeof(line) - len);
            if (n == -1) {
                perror("read");
                exit(1);
            }
            if (n == 0)
                break; /* end of file: the client sent FIN (shutdown or close) */
            len += n;
        }
        if (len == 0)
            break;

        size_t shown = line[len - 1] == '\n' ? len - 1 : len;
        printf("received: %.*s\n", (int)shown, line);

        /* send(2) on a blocking socket returns once all bytes are queued, unless a signal
         * interrupts it; loop so that a short count is never lost. */
        for (size_t off = 0; off < len;) {
            ssize_t n = send(connfd, line + off, len - off, 0);
            if (n == -1) {
                perror("send");
                exit(1);
            }
            off += n;
        }
    }
    printf("client closed the connection\n");

    /* 6. close(2): our FIN goes out; the client's recv returns 0. */
    if (close(connfd) == -1) {
        perror("close");
        exit(1);
    }
    if (close(listenfd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
