package io.github.panamasockets.api;

import io.github.panamasockets.bindings.passwd;
import io.github.panamasockets.bindings.rlimit;
import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.utsname;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.github.panamasockets.api.Trace.hex;
import static io.github.panamasockets.api.Trace.num;

/**
 * Processes and who runs them: fork as close to C's as a JVM allows, the ids, process groups and
 * sessions, getpwnam, resource limits, sysconf, uname, and syscall for the calls C tests reach by
 * number. Reached through {@code import static io.github.panamasockets.api.Posix.*;}.
 */
public abstract class PosixProcess extends PosixStructs {
    PosixProcess() {}

    /**
     * {@code pid_t fork(void)}, fork(2), as a JVM can have it: C's
     * <pre>{@code if ((pid = fork()) == 0) { close(listenfd); exit(serve(connfd)); }}</pre>
     * is {@code int pid = fork(() -> { close(listenfd); exit(serve(connfd)); });} here. Returns
     * the child's pid in the parent, or -1 and errno; the block runs only in the child.
     *
     * <p>A JVM cannot fork itself (the copy would hold only the calling thread, and the locks its
     * GC and compiler threads held, forever), so the child is a fresh JVM, started with
     * posix_spawn(3): the same java, the same JVM options (without agents, debugger, -Xlog and
     * flight recordings; with the slf4j settings of now, so a traced parent has traced children), the same class and module path and environment, the same working
     * directory. What it shares with a forked C child:
     * <ul>
     * <li>descriptors: exactly the caller's, at the same numbers, sharing offsets and sockets,
     *     those marked close-on-exec excepted (as C's after exec). The JVM's own files (its module
     *     image and jars, the JDK's /dev/random and /dev/urandom) are marked close-on-exec first,
     *     so they do not reach the child, as they would not in C (the child JVM opens its own);
     * <li>the values the block captures: the block is serialized, so ints, Strings and
     *     serializable objects travel, as copies;
     * <li>its exit status: {@code exit(n)} in the block, 0 when the block returns, 1 when it
     *     throws (the stack trace on stderr), 127 when the child cannot read the block back;
     *     waitpid(2) and {@link #WEXITSTATUS} see it.
     * </ul>
     * What does not travel: memory. A captured MemorySegment (or Arena, or Thread) is not
     * serializable, and fork refuses the block; the child's statics start afresh; no thread
     * but the one running the block exists in the child (as in C). Output the caller printed
     * is flushed before the child starts, so it is not duplicated nor reordered.
     *
     * <p>errno: EINVAL (a null block, or one that captured something not serializable; nothing
     * is started), and posix_spawn's: E2BIG (the serialized block, with the command line, over
     * the kernel's argument limit), EAGAIN (RLIMIT_NPROC reached), ENOMEM, and those of
     * execve(2) for the java binary (EACCES, ENOENT...). Traced as {@code fork() = 12345}; strace
     * shows the clone and execve beneath it.
     */
    public static int fork(ForkBlock block) {
        ThreadErrno e = ThreadErrno.current();
        byte[] serialized = block == null ? null : Fork.serialize(block);
        int r;
        if (serialized == null) r = e.refuse(EINVAL);
        else {
            System.out.flush(); // as a C program's stdio buffers must be flushed before fork
            System.err.flush();
            r = Fork.spawn(Fork.command(serialized));
            if (r < 0) r = e.refuse(-r);
        }
        if (Trace.on()) Trace.log("fork", r, e.errno);
        TraceTasks.started(r); // after its line: the line that starts a child is the parent's alone
        return r;
    }

    // ---- ids: they never fail ---------------------------------------------------------------

    private static final class Gettid { static final MethodHandle H = Link.plain(sockets_h.gettid$address(), sockets_h.gettid$descriptor()); }
    private static final class Getuid { static final MethodHandle H = Link.plain(sockets_h.getuid$address(), sockets_h.getuid$descriptor()); }
    private static final class Geteuid { static final MethodHandle H = Link.plain(sockets_h.geteuid$address(), sockets_h.geteuid$descriptor()); }
    private static final class Getgid { static final MethodHandle H = Link.plain(sockets_h.getgid$address(), sockets_h.getgid$descriptor()); }
    private static final class Getegid { static final MethodHandle H = Link.plain(sockets_h.getegid$address(), sockets_h.getegid$descriptor()); }

    private static int id(MethodHandle h, String call) {
        int r;
        try { r = (int) h.invokeExact(); } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.log(call, r, 0);
        return r;
    }

    /** {@code pid_t gettid(void)}, gettid(2): the calling thread's kernel id (the process's pid on its main thread). Never fails. */
    public static int gettid() { return id(Gettid.H, "gettid"); }

    /** {@code uid_t getuid(void)}, getuid(2): the real user id (uid_t, unsigned: compare with {@link Integer#toUnsignedLong}). Never fails. */
    public static int getuid() { return id(Getuid.H, "getuid"); }

    /** {@code uid_t geteuid(void)}, getuid(2): the effective user id; 0 is root. Never fails. */
    public static int geteuid() { return id(Geteuid.H, "geteuid"); }

    /** {@code gid_t getgid(void)}, getgid(2): the real group id. Never fails. */
    public static int getgid() { return id(Getgid.H, "getgid"); }

    /** {@code gid_t getegid(void)}, getgid(2): the effective group id. Never fails. */
    public static int getegid() { return id(Getegid.H, "getegid"); }

    private static final class Seteuid { static final Link.Shared H = Link.shared(sockets_h.seteuid$address(), sockets_h.seteuid$descriptor()); }

    /**
     * {@code int seteuid(uid_t euid)}, seteuid(2). Changes the effective user id of every thread of
     * the process, the JVM's included (glibc applies it to all threads). errno: EINVAL (euid -1),
     * EPERM (not privileged, and euid is neither the real nor the saved id).
     */
    public static int seteuid(int euid) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Seteuid.H, e.capture, euid));
        if (Trace.on()) Trace.log("setresuid", r, e.errno, "-1", num(euid), "-1");
        return r;
    }

    private static final class Setegid { static final Link.Shared H = Link.shared(sockets_h.setegid$address(), sockets_h.setegid$descriptor()); }

    /** {@code int setegid(gid_t egid)}, seteuid(2): as {@link #seteuid} for the group. errno: EINVAL (egid -1), EPERM. */
    public static int setegid(int egid) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Setegid.H, e.capture, egid));
        if (Trace.on()) Trace.log("setresgid", r, e.errno, "-1", num(egid), "-1");
        return r;
    }

    // ---- process groups and sessions ------------------------------------------------------

    private static final class Setpgid { static final Link.Shared H = Link.shared(sockets_h.setpgid$address(), sockets_h.setpgid$descriptor()); }

    /** {@code int setpgid(pid_t pid, pid_t pgid)}, setpgid(2); 0 for either means the caller. errno: EACCES (a child that has exec'd), EINVAL (pgid &lt; 0), EPERM (a session leader, or another session's group), ESRCH (not the caller nor its child). */
    public static int setpgid(int pid, int pgid) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Setpgid.H, e.capture, pid, pgid));
        if (Trace.on()) Trace.log("setpgid", r, e.errno, num(pid), num(pgid));
        return r;
    }

    private static final class Getpgid { static final Link.Shared H = Link.shared(sockets_h.getpgid$address(), sockets_h.getpgid$descriptor()); }

    /** {@code pid_t getpgid(pid_t pid)}, setpgid(2): pid's process group (0: the caller's). errno: ESRCH. */
    public static int getpgid(int pid) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Getpgid.H, e.capture, pid));
        if (Trace.on()) Trace.log("getpgid", r, e.errno, num(pid));
        return r;
    }

    private static final class Setsid { static final Link.Shared H = Link.shared(sockets_h.setsid$address(), sockets_h.setsid$descriptor()); }

    /** {@code pid_t setsid(void)}, setsid(2): a new session and group led by the caller; the new session id, or -1. errno: EPERM (the caller already leads a process group). */
    public static int setsid() {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Setsid.H, e.capture));
        if (Trace.on()) Trace.log("setsid", r, e.errno);
        return r;
    }

    // ---- getpwnam -------------------------------------------------------------------------

    private static final class Getpwnam { static final MethodHandle H = Link.capturingErrno(sockets_h.getpwnam$address(), sockets_h.getpwnam$descriptor()); }

    /**
     * {@code struct passwd *getpwnam(const char *name)}, getpwnam(3): the user's entry, a struct
     * passwd ({@link #pw_name}, {@link #pw_uid}, {@link #pw_dir}...) in glibc's static storage,
     * which the next getpwnam overwrites, as in C; or NULL. As in C, NULL with errno unchanged
     * means no such user: set {@code errno(0)} before and look after. errno: EFAULT (name null),
     * EINVAL (a name holding a NUL), EINTR, EIO, EMFILE, ENFILE, ENOMEM, ERANGE.
     * Refused by the facade before the call: name null, NULL with errno EFAULT; name holding a NUL, NULL with errno EINVAL.
     */
    public static MemorySegment getpwnam(String name) {
        ThreadErrno e = ThreadErrno.current();
        MemorySegment r;
        try (Arena arena = Arena.ofConfined()) {
            if (Memory.hasNul(name) || name == null) {
                e.refuse(name == null ? EFAULT : EINVAL);
                r = MemorySegment.NULL;
            } else {
                MemorySegment n = Memory.cString(arena, name);
                MethodHandle h = Getpwnam.H; // before errno is set: the holder's first load may leave an errno of its own (ENOENT)
                RealErrno.set(e.errno); // what C's "errno = 0" before the call left
                r = (MemorySegment) h.invokeExact(e.capture, n);
                if (r.equals(MemorySegment.NULL)) e.tookCaptured();
                else r = r.reinterpret(passwd.sizeof());
            }
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.LOG.debug("getpwnam({}) = {}", Trace.string(name), r.equals(MemorySegment.NULL)
                ? "NULL" + (e.errno != 0 ? " " + Errors.name(e.errno) + " (" + Errors.message(e.errno) + ")" : "")
                : "{pw_name=" + Trace.string(pw_name(r)) + ", pw_uid=" + pw_uid(r) + ", pw_dir=" + Trace.string(pw_dir(r)) + ", ...}");
        return r;
    }

    private static String string(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? null : p.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    /** {@code pw->pw_name}, as a String. */
    public static String pw_name(MemorySegment pw) { return string(passwd.pw_name(pw)); }

    /** {@code pw->pw_passwd}, as a String ("x": the hash lives in /etc/shadow). */
    public static String pw_passwd(MemorySegment pw) { return string(passwd.pw_passwd(pw)); }

    /** {@code pw->pw_uid}. */
    public static int pw_uid(MemorySegment pw) { return passwd.pw_uid(pw); }

    /** {@code pw->pw_gid}. */
    public static int pw_gid(MemorySegment pw) { return passwd.pw_gid(pw); }

    /** {@code pw->pw_gecos}, as a String. */
    public static String pw_gecos(MemorySegment pw) { return string(passwd.pw_gecos(pw)); }

    /** {@code pw->pw_dir}, the home directory, as a String. */
    public static String pw_dir(MemorySegment pw) { return string(passwd.pw_dir(pw)); }

    /** {@code pw->pw_shell}, as a String. */
    public static String pw_shell(MemorySegment pw) { return string(passwd.pw_shell(pw)); }

    // ---- resource limits, sysconf, uname ------------------------------------------------------

    private static String rlim(long v) {
        return v == RLIM_INFINITY ? "RLIM64_INFINITY" : Long.toUnsignedString(v);
    }

    private static String rlimitShown(MemorySegment rlim) {
        // read unaligned: the trace decodes whatever slice the caller passed, and must not throw
        return Trace.readable(rlim, rlimit.sizeof()) ? "{rlim_cur=" + rlim(rlim.get(ValueLayout.JAVA_LONG_UNALIGNED, rlimit.rlim_cur$offset()))
                + ", rlim_max=" + rlim(rlim.get(ValueLayout.JAVA_LONG_UNALIGNED, rlimit.rlim_max$offset())) + "}" : hex(rlim);
    }

    private static final class Getrlimit { static final Link.Shared H = Link.shared(sockets_h.getrlimit$address(), sockets_h.getrlimit$descriptor()); }

    /**
     * {@code int getrlimit(int resource, struct rlimit *rlim)}, getrlimit(2): RLIMIT_NOFILE,
     * RLIMIT_NPROC, RLIMIT_CORE...; {@code rlimit.rlim_cur(rlim)}, RLIM_INFINITY for none.
     * errno: EFAULT (rlim smaller than a struct rlimit), EINVAL (an unknown resource).
     * Traced as glibc makes it: {@code prlimit64(0, RLIMIT_NOFILE, NULL, {rlim_cur=1024, rlim_max=4096}) = 0}.
     * Refused by the facade before the call: rlim not a writable struct rlimit -1 EFAULT.
     */
    public static int getrlimit(int resource, MemorySegment rlim) {
        rlim = Memory.orNull(rlim); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.writable(rlim, rlimit.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Getrlimit.H, e.capture, resource, rlim));
        if (Trace.on()) Trace.log("prlimit64", r, e.errno, "0", Names.value("RLIMIT_", resource), "NULL", r == 0 ? rlimitShown(rlim) : hex(rlim));
        return r;
    }

    private static final class Setrlimit { static final Link.Shared H = Link.shared(sockets_h.setrlimit$address(), sockets_h.setrlimit$descriptor()); }

    /**
     * {@code int setrlimit(int resource, const struct rlimit *rlim)}, getrlimit(2). errno: EFAULT
     * (rlim smaller than a struct rlimit), EINVAL (an unknown resource, or rlim_cur above
     * rlim_max), EPERM (raising the hard limit without CAP_SYS_RESOURCE, or RLIMIT_NOFILE above
     * /proc/sys/fs/nr_open).
     * Refused by the facade before the call: rlim not a struct rlimit -1 EFAULT.
     */
    public static int setrlimit(int resource, MemorySegment rlim) {
        rlim = Memory.orNull(rlim); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.holds(rlim, rlimit.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Setrlimit.H, e.capture, resource, rlim));
        if (Trace.on()) Trace.log("prlimit64", r, e.errno, "0", Names.value("RLIMIT_", resource), rlimitShown(rlim), "NULL");
        return r;
    }

    private static final class Sysconf { static final Link.Shared H = Link.shared(sockets_h.sysconf$address(), sockets_h.sysconf$descriptor()); }

    /**
     * {@code long sysconf(int name)}, sysconf(3): _SC_OPEN_MAX, _SC_PAGESIZE, _SC_NPROCESSORS_ONLN,
     * _SC_CLK_TCK... -1 with errno unchanged for a limit that has none (set {@code errno(0)}
     * before, as C does); -1 with errno EINVAL for an unknown name. Makes no system call of its own
     * for most names (glibc knows them).
     */
    public static long sysconf(int name) {
        ThreadErrno e = ThreadErrno.current();
        long r;
        Link.Shared h = Sysconf.H; // before errno is set: the holder's first load may leave an errno of its own (ENOENT)
        RealErrno.set(e.errno); // what C's "errno = 0" before the call left
        r = Link.call(h, e.capture, name);
        if (r == -1) e.tookCaptured();
        if (Trace.on()) Trace.LOG.debug("sysconf({}) = {}", Names.value("_SC_", name), r == -1 && e.errno != 0 ? Trace.result(r, e.errno) : String.valueOf(r));
        return r;
    }

    private static final class Uname { static final Link.Shared H = Link.shared(sockets_h.uname$address(), sockets_h.uname$descriptor()); }

    /**
     * {@code int uname(struct utsname *buf)}, uname(2): buf must hold a struct utsname
     * ({@code utsname.allocate(arena)}), else EFAULT; read its fields with
     * {@code cstring(utsname.sysname(buf))}, release, machine... errno: EFAULT.
     * Refused by the facade before the call: buf not a writable struct utsname -1 EFAULT.
     */
    public static int uname(MemorySegment buf) {
        buf = Memory.orNull(buf); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.writable(buf, utsname.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Uname.H, e.capture, buf));
        if (Trace.on()) Trace.log("uname", r, e.errno, r == 0 ? "{sysname=" + Trace.string(cstring(utsname.sysname(buf)))
                + ", nodename=" + Trace.string(cstring(utsname.nodename(buf))) + ", ...}" : hex(buf));
        return r;
    }

    // ---- syscall ----------------------------------------------------------------------------

    private static final class Syscall {
        static final MethodHandle H = Link.capturingErrno(sockets_h.syscall.address(),
                FunctionDescriptor.of(sockets_h.C_LONG, sockets_h.C_LONG), Linker.Option.firstVariadicArg(1));
    }

    /**
     * {@code long syscall(long number, ...)}, syscall(2), for the calls C tests make by number
     * that take no argument: SYS_gettid, SYS_getpid, SYS_getppid, SYS_getuid, SYS_geteuid,
     * SYS_getgid, SYS_getegid. Any other number gives -1 with errno ENOSYS, as the kernel answers
     * a call it does not have: the facade cannot check the arguments of a call it does not know.
     */
    public static long syscall(long number) {
        ThreadErrno e = ThreadErrno.current();
        long r;
        if (number != SYS_gettid && number != SYS_getpid && number != SYS_getppid && number != SYS_getuid
                && number != SYS_geteuid && number != SYS_getgid && number != SYS_getegid) {
            r = e.refuse(ENOSYS);
        } else {
            try { r = (long) Syscall.H.invokeExact(e.capture, number); } catch (Throwable t) { throw Link.rethrow(t); }
            if (r == -1) e.tookCaptured();
        }
        if (Trace.on()) { // strace shows the call the number names
            String call = number == SYS_gettid ? "gettid" : number == SYS_getpid ? "getpid" : number == SYS_getppid ? "getppid"
                    : number == SYS_getuid ? "getuid" : number == SYS_geteuid ? "geteuid" : number == SYS_getgid ? "getgid"
                    : number == SYS_getegid ? "getegid" : "syscall_" + number;
            Trace.log(call, r, e.errno);
        }
        return r;
    }
}
