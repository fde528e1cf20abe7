package io.github.panamasockets.api;

import io.github.panamasockets.bindings.stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file calls: exact results and errnos, success and failure, on files in a directory of the test's own. */
@ExtendWith(NoLeaks.class)
class FilesTest {
    Path dir;
    Arena arena;
    int oldMask;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("psock-test-");
        arena = Arena.ofConfined();
        oldMask = umask(022);
    }

    @AfterEach
    void tearDown() throws IOException {
        umask(oldMask);
        arena.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    String path(String name) {
        return dir.resolve(name).toString();
    }

    int mode(String path) {
        MemorySegment st = stat.allocate(arena);
        ok("lstat", lstat(path, st));
        return stat.st_mode(st);
    }

    long size(int fd) {
        MemorySegment st = stat.allocate(arena);
        ok("fstat", fstat(fd, st));
        return stat.st_size(st);
    }

    MemorySegment text(String s) {
        return arena.allocateFrom(s);
    }

    String readBack(int fd, int n) {
        MemorySegment buf = arena.allocate(n);
        assertEquals(n, read(fd, buf, n));
        return SocketBehaviourTest.text(buf, n);
    }

    @Test
    void openCreatesReadsWritesSeeksAndTruncates() {
        String f = path("file");
        int fd = ok("open", open(f, O_CREAT | O_EXCL | O_RDWR, 0666));
        try {
            assertEquals(S_IFREG | 0644, mode(f), "0666 less the umask 022");
            assertEquals(5, write(fd, text("hello"), 5));
            assertEquals(5, lseek(fd, 0, SEEK_CUR));
            assertEquals(0, lseek(fd, 0, SEEK_SET));
            assertEquals("hello", readBack(fd, 5));
            assertEquals(3, lseek(fd, -2, SEEK_END));
            assertFails(EINVAL, lseek(fd, -1, SEEK_SET), "lseek before the start");
            assertFails(EINVAL, lseek(fd, 0, 99), "lseek with a bad whence");
            assertEquals(0, ftruncate(fd, 2));
            assertEquals(2, size(fd));
            assertFails(EINVAL, ftruncate(fd, -1), "ftruncate to -1");
            assertEquals(0, fsync(fd));
            assertFails(EEXIST, open(f, O_CREAT | O_EXCL | O_RDWR, 0600), "O_EXCL on an existing file");
        } finally {
            close(fd);
        }
        int ro = ok("open", open(f, O_RDONLY));
        try {
            assertFails(EBADF, write(ro, text("x"), 1), "write to O_RDONLY");
            assertFails(EINVAL, ftruncate(ro, 0), "ftruncate of O_RDONLY");
        } finally {
            close(ro);
        }
        int c = ok("creat", creat(path("created"), 0600));
        assertEquals(S_IFREG | 0600, mode(path("created")));
        int accmode = fcntl(c, F_GETFL) & O_ACCMODE;
        close(c);
        assertEquals(O_WRONLY, accmode);
    }

    @Test
    void openRefusesWhatCCouldNotPass() {
        assertFails(ENOENT, open(path("missing"), O_RDONLY), "open of a missing file");
        assertFails(EFAULT, open(null, O_RDONLY), "open(NULL)");
        assertFails(EINVAL, open(dir + "/a\0b", O_RDONLY), "a path with a NUL inside");
        assertFails(EISDIR, open(dir.toString(), O_WRONLY), "open a directory for writing");
        close(ok("creat", creat(path("plain"), 0600)));
        assertFails(ENOTDIR, open(path("plain") + "/x", O_RDONLY), "a file used as a directory");
    }

    @Test
    void openatTakesRelativePathsFromItsDirectory() {
        int d = ok("open dir", open(dir.toString(), O_RDONLY | O_DIRECTORY));
        try {
            int fd = ok("openat", openat(d, "rel", O_CREAT | O_WRONLY, 0600));
            close(fd);
            assertEquals(S_IFREG | 0600, mode(path("rel")));
            fd = ok("openat AT_FDCWD", openat(AT_FDCWD, path("rel"), O_RDONLY));
            close(fd);
            assertFails(EBADF, openat(closedFd(), "rel", O_RDONLY), "openat with a closed dirfd");
            int file = ok("open", open(path("rel"), O_RDONLY));
            assertFails(ENOTDIR, openat(file, "x", O_RDONLY), "openat relative to a file");
            close(file);
        } finally {
            close(d);
        }
    }

    @Test
    void mkdirChmodMkfifoAndLstat() throws IOException {
        assertEquals(0, mkdir(path("sub"), 0777));
        assertEquals(S_IFDIR | 0755, mode(path("sub")));
        assertFails(EEXIST, mkdir(path("sub"), 0700), "mkdir again");
        assertFails(ENOENT, mkdir(path("no/sub"), 0700), "mkdir under a missing directory");
        assertEquals(0, chmod(path("sub"), 0750));
        assertEquals(S_IFDIR | 0750, mode(path("sub")));
        assertFails(ENOENT, chmod(path("missing"), 0600), "chmod of a missing file");
        assertFails(EINVAL, chmod(dir + "/sub\0", 0600), "chmod of a path with a NUL");
        assertFails(EFAULT, mkdir(null, 0700), "mkdir(NULL)");

        assertEquals(0, mkfifo(path("fifo"), 0600));
        assertEquals(S_IFIFO | 0600, mode(path("fifo")));
        assertFails(EEXIST, mkfifo(path("fifo"), 0600), "mkfifo again");

        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("sub"));
        assertEquals(S_IFLNK, mode(path("link")) & S_IFMT);
        assertFails(ENOENT, lstat(path("missing"), stat.allocate(arena)), "lstat of a missing file");
        assertFails(EFAULT, lstat(path("link"), arena.allocate(stat.sizeof() - 1)), "lstat into a short buffer");
    }

    @Test
    void umaskReturnsThePreviousMask() {
        assertEquals(022, umask(077));
        assertEquals(077, umask(022));
        int fd = ok("open", open(path("masked"), O_CREAT | O_WRONLY, 0777));
        close(fd);
        assertEquals(S_IFREG | 0755, mode(path("masked")));
    }

    @Test
    void mkstempReplacesTheXsAndOpensTheFile() {
        MemorySegment template = arena.allocateFrom(path("tmp.XXXXXX"));
        int fd = ok("mkstemp", mkstemp(template));
        try {
            String name = cstring(template);
            assertTrue(name.matches(".*/tmp\\.[A-Za-z0-9]{6}") && !name.endsWith("XXXXXX"), name);
            assertEquals(S_IFREG | 0600, mode(name));
            assertEquals(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
        } finally {
            close(fd);
        }
        assertFails(EINVAL, mkstemp(arena.allocateFrom(path("no-xs"))), "mkstemp without XXXXXX");
        MemorySegment unterminated = arena.allocate(8).fill((byte) 'X');
        assertFails(EFAULT, mkstemp(unterminated), "a template with no NUL in its segment");
    }

    @Test
    void memfdCreateGivesAFileInMemory() {
        int fd = ok("memfd_create", memfd_create("psock", MFD_CLOEXEC));
        try {
            assertEquals("/memfd:psock (deleted)", Fork.target(fd));
            assertEquals(FD_CLOEXEC, fcntl(fd, F_GETFD));
            assertEquals(4, write(fd, text("data"), 4));
            assertEquals(4, size(fd));
        } finally {
            close(fd);
        }
        assertFails(EINVAL, memfd_create("psock", 0x40000000), "memfd_create with an unknown flag");
        assertFails(EINVAL, memfd_create("x".repeat(250), 0), "a name longer than 249 bytes");
        assertFails(EFAULT, memfd_create(null, 0), "memfd_create(NULL)");
    }

    @Test
    void dup3AndPipe2TakeTheirFlags() {
        int[] p = pipe();
        try {
            assertFails(EINVAL, dup3(p[0], p[0], 0), "dup3 onto itself");
            assertFails(EINVAL, dup3(p[0], closedFd(), O_NONBLOCK), "dup3 with a flag other than O_CLOEXEC");
            int target = closedFd();
            assertEquals(target, dup3(p[0], target, O_CLOEXEC));
            assertEquals(FD_CLOEXEC, fcntl(target, F_GETFD));
            close(target);
            assertFails(EBADF, dup3(closedFd(), p[1], 0), "dup3 of a closed descriptor");
        } finally {
            closeAll(p);
        }
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        ok("pipe2", pipe2(fds, O_NONBLOCK | O_CLOEXEC));
        int r = fds.getAtIndex(ValueLayout.JAVA_INT, 0), w = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        try {
            assertFails(EAGAIN, read(r, arena.allocate(1), 1), "read of an empty O_NONBLOCK pipe");
            assertEquals(FD_CLOEXEC, fcntl(w, F_GETFD));
            assertFails(ESPIPE, lseek(r, 0, SEEK_SET), "lseek on a pipe");
        } finally {
            closeAll(r, w);
        }
        assertFails(EFAULT, pipe2(arena.allocate(4), 0), "pipe2 into one int");
        assertFails(EFAULT, pipe2(null, 0), "pipe2(NULL): Java's null is C's NULL");
        assertFails(EFAULT, fstat(0, null), "fstat into NULL");
        assertFails(EFAULT, mkstemp(null), "mkstemp(NULL)");
        assertFails(EINVAL, pipe2(fds, 0x10), "pipe2 with an unknown flag");
    }

    @Test
    void sendfileAndSpliceMoveBytesInTheKernel() {
        int file = ok("open", open(path("data"), O_CREAT | O_RDWR, 0600));
        int[] sv = socketpair(SOCK_STREAM);
        int[] p = pipe();
        try {
            assertEquals(11, write(file, text("hello world"), 11));
            MemorySegment offset = arena.allocateFrom(ValueLayout.JAVA_LONG, 6);
            assertEquals(5, sendfile(sv[0], file, offset, 5));
            assertEquals(11, offset.get(ValueLayout.JAVA_LONG, 0), "the offset moves past what was sent");
            assertEquals(11, lseek(file, 0, SEEK_CUR), "and the file's own offset does not");
            assertEquals("world", readBack(sv[1], 5));
            assertEquals(0, lseek(file, 0, SEEK_SET));
            assertEquals(2, sendfile(sv[0], file, null, 2), "a null offset: NULL, the file's own offset is used");
            assertEquals(2, lseek(file, 0, SEEK_CUR));
            assertEquals("he", readBack(sv[1], 2));
            assertEquals(11, lseek(file, 0, SEEK_END));
            assertFails(EFAULT, sendfile(sv[0], file, arena.allocate(4), 5), "an offset smaller than off_t");
            assertFails(EBADF, sendfile(sv[0], closedFd(), MemorySegment.NULL, 5), "sendfile from a closed descriptor");

            assertEquals(3, write(p[1], text("abc"), 3));
            MemorySegment at = arena.allocateFrom(ValueLayout.JAVA_LONG, 0);
            assertEquals(3, splice(p[0], MemorySegment.NULL, file, at, 3, 0));
            assertEquals(3, at.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0, lseek(file, 0, SEEK_SET));
            assertEquals("abclo world", readBack(file, 11));
            assertFails(EINVAL, splice(file, MemorySegment.NULL, sv[0], MemorySegment.NULL, 3, 0), "splice with no pipe on either side");
            assertFails(EFAULT, splice(p[0], arena.allocate(2), file, MemorySegment.NULL, 3, 0), "a short off_in");
            assertNotEquals(-1, file);
        } finally {
            closeAll(file, sv[0], sv[1], p[0], p[1]);
        }
    }
}
