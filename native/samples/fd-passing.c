/* fd-passing: a descriptor sent to another process over a unix socketpair, with sendmsg(2)
 * and an SCM_RIGHTS control message (unix(7), cmsg(3)).
 *
 * usage: fd-passing
 *
 * The parent makes a socketpair and forks; only then it opens a file, so the child cannot
 * have inherited it, and sends the descriptor. The kernel gives the child a new descriptor
 * (another number, perhaps) for the same open file description: the two share the file
 * offset, which the parent sees moved after the child has read.
 *
 * The control buffer is declared in a union with a struct cmsghdr, the textbooks' way to
 * have it aligned as the CMSG_* macros expect.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Sends fd over the unix socket sock, with one byte of data (a control message needs some). */
static int send_fd(int sock, int fd)
{
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    char data = 'F';
    struct iovec iov;
    iov.iov_base = &data;
    iov.iov_len = 1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof(u));
    msg.msg_control = u.buf;
    msg.msg_controllen = sizeof(u.buf);
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    *((int *)CMSG_DATA(cmsg)) = fd;
    return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* The descriptor that came over sock, or -1. */
static int recv_fd(int sock)
{
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    char data;
    struct iovec iov;
    iov.iov_base = &data;
    iov.iov_len = 1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    msg.msg_control = u.buf;
    msg.msg_controllen = sizeof(u.buf);
    if (recvmsg(sock, &msg, 0) != 1) {
        perror("recvmsg");
        return -1;
    }
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) {
        fprintf(stderr, "fd-passing: no SCM_RIGHTS message came\n");
        return -1;
    }
    return *((int *)CMSG_DATA(cmsg));
}

/* The child: receive the descriptor, read from the start of its file. */
static int child(int sock)
{
    int fd = recv_fd(sock);
    if (fd == -1)
        return 1;
    struct stat st;
    if (fstat(fd, &st) == -1) {
        perror("fstat");
        return 1;
    }
    printf("child: received a descriptor: %s, %ld bytes\n", S_ISREG(st.st_mode) ? "a regular file" : "not a file", (long)st.st_size);
    if (lseek(fd, 0, SEEK_SET) == -1) {
        perror("lseek");
        return 1;
    }
    char buf[16];
    ssize_t n = read(fd, buf, 8);
    if (n == -1) {
        perror("read");
        return 1;
    }
    buf[n] = '\0';
    printf("child: read %zd bytes from the start: \"%s\"\n", n, buf);
    close(fd);
    close(sock);
    return 0;
}

/* A wrong command line: what is wrong, then the usage line, on stderr; exit status 2. */
static void usage(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fprintf(stderr, "fd-passing: ");
    vfprintf(stderr, format, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: fd-passing\n");
    exit(2);
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    (void)argv;
    if (argc != 1)
        usage("takes no arguments, got %d", argc - 1);

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1) {
        perror("socketpair");
        exit(1);
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        exit(child(sv[1]));
    }
    if (pid == -1) {
        perror("fork");
        exit(1);
    }
    close(sv[1]);

    /* Opened after fork(): the child has no copy of this descriptor. The file has no name
     * once unlinked; it lives as long as a descriptor refers to it. */
    char path[] = "/tmp/fd-passing.XXXXXX";
    int fd = mkstemp(path);
    if (fd == -1) {
        perror("mkstemp");
        exit(1);
    }
    unlink(path);
    char text[64];
    int len = snprintf(text, sizeof(text), "%s\n", "passed along by the parent");
    if (write(fd, text, len) != len) {
        perror("write");
        exit(1);
    }
    printf("parent: wrote %d bytes to a new file, offset now %ld\n", len, (long)lseek(fd, 0, SEEK_CUR));
    printf("parent: sending its descriptor to the child\n");
    if (send_fd(sv[0], fd) == -1) {
        perror("sendmsg");
        exit(1);
    }

    int status;
    if (waitpid(pid, &status, 0) == -1) {
        perror("waitpid");
        exit(1);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "fd-passing: the child failed\n");
        exit(1);
    }
    printf("parent: the child is done; the offset is now %ld: the child's read moved it\n", (long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    close(sv[0]);
    return 0;
}
