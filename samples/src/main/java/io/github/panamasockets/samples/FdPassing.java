package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.stat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * fd-passing: a descriptor sent to another process over a unix socketpair, with sendmsg(2)
 * and an SCM_RIGHTS control message (unix(7), cmsg(3)).
 * The Java port of native/samples/fd-passing.c, line for line, fork included.
 *
 * <pre>
 * usage: fd-passing
 * </pre>
 *
 * The parent makes a socketpair and forks; only then it opens a file, so the child cannot
 * have inherited it, and sends the descriptor. The kernel gives the child a new descriptor
 * (another number, perhaps) for the same open file description: the two share the file
 * offset, which the parent sees moved after the child has read.
 *
 * <p>The control buffer is declared in a union with a struct cmsghdr, the textbooks' way to
 * have it aligned as the CMSG_* macros expect; here cmsgBuffer allocates it so aligned.
 */
public final class FdPassing {
    private FdPassing() {}

    /** Sends fd over the unix socket sock, with one byte of data (a control message needs some). */
    static int send_fd(int sock, int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msg = msghdr.allocate(arena);
            memset(msg, 0, sizeof(msg));
            MemorySegment data = arena.allocateFrom(JAVA_BYTE, (byte) 'F');
            MemorySegment iov = iovec.allocate(arena);
            iov_base(iov, data);
            iov_len(iov, 1);
            msg_iov(msg, iov);
            msg_iovlen(msg, 1);
            MemorySegment u = cmsgBuffer(arena, CMSG_SPACE(sizeof(C_INT)));
            memset(u, 0, sizeof(u));
            msg_control(msg, u);
            msg_controllen(msg, sizeof(u));
            MemorySegment cmsg = CMSG_FIRSTHDR(msg);
            cmsg_level(cmsg, SOL_SOCKET);
            cmsg_type(cmsg, SCM_RIGHTS);
            cmsg_len(cmsg, CMSG_LEN(sizeof(C_INT)));
            CMSG_DATA(cmsg).set(C_INT, 0, fd);
            return sendmsg(sock, msg, 0) == 1 ? 0 : -1;
        }
    }

    /** The descriptor that came over sock, or -1. */
    static int recv_fd(int sock) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msg = msghdr.allocate(arena);
            memset(msg, 0, sizeof(msg));
            MemorySegment data = arena.allocate(JAVA_BYTE);
            MemorySegment iov = iovec.allocate(arena);
            iov_base(iov, data);
            iov_len(iov, 1);
            msg_iov(msg, iov);
            msg_iovlen(msg, 1);
            MemorySegment u = cmsgBuffer(arena, CMSG_SPACE(sizeof(C_INT)));
            msg_control(msg, u);
            msg_controllen(msg, sizeof(u));
            if (recvmsg(sock, msg, 0) != 1) {
                perror("recvmsg");
                return -1;
            }
            MemorySegment cmsg = CMSG_FIRSTHDR(msg);
            if (cmsg.equals(MemorySegment.NULL) || cmsg_level(cmsg) != SOL_SOCKET || cmsg_type(cmsg) != SCM_RIGHTS) {
                fprintf(stderr, "fd-passing: no SCM_RIGHTS message came\n");
                return -1;
            }
            return CMSG_DATA(cmsg).get(C_INT, 0);
        }
    }

    /** The child: receive the descriptor, read from the start of its file. */
    static int child(int sock) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = recv_fd(sock);
            if (fd == -1)
                return 1;
            MemorySegment st = stat.allocate(arena);
            if (fstat(fd, st) == -1) {
                perror("fstat");
                return 1;
            }
            printf("child: received a descriptor: %s, %ld bytes\n", (stat.st_mode(st) & S_IFMT) == S_IFREG ? "a regular file" : "not a file", stat.st_size(st));
            if (lseek(fd, 0, SEEK_SET) == -1) {
                perror("lseek");
                return 1;
            }
            MemorySegment buf = arena.allocate(16);
            long n = read(fd, buf, 8);
            if (n == -1) {
                perror("read");
                return 1;
            }
            buf.set(JAVA_BYTE, n, (byte) '\0');
            printf("child: read %zd bytes from the start: \"%s\"\n", n, buf);
            close(fd);
            close(sock);
            return 0;
        }
    }

    /** A wrong command line: what is wrong, then the usage line, on stderr; exit status 2 (the C twin's usage). */
    static void usage(String format, Object... args) {
        fprintf(stderr, "fd-passing: " + format + "\nusage: fd-passing\n", args);
        exit(2);
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0)
                usage("takes no arguments, got %d", args.length);

            MemorySegment sv = arena.allocate(C_INT, 2);
            if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1) {
                perror("socketpair");
                exit(1);
            }
            int sv0 = sv.getAtIndex(C_INT, 0), sv1 = sv.getAtIndex(C_INT, 1); /* the block captures ints: a segment does not travel */
            int pid = fork(() -> {
                close(sv0);
                exit(child(sv1));
            });
            if (pid == -1) {
                perror("fork");
                exit(1);
            }
            close(sv.getAtIndex(C_INT, 1));

            /* Opened after fork(): the child has no copy of this descriptor. The file has no name
             * once unlinked; it lives as long as a descriptor refers to it. */
            MemorySegment path = arena.allocateFrom("/tmp/fd-passing.XXXXXX");
            int fd = mkstemp(path);
            if (fd == -1) {
                perror("mkstemp");
                exit(1);
            }
            unlink(cstring(path));
            MemorySegment text = arena.allocate(64);
            int len = snprintf(text, sizeof(text), "%s\n", "passed along by the parent");
            if (write(fd, text, len) != len) {
                perror("write");
                exit(1);
            }
            printf("parent: wrote %d bytes to a new file, offset now %ld\n", len, lseek(fd, 0, SEEK_CUR));
            printf("parent: sending its descriptor to the child\n");
            if (send_fd(sv.getAtIndex(C_INT, 0), fd) == -1) {
                perror("sendmsg");
                exit(1);
            }

            MemorySegment status = arena.allocate(C_INT);
            if (waitpid(pid, status, 0) == -1) {
                perror("waitpid");
                exit(1);
            }
            if (!WIFEXITED(status.get(C_INT, 0)) || WEXITSTATUS(status.get(C_INT, 0)) != 0) {
                fprintf(stderr, "fd-passing: the child failed\n");
                exit(1);
            }
            printf("parent: the child is done; the offset is now %ld: the child's read moved it\n", lseek(fd, 0, SEEK_CUR));
            close(fd);
            close(sv.getAtIndex(C_INT, 0));
        }
    }
}
