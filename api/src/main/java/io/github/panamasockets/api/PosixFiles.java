package io.github.panamasockets.api;

import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.stat;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.github.panamasockets.api.Trace.hex;
import static io.github.panamasockets.api.Trace.num;

/**
 * Files and descriptors: open, lseek, fstat, mkdir, mkstemp, ftruncate, dup3, pipe2, sendfile,
 * splice, memfd_create... under C's names, with C's return values and errno.
 * Reached through {@code import static io.github.panamasockets.api.Posix.*;}.
 *
 * <p>A {@code const char *} path is a Java String: null is C's NULL (EFAULT, as the kernel
 * answers it), and a String holding a NUL, which C could not pass, is refused with EINVAL.
 */
public abstract class PosixFiles extends PosixProcess {
    PosixFiles() {}

    /** open(2)'s flags as strace prints them: the access mode, then the other flags (O_RDWR|O_CREAT|O_EXCL). */
    static String openFlags(int flags) {
        String mode = switch (flags & O_ACCMODE) {
            case O_RDONLY -> "O_RDONLY";
            case O_WRONLY -> "O_WRONLY";
            case O_RDWR -> "O_RDWR";
            default -> String.valueOf(flags & O_ACCMODE);
        };
        int rest = flags & ~O_ACCMODE;
        return rest == 0 ? mode : mode + "|" + Names.flags("O_", rest);
    }

    /** Whether open(2) reads its mode argument: with O_CREAT or O_TMPFILE (strace prints it only then). */
    private static boolean takesMode(int flags) {
        return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
    }

    private static String dirfd(int dirfd) {
        return dirfd == AT_FDCWD ? "AT_FDCWD" : num(dirfd);
    }

    // ---- open, openat, creat --------------------------------------------------------------

    private static final class Openat {
        // openat is variadic: the mode, an int after promotion, is passed always (C's open reads it only with O_CREAT or O_TMPFILE).
        static final MethodHandle H = Link.capturingErrno(sockets_h.openat.address(),
                FunctionDescriptor.of(sockets_h.C_INT, sockets_h.C_INT, sockets_h.C_POINTER, sockets_h.C_INT, sockets_h.C_INT), Linker.Option.firstVariadicArg(3));
    }

    /**
     * {@code int open(const char *pathname, int flags)}, open(2). Returns a descriptor or -1.
     * errno: EACCES, EBUSY, EDQUOT, EEXIST, EFAULT (pathname null), EFBIG, EINTR, EINVAL (also a
     * pathname holding a NUL), EISDIR, ELOOP, EMFILE, ENAMETOOLONG, ENFILE, ENODEV, ENOENT, ENOMEM,
     * ENOSPC, ENOTDIR, ENXIO, EOPNOTSUPP, EOVERFLOW, EPERM, EROFS, ETXTBSY, EWOULDBLOCK.
     * Traced as strace shows glibc's call: {@code openat(AT_FDCWD, "/tmp/f", O_RDONLY) = 3}.
     * Refused by the facade before the call: pathname null -1 EFAULT; a pathname holding a NUL -1 EINVAL (C would open the name cut there); the same for every open, openat and creat.
     */
    public static int open(String pathname, int flags) {
        return openat(AT_FDCWD, pathname, flags, 0, "open");
    }

    /** {@code int open(const char *pathname, int flags, mode_t mode)}, open(2): with O_CREAT or O_TMPFILE, the new file's mode (less the umask). errno as {@link #open(String, int)}. */
    public static int open(String pathname, int flags, int mode) {
        return openat(AT_FDCWD, pathname, flags, mode, "open");
    }

    /** {@code int openat(int dirfd, const char *pathname, int flags)}, openat(2): a relative pathname is taken from dirfd (AT_FDCWD: the working directory). errno: open's, and EBADF, ENOTDIR for dirfd. */
    public static int openat(int dirfd, String pathname, int flags) {
        return openat(dirfd, pathname, flags, 0, "openat");
    }

    /** {@code int openat(int dirfd, const char *pathname, int flags, mode_t mode)}, openat(2). errno as {@link #openat(int, String, int)}. */
    public static int openat(int dirfd, String pathname, int flags, int mode) {
        return openat(dirfd, pathname, flags, mode, "openat");
    }

    /** {@code int creat(const char *pathname, mode_t mode)}, open(2): open with O_CREAT|O_WRONLY|O_TRUNC. errno as {@link #open(String, int)}. */
    public static int creat(String pathname, int mode) {
        return openat(AT_FDCWD, pathname, O_CREAT | O_WRONLY | O_TRUNC, mode, "creat");
    }

    private static int openat(int dirfd, String pathname, int flags, int mode, String call) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        try (Arena arena = Arena.ofConfined()) {
            if (Memory.hasNul(pathname)) r = e.refuse(EINVAL);
            else if (pathname == null) r = e.refuse(EFAULT);
            else r = done(e, (int) Openat.H.invokeExact(e.capture, dirfd, Memory.cString(arena, pathname), flags, mode));
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) {
            if (takesMode(flags)) Trace.log("openat", r, e.errno, dirfd(dirfd), Trace.string(pathname), openFlags(flags), Trace.octal(mode));
            else Trace.log("openat", r, e.errno, dirfd(dirfd), Trace.string(pathname), openFlags(flags));
        }
        return r;
    }

    // ---- lseek, ftruncate, fsync ----------------------------------------------------------

    private static final class Lseek { static final Link.Shared H = Link.shared(sockets_h.lseek$address(), sockets_h.lseek$descriptor()); }

    /**
     * {@code off_t lseek(int fd, off_t offset, int whence)}, lseek(2): whence SEEK_SET, SEEK_CUR,
     * SEEK_END, SEEK_DATA, SEEK_HOLE. Returns the new offset or -1. errno: EBADF, EINVAL (a bad
     * whence, or an offset before the start), ENXIO (SEEK_DATA/SEEK_HOLE past the end), EOVERFLOW,
     * ESPIPE (a pipe, socket or FIFO).
     */
    public static long lseek(int fd, long offset, int whence) {
        ThreadErrno e = ThreadErrno.current();
        long r;
        r = done(e, Link.call(Lseek.H, e.capture, fd, offset, whence));
        if (Trace.on()) Trace.log("lseek", r, e.errno, num(fd), num(offset), Names.value("SEEK_", whence));
        return r;
    }

    private static final class Ftruncate { static final Link.Shared H = Link.shared(sockets_h.ftruncate$address(), sockets_h.ftruncate$descriptor()); }

    /** {@code int ftruncate(int fd, off_t length)}, ftruncate(2). errno: EBADF, EFBIG, EINTR, EINVAL (a negative length, or fd not open for writing or not a regular file), EIO, EPERM, EROFS, ETXTBSY. */
    public static int ftruncate(int fd, long length) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Ftruncate.H, e.capture, fd, length));
        if (Trace.on()) Trace.log("ftruncate", r, e.errno, num(fd), num(length));
        return r;
    }

    private static final class Fsync { static final Link.Shared H = Link.shared(sockets_h.fsync$address(), sockets_h.fsync$descriptor()); }

    /** {@code int fsync(int fd)}, fsync(2). errno: EBADF, EDQUOT, EINTR, EINVAL (a pipe, socket or FIFO), EIO, ENOSPC, EROFS. */
    public static int fsync(int fd) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Fsync.H, e.capture, fd));
        if (Trace.on()) Trace.log("fsync", r, e.errno, num(fd));
        return r;
    }

    // ---- fstat, lstat ---------------------------------------------------------------------

    /** The struct stat stat, fstat and lstat wrote, as strace prints it; never throws (the trace runs after the call). */
    static String statResult(int r, MemorySegment statbuf) {
        if (r != 0 || !Trace.readable(statbuf, stat.sizeof())) return hex(statbuf);
        try {
            int mode = statbuf.get(ValueLayout.JAVA_INT_UNALIGNED, stat.st_mode$offset()); // unaligned: any slice the caller passed
            String type = Names.value("S_IF", mode & S_IFMT);
            return "{st_mode=" + (type.startsWith("S_IF") ? type : Trace.octal(mode & S_IFMT)) + "|" + Trace.octal(mode & 07777)
                    + ", st_size=" + statbuf.get(ValueLayout.JAVA_LONG_UNALIGNED, stat.st_size$offset()) + ", ...}";
        } catch (IllegalStateException closedMeanwhile) {
            return hex(statbuf); // another thread closed its arena after the call
        }
    }

    private static final class Fstat { static final Link.Shared H = Link.shared(sockets_h.fstat$address(), sockets_h.fstat$descriptor()); }

    /**
     * {@code int fstat(int fd, struct stat *statbuf)}, fstat(2): statbuf must hold a struct stat
     * ({@code stat.allocate(arena)}), else EFAULT. errno: EBADF, EFAULT, ENOMEM, EOVERFLOW.
     * Refused by the facade before the call: statbuf not a writable struct stat (a read-only segment included, Java null is NULL) -1 EFAULT.
     */
    public static int fstat(int fd, MemorySegment statbuf) {
        statbuf = Memory.orNull(statbuf); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.writable(statbuf, stat.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Fstat.H, e.capture, fd, statbuf));
        if (Trace.on()) Trace.log("fstat", r, e.errno, num(fd), statResult(r, statbuf));
        return r;
    }

    private static final class Lstat { static final Link.Shared H = Link.shared(sockets_h.lstat$address(), sockets_h.lstat$descriptor()); }

    /**
     * {@code int lstat(const char *pathname, struct stat *statbuf)}, lstat(2): stat of a symbolic
     * link itself. errno: EACCES, EFAULT (statbuf smaller than a struct stat, pathname null),
     * EINVAL (a pathname holding a NUL), ELOOP, ENAMETOOLONG, ENOENT, ENOMEM, ENOTDIR, EOVERFLOW.
     * Refused by the facade before the call: pathname null, or statbuf not a writable struct stat -1 EFAULT; pathname holding a NUL -1 EINVAL.
     */
    public static int lstat(String pathname, MemorySegment statbuf) {
        statbuf = Memory.orNull(statbuf); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        try (Arena arena = Arena.ofConfined()) {
            if (Memory.hasNul(pathname)) r = e.refuse(EINVAL);
            else if (pathname == null || !Memory.writable(statbuf, stat.sizeof())) r = e.refuse(EFAULT);
            else r = done(e, (int) Link.call(Lstat.H, e.capture, Memory.cString(arena, pathname), statbuf));
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.log("lstat", r, e.errno, Trace.string(pathname), statResult(r, statbuf));
        return r;
    }

    // ---- mkdir, chmod, umask, mkfifo ------------------------------------------------------

    private static final class Mkdir { static final Link.Shared H = Link.shared(sockets_h.mkdir$address(), sockets_h.mkdir$descriptor()); }

    /**
     * {@code int mkdir(const char *pathname, mode_t mode)}, mkdir(2). errno: EACCES, EDQUOT, EEXIST, EFAULT (null), EINVAL (a NUL inside), ELOOP, EMLINK, ENAMETOOLONG, ENOENT, ENOMEM, ENOSPC, ENOTDIR, EPERM, EROFS.
     * Refused by the facade before the call: pathname null -1 EFAULT; pathname holding a NUL -1 EINVAL (as for chmod and mkfifo).
     */
    public static int mkdir(String pathname, int mode) {
        return pathCall(Mkdir.H, "mkdir", pathname, mode, Trace.octal(mode));
    }

    private static final class Chmod { static final Link.Shared H = Link.shared(sockets_h.chmod$address(), sockets_h.chmod$descriptor()); }

    /**
     * {@code int chmod(const char *pathname, mode_t mode)}, chmod(2). errno: EACCES, EFAULT (null), EINVAL (a NUL inside), EIO, ELOOP, ENAMETOOLONG, ENOENT, ENOMEM, ENOTDIR, EPERM, EROFS.
     * Refused by the facade before the call: pathname null -1 EFAULT; pathname holding a NUL -1 EINVAL.
     */
    public static int chmod(String pathname, int mode) {
        return pathCall(Chmod.H, "chmod", pathname, mode, Trace.octal(mode));
    }

    private static final class Mkfifo { static final Link.Shared H = Link.shared(sockets_h.mkfifo$address(), sockets_h.mkfifo$descriptor()); }

    /**
     * {@code int mkfifo(const char *pathname, mode_t mode)}, mkfifo(3): a named pipe. errno: EACCES,
     * EDQUOT, EEXIST, EFAULT (null), EINVAL (a NUL inside), ENAMETOOLONG, ENOENT, ENOSPC, ENOTDIR, EROFS.
     * Traced as strace shows glibc's call: {@code mknodat(AT_FDCWD, "/tmp/p", S_IFIFO|0600, 0) = 0}.
     * Refused by the facade before the call: pathname null -1 EFAULT; pathname holding a NUL -1 EINVAL.
     */
    public static int mkfifo(String pathname, int mode) {
        return pathCall(Mkfifo.H, "mkfifo", pathname, mode, "S_IFIFO|" + Trace.octal(mode));
    }

    /** A call of (const char *, mode_t): mkdir, chmod, mkfifo. */
    private static int pathCall(Link.Shared h, String call, String pathname, int mode, String shownMode) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        try (Arena arena = Arena.ofConfined()) {
            if (Memory.hasNul(pathname)) r = e.refuse(EINVAL);
            else if (pathname == null) r = e.refuse(EFAULT);
            else r = done(e, (int) Link.call(h, e.capture, Memory.cString(arena, pathname), mode));
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) {
            if (call.equals("mkfifo")) Trace.log("mknodat", r, e.errno, "AT_FDCWD", Trace.string(pathname), shownMode, "0");
            else Trace.log(call, r, e.errno, Trace.string(pathname), shownMode);
        }
        return r;
    }

    private static final class Umask { static final MethodHandle H = Link.plain(sockets_h.umask$address(), sockets_h.umask$descriptor()); }

    /** {@code mode_t umask(mode_t mask)}, umask(2): sets the process's file mode creation mask, returns the previous one. Never fails. */
    public static int umask(int mask) {
        int r;
        try { r = (int) Umask.H.invokeExact(mask); } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.LOG.debug("umask({}) = {}", Trace.octal(mask), Trace.octal(r));
        return r;
    }

    // ---- mkstemp, memfd_create -----------------------------------------------------------

    private static final class Mkstemp { static final Link.Shared H = Link.shared(sockets_h.mkstemp$address(), sockets_h.mkstemp$descriptor()); }

    /**
     * {@code int mkstemp(char *template)}, mkstemp(3): creates and opens (O_RDWR, mode 0600) a new
     * file named after template, whose last six characters "XXXXXX" it replaces in place.
     * template is a C string in a native segment ({@code arena.allocateFrom("/tmp/name.XXXXXX")});
     * one without a NUL inside the segment gives EFAULT. Returns the descriptor or -1. errno:
     * EEXIST (no unique name found), EINVAL (no trailing XXXXXX), and open(2)'s.
     * Refused by the facade before the call: template not a writable native segment with a NUL inside it -1 EFAULT (mkstemp rewrites it in place).
     */
    public static int mkstemp(MemorySegment template) {
        template = Memory.orNull(template); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.writable(template, 1) || strnlen(template) == template.byteSize()) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Mkstemp.H, e.capture, template));
        if (Trace.on()) Trace.log("openat", r, e.errno, "AT_FDCWD", Trace.readable(template, 1) && strnlen(template) < template.byteSize()
                ? Trace.string(cstring(template)) : hex(template), "O_RDWR|O_CREAT|O_EXCL", "0600");
        return r;
    }

    private static final class MemfdCreate { static final Link.Shared H = Link.shared(sockets_h.memfd_create$address(), sockets_h.memfd_create$descriptor()); }

    /**
     * {@code int memfd_create(const char *name, unsigned int flags)}, memfd_create(2): an anonymous
     * file in memory (flags MFD_CLOEXEC, MFD_ALLOW_SEALING, MFD_HUGETLB...). Returns a descriptor
     * or -1. errno: EFAULT (name null), EINVAL (an unknown flag, a name longer than 249 bytes, or
     * holding a NUL), EMFILE, ENFILE, ENOMEM, EPERM.
     * Refused by the facade before the call: name null -1 EFAULT; name holding a NUL -1 EINVAL.
     */
    public static int memfd_create(String name, int flags) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        try (Arena arena = Arena.ofConfined()) {
            if (Memory.hasNul(name)) r = e.refuse(EINVAL);
            else if (name == null) r = e.refuse(EFAULT);
            else r = done(e, (int) Link.call(MemfdCreate.H, e.capture, Memory.cString(arena, name), flags));
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.log("memfd_create", r, e.errno, Trace.string(name), Names.flags("MFD_", flags));
        return r;
    }

    // ---- dup3, pipe2 ----------------------------------------------------------------------

    private static final class Dup3 { static final Link.Shared H = Link.shared(sockets_h.dup3$address(), sockets_h.dup3$descriptor()); }

    /** {@code int dup3(int oldfd, int newfd, int flags)}, dup3(2): dup2 with O_CLOEXEC. errno: EBADF, EBUSY, EINTR, EINVAL (oldfd == newfd, or a flag other than O_CLOEXEC), EMFILE. */
    public static int dup3(int oldfd, int newfd, int flags) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Dup3.H, e.capture, oldfd, newfd, flags));
        if (Trace.on()) Trace.log("dup3", r, e.errno, num(oldfd), num(newfd), Names.flags("O_", flags));
        return r;
    }

    private static final class Pipe2 { static final Link.Shared H = Link.shared(sockets_h.pipe2$address(), sockets_h.pipe2$descriptor()); }

    /**
     * {@code int pipe2(int pipefd[2], int flags)}, pipe2(2): pipe with O_CLOEXEC, O_NONBLOCK, O_DIRECT. errno: EFAULT (pipefd smaller than two ints), EINVAL (an unknown flag), EMFILE, ENFILE.
     * Refused by the facade before the call: pipefd not two writable ints -1 EFAULT.
     */
    public static int pipe2(MemorySegment pipefd, int flags) {
        pipefd = Memory.orNull(pipefd); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.writable(pipefd, 2L * Integer.BYTES)) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Pipe2.H, e.capture, pipefd, flags));
        if (Trace.on()) Trace.log("pipe2", r, e.errno, r == 0 ? Trace.intPair(pipefd) : hex(pipefd), Names.flags("O_", flags));
        return r;
    }

    // ---- sendfile, splice -----------------------------------------------------------------

    private static String offsetArg(MemorySegment off) {
        return off.equals(MemorySegment.NULL) ? "NULL" : Trace.readable(off, 8) ? "[" + off.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) + "]" : hex(off);
    }

    private static final class Sendfile { static final Link.Shared H = Link.shared(sockets_h.sendfile$address(), sockets_h.sendfile$descriptor()); }

    /**
     * {@code ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)}, sendfile(2):
     * copies from a file to a socket (or any file) in the kernel. offset may be NULL (in_fd's own
     * offset is used and moved) or hold an off_t the call reads and updates. Returns the count
     * copied or -1. errno: EAGAIN, EBADF, EFAULT (offset smaller than an off_t), EINVAL (in_fd
     * cannot be mapped: a socket or pipe), EIO, ENOMEM, EOVERFLOW, ESPIPE, and as write(2) to
     * out_fd: ECONNREFUSED, ECONNRESET, EDESTADDRREQ, ENOTCONN, EPIPE (SIGPIPE is ignored by the JVM).
     * Refused by the facade before the call: offset neither NULL nor a writable off_t -1 EFAULT (the kernel moves it on).
     */
    public static long sendfile(int out_fd, int in_fd, MemorySegment offset, long count) {
        offset = Memory.orNull(offset); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        long r;
        if (!Memory.nullOrWritable(offset, Long.BYTES)) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Sendfile.H, e.capture, out_fd, in_fd, offset, count));
        if (Trace.on()) Trace.log("sendfile", r, e.errno, num(out_fd), num(in_fd), offsetArg(offset), num(count));
        return r;
    }

    private static final class Splice { static final Link.Shared H = Link.shared(sockets_h.splice$address(), sockets_h.splice$descriptor()); }

    /**
     * {@code ssize_t splice(int fd_in, off64_t *off_in, int fd_out, off64_t *off_out, size_t len, unsigned int flags)},
     * splice(2): moves data between a pipe and a descriptor in the kernel. Each offset may be NULL
     * or hold an off_t. flags: SPLICE_F_MOVE, SPLICE_F_NONBLOCK, SPLICE_F_MORE. Returns the count
     * moved, 0 at end of input, or -1. errno: EAGAIN, EBADF, EFAULT (an offset smaller than an
     * off_t), EINVAL (neither is a pipe, an offset given for a pipe, an append-mode target...),
     * ENOMEM, ESPIPE, and as read(2) and write(2) on a socket: ECONNREFUSED, ECONNRESET,
     * EDESTADDRREQ, ENOTCONN, EPIPE.
     * Refused by the facade before the call: off_in or off_out neither NULL nor a writable off_t -1 EFAULT.
     */
    public static long splice(int fd_in, MemorySegment off_in, int fd_out, MemorySegment off_out, long len, int flags) {
        off_in = Memory.orNull(off_in); // Java null is C's NULL
        off_out = Memory.orNull(off_out); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        long r;
        if (!Memory.nullOrWritable(off_in, Long.BYTES) || !Memory.nullOrWritable(off_out, Long.BYTES)) r = e.refuse(EFAULT);
        else r = done(e, Link.call(Splice.H, e.capture, fd_in, off_in, fd_out, off_out, len, flags));
        if (Trace.on()) Trace.log("splice", r, e.errno, num(fd_in), offsetArg(off_in), num(fd_out), offsetArg(off_out), num(len), Names.flags("SPLICE_F_", flags));
        return r;
    }
}
