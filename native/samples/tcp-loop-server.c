/* tcp-loop-server: the iterative ("循环") TCP server of seed 002.
 *
 * usage: tcp-loop-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server exits after serving CLIENTS clients.
 *
 *   listenfd = socket(); bind(); listen();
 *   while (1) {
 *       connfd = accept();                      blocks
 *       while (1) { recv(); send(); }           until recv returns 0
 *       close(connfd);
 *   }
 *
 * One client at a time: while it serves one, the next ones wait in the listen queue
 * (their connect has already succeeded: the kernel did the handshake). Partner: tcp-client.
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
    fprintf(stderr, "tcp-loop-server: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: tcp-loop-server PORT CLIENTS\n");
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

    for (int served = 0; served < clients; served++) {
        /* accept(2) blocks until a client's handshake has completed. */
        struct sockaddr_in cliaddr;
        addrlen = sizeof(cliaddr); /* value-result: reset before every call */
        int connfd = accept(listenfd, (struct sockaddr *)&cliaddr, &addrlen);
        if (connfd == -1) {
            perror("accept");
            exit(1);
        }
        printf("client ip:%s, port:%d\n", inet_ntoa(cliaddr.sin_addr), ntohs(cliaddr.sin_port));

        /* Echo whatever arrives, in the pieces it arrives in, until recv(2) returns 0: the
         * client has sent FIN (close or shutdown). The server does not care about lines. */
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
        printf("client port:%d closed, %ld bytes echoed\n", ntohs(cliaddr.sin_port), echoed);
        if (close(connfd) == -1) {
            perror("close");
            exit(1);
        }
    }

    printf("served %d clients\n", clients);
    if (close(listenfd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
