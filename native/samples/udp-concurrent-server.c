/* udp-concurrent-server: the "UDP 并发服务器" of seed 002: the first datagram of a client
 * plays the part of accept, and a new socket, connect()ed to that client, serves it.
 *
 * usage: udp-concurrent-server PORT CLIENTS
 *   PORT 0 lets the kernel choose; the server exits after serving CLIENTS clients.
 *
 *   sockfd = socket(); bind();
 *   while (1) {
 *       recvfrom(sockfd, &cliaddr);                 like accept: learn who the client is
 *       fork();  child: close(sockfd);
 *                       fd = socket(); connect(fd, &cliaddr);
 *                       while (1) { send(fd); recv(fd); }
 *                       close(fd);
 *   }
 *
 * The new socket gets its own ephemeral port, so the client sees the replies come from a
 * new port and sends the rest there (udp-client does; TFTP works this way). Being
 * connected, the new socket uses send/recv and only receives from its client (see
 * udp-connected), while sockfd stays free for the first datagrams of other clients.
 *
 * This twin does not fork: it runs the child's part itself, so clients are served one
 * after another (the next client's first datagram waits in sockfd's receive queue). The
 * model is the seed's: one new connected socket per client. Partner: udp-client.
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
    fprintf(stderr, "udp-concurrent-server: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: udp-concurrent-server PORT CLIENTS\n");
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

    int sockfd = socket(AF_INET, SOCK_DGRAM, 0);
    if (sockfd == -1) {
        perror("socket");
        exit(1);
    }
    struct sockaddr_in servaddr;
    memset(&servaddr, 0, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    servaddr.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (bind(sockfd, (struct sockaddr *)&servaddr, sizeof(servaddr)) == -1) {
        perror("bind");
        exit(1);
    }
    socklen_t addrlen = sizeof(servaddr);
    if (getsockname(sockfd, (struct sockaddr *)&servaddr, &addrlen) == -1) {
        perror("getsockname");
        exit(1);
    }
    printf("listening on port %d\n", ntohs(servaddr.sin_port));

    for (int served = 0; served < clients; served++) {
        /* The client's first datagram, on the well-known socket: it tells us who the client is. */
        char buf[2048];
        struct sockaddr_in cliaddr;
        addrlen = sizeof(cliaddr);
        ssize_t n = recvfrom(sockfd, buf, sizeof(buf), 0, (struct sockaddr *)&cliaddr, &addrlen);
        if (n == -1) {
            perror("recvfrom");
            exit(1);
        }
        printf("client ip:%s, port:%d\n", inet_ntoa(cliaddr.sin_addr), ntohs(cliaddr.sin_port));

        /* Here the seed forks, and the child goes on. */

        /* A new socket for this client. connect(2) on UDP sends nothing: it binds the socket
         * to an ephemeral port (we did not bind it) and records the client as its only peer. */
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        if (fd == -1) {
            perror("socket");
            exit(1);
        }
        if (connect(fd, (struct sockaddr *)&cliaddr, addrlen) == -1) {
            perror("connect");
            exit(1);
        }
        struct sockaddr_in local;
        socklen_t locallen = sizeof(local);
        if (getsockname(fd, (struct sockaddr *)&local, &locallen) == -1) {
            perror("getsockname");
            exit(1);
        }
        printf("serving it from a new connected socket on port %d\n", ntohs(local.sin_port));

        /* Serve: echo the datagram in hand, then take the next one, until the empty one,
         * which is acknowledged with an empty datagram too. send/recv need no address:
         * the socket is connected. */
        for (;;) {
            if (n == 0) {
                printf("empty datagram: the client is done\n");
                if (send(fd, buf, 0, 0) == -1) {
                    perror("send");
                    exit(1);
                }
                break;
            }
            printf("received: %.*s\n", (int)n, buf);
            if (send(fd, buf, n, 0) == -1) {
                perror("send");
                exit(1);
            }
            n = recv(fd, buf, sizeof(buf), 0);
            if (n == -1) {
                perror("recv");
                exit(1);
            }
        }
        if (close(fd) == -1) {
            perror("close");
            exit(1);
        }
    }

    printf("served %d clients\n", clients);
    if (close(sockfd) == -1) {
        perror("close");
        exit(1);
    }
    return 0;
}
