package io.github.panamasockets.api;

/**
 * Processes: fork as close to C's as a JVM allows.
 * Reached through {@code import static io.github.panamasockets.api.Posix.*;}.
 */
public abstract class PosixProcess extends PosixStdio {
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
        return r;
    }
}
