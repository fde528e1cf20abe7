package io.github.panamasockets.api;

import io.github.panamasockets.bindings.SocketsConstants;
import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.f_owner_ex;
import io.github.panamasockets.bindings.flock;
import io.github.panamasockets.bindings.posix_spawn_file_actions_t;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.in6_addr;
import io.github.panamasockets.bindings.in_addr;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_storage;
import io.github.panamasockets.bindings.sockaddr_un;
import io.github.panamasockets.bindings.itimerval;
import io.github.panamasockets.bindings.sigaction;
import io.github.panamasockets.bindings.siginfo_t;
import io.github.panamasockets.bindings.sigset_t;
import io.github.panamasockets.bindings.timespec;
import io.github.panamasockets.bindings.timeval;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.panamasockets.api.Posix.*;

/**
 * Random arguments through every pointer-taking call of the facade: lengths around, past and
 * before the end of their segments, misaligned slices, NULL, heap segments, segments of a closed
 * arena and of another thread's confined arena, descriptors of every kind the test owns (all on
 * 127.0.0.1, all non-blocking) and clearly invalid ones. Never a descriptor the test did not make.
 * For each call: no write outside any segment (each is a slice inside a 0xAA guard pattern); a
 * call whose pointer + length does not fit is refused with -1 and EFAULT/EINVAL and changes
 * nothing, not even inside its segments; any other -1 carries an errno the call's javadoc lists;
 * a success stays within the buffer's bounds; the only exceptions are Java's own
 * IllegalStateException (closed arena) and WrongThreadException (another thread's arena).
 *
 * <p>Run by {@link FacadeFuzzTest} in process, and in a child JVM with the trace on (its
 * {@link #main}), so that the trace's decoding gets the same random arguments.
 */
public final class FacadeFuzz implements AutoCloseable {

    static final String[] CALLS = {"bind", "connect", "accept", "accept4", "read", "write", "send", "recv", "sendto", "recvfrom",
            "getsockopt", "setsockopt", "getsockname", "getpeername", "select", "poll", "epoll_ctl", "epoll_wait", "socketpair",
            "pipe", "readv", "writev", "sendmsg", "recvmsg", "inet_pton", "inet_ntop", "inet_aton", "waitpid",
            // added with the safety rules: every F_* command, NUL-bearing and null strings, memory handed back to libc
            "fcntl", "stat", "if_nametoindex", "getaddrinfo", "freeaddrinfo", "posix_spawn_file_actions_init",
            // the file, process, event and interface calls of issue 9
            "fstat", "pipe2", "sendfile", "splice", "timerfd_settime", "timerfd_gettime", "getrlimit", "uname", "ioctl", "if_indextoname",
            // the signal calls of issue 10 that take sets and structs (the fuzz never changes a disposition nor blocks a signal)
            "sigpending", "sigprocmask", "pthread_sigmask", "sigaction", "sigtimedwait", "ppoll", "pselect", "getitimer", "setitimer"};


    /** Every F_* constant of the headers (fcntl's commands among them, and lockf's and access's, which fcntl does not know). */
    static final int[] F_CONSTANTS = java.util.Arrays.stream(SocketsConstants.class.getFields())
            .filter(f -> f.getName().startsWith("F_") && f.getType() == int.class)
            .mapToInt(f -> { try { return f.getInt(null); } catch (IllegalAccessException e) { throw new AssertionError(e); } })
            .distinct().sorted().toArray();

    /** fcntl's commands that take an int or nothing, written out again from fcntl(2) (not taken from the facade). */
    static final Set<Integer> FCNTL_INT = Set.of(F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETOWN, F_SETOWN,
            F_GETSIG, F_SETSIG, F_GETLEASE, F_SETLEASE, F_NOTIFY, F_GETPIPE_SZ, F_SETPIPE_SZ, F_ADD_SEALS, F_GET_SEALS);
    /** fcntl's commands that take a pointer, and the size of what it points to; those that write through it. */
    static final Map<Integer, Long> FCNTL_POINTER = Map.ofEntries(
            Map.entry(F_GETLK, flock.sizeof()), Map.entry(F_SETLK, flock.sizeof()), Map.entry(F_SETLKW, flock.sizeof()),
            Map.entry(F_OFD_GETLK, flock.sizeof()), Map.entry(F_OFD_SETLK, flock.sizeof()), Map.entry(F_OFD_SETLKW, flock.sizeof()),
            Map.entry(F_GETOWN_EX, f_owner_ex.sizeof()), Map.entry(F_SETOWN_EX, f_owner_ex.sizeof()),
            Map.entry(F_GET_RW_HINT, 8L), Map.entry(F_SET_RW_HINT, 8L), Map.entry(F_GET_FILE_RW_HINT, 8L), Map.entry(F_SET_FILE_RW_HINT, 8L));
    static final Set<Integer> FCNTL_WRITES = Set.of(F_GETLK, F_OFD_GETLK, F_GETOWN_EX, F_GET_RW_HINT, F_GET_FILE_RW_HINT);
    /** Commands the facade does not know (F_GETOWNER_UIDS is 17 in Linux), and nonsense. */
    static final int[] FCNTL_UNKNOWN = {17, 9999, -1, Integer.MIN_VALUE};

    final long seed;
    final Random rnd;
    final Arena arena = Arena.ofConfined();       // this thread's segments, closed at the end
    final Map<String, Set<Integer>> documented;
    final MemorySegment closedSegment;
    final MemorySegment foreignSegment;
    private final CountDownLatch releaseForeign = new CountDownLatch(1);
    private final Thread foreignOwner;

    /** Everything that went wrong: "call: what", first occurrence with its iteration. */
    final Map<String, String> violations = new TreeMap<>();
    /** Exceptions out of facade calls (each must come before the system call: the call changed nothing). */
    long exceptions;
    /** Calls made, heap canary checks run, and canary longs found changed. */
    long calls, canaryChecks, changedCanaries;
    /**
     * Arrays on the Java heap filled with a known pattern and checked every {@link #CANARY_BATCH} calls:
     * a call that wrote through an int taken for an address (fcntl's third argument) would change one
     * (or crash the JVM at the next GC). Empty unless asked for ({@link #withHeapCanaries}).
     */
    long[][] canaries = new long[0][];
    static final int CANARY_BATCH = 2_500;

    /** Fills {@code megabytes} of heap canaries (the long run gives them a good share of a 2 GiB heap). */
    FacadeFuzz withHeapCanaries(int megabytes) {
        canaries = new long[megabytes][];
        for (int i = 0; i < megabytes; i++) {
            canaries[i] = new long[(1 << 20) / Long.BYTES];
            for (int j = 0; j < canaries[i].length; j++) canaries[i][j] = canary(i, j);
        }
        return this;
    }

    static long canary(int i, int j) {
        return 0x5AFE_C0DE_0000_0000L ^ ((long) i << 24) ^ j;
    }

    void checkCanaries() {
        canaryChecks++;
        for (int i = 0; i < canaries.length; i++) {
            long[] a = canaries[i];
            for (int j = 0; j < a.length; j++) {
                if (a[j] != canary(i, j)) {
                    changedCanaries++;
                    violation("heap", "canary " + i + "[" + j + "] changed to 0x" + Long.toHexString(a[j]));
                    a[j] = canary(i, j);
                }
            }
        }
    }
    final Map<String, Integer> outcomes = new TreeMap<>();

    // the descriptors of this round; rebuilt every ROUND iterations
    static final int ROUND = 250;
    final List<Integer> pool = new ArrayList<>();
    int listener = -1, listenerPort, udpPort, epfd = -1;
    /** Outside the pool, so that the socket calls never get them: a timerfd, and a file with bytes for sendfile to read. */
    int timerfd = -1, file = -1;
    final int closedFd;
    int iteration;
    String abstractName;

    FacadeFuzz(long seed) throws Exception {
        this.seed = seed;
        this.rnd = new Random(seed);
        this.documented = documentedErrnos();
        try (Arena a = Arena.ofConfined()) {
            closedSegment = a.allocate(256);
        }
        CompletableFuture<MemorySegment> foreign = new CompletableFuture<>();
        foreignOwner = new Thread(() -> {
            try (Arena a = Arena.ofConfined()) {
                foreign.complete(a.allocate(256));
                releaseForeign.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, NoLeaks.THREAD_PREFIX + "fuzz-arena-owner");
        foreignOwner.start();
        foreignSegment = foreign.get();
        closedFd = Loopback.closedFd();
        abstractName = "psock-fuzz-" + ProcessHandle.current().pid() + "-" + seed;
    }

    // ---- documented errnos -----------------------------------------------------------------

    static Path facadeSource(String file) {
        Path here = Path.of("src/main/java/io/github/panamasockets/api", file);
        if (Files.exists(here)) return here;
        Path root = Path.of(System.getProperty("psock.root", ".."));
        return root.resolve("api/src/main/java/io/github/panamasockets/api").resolve(file);
    }

    static final Pattern DOC = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*public static\\s+[\\w.\\[\\]<>]+\\s+(\\w+)\\s*\\(", Pattern.DOTALL);
    static final Pattern ERRNO_NAME = Pattern.compile("\\bE[A-Z0-9]+\\b");

    /** For each call, the errno values its javadoc lists after "errno:" (all overloads together). */
    static Map<String, Set<Integer>> documentedErrnos() throws IOException, ReflectiveOperationException {
        Map<String, Set<Integer>> lists = new HashMap<>();
        for (String file : List.of("Posix.java", "PosixNetdb.java", "PosixFiles.java", "PosixEvents.java", "PosixProcess.java", "PosixInterfaces.java", "PosixSignals.java")) {
            Matcher m = DOC.matcher(Files.readString(facadeSource(file)));
            while (m.find()) {
                String doc = m.group(1);
                int at = doc.indexOf("errno:");
                if (at < 0) continue;
                Matcher e = ERRNO_NAME.matcher(doc.substring(at));
                while (e.find()) {
                    lists.computeIfAbsent(m.group(2), k -> new HashSet<>()).add(SocketsConstants.class.getField(e.group()).getInt(null));
                }
            }
        }
        return lists;
    }

    // ---- descriptors -------------------------------------------------------------------------

    void openPool() {
        listener = Loopback.bound(SOCK_STREAM);
        Loopback.ok("listen", listen(listener, 64));
        Loopback.nonblocking(listener);
        listenerPort = Loopback.port(listener);
        pool.add(listener);
        int client = Loopback.ok("socket", socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
        pool.add(client);
        connect(client, Loopback.addr(arena, listenerPort), 16); // EINPROGRESS or 0
        int udp1 = Loopback.bound(SOCK_DGRAM), udp2 = Loopback.bound(SOCK_DGRAM);
        Loopback.nonblocking(udp1);
        Loopback.nonblocking(udp2);
        udpPort = Loopback.port(udp2);
        pool.add(udp1);
        pool.add(udp2);
        for (int type : new int[] {SOCK_STREAM, SOCK_DGRAM}) {
            int[] sp = Loopback.socketpair(type | SOCK_NONBLOCK);
            pool.add(sp[0]);
            pool.add(sp[1]);
        }
        pool.add(Loopback.ok("socket", socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)));
        pool.add(Loopback.ok("socket", socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0)));
        pool.add(Loopback.ok("socket", socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)));
        int[] p = Loopback.pipe();
        Loopback.nonblocking(p[0]);
        Loopback.nonblocking(p[1]);
        pool.add(p[0]);
        pool.add(p[1]);
        epfd = Loopback.ok("epoll_create1", epoll_create1(EPOLL_CLOEXEC));
        timerfd = Loopback.ok("timerfd_create", timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
        file = Loopback.ok("memfd_create", memfd_create("psock-fuzz", MFD_CLOEXEC));
        write(file, arena.allocateFrom("file bytes for sendfile and splice"), 34);
        pool.add(epfd);
        // something to read here and there
        for (int fd : List.of(pool.get(5), pool.get(7), p[1])) write(fd, arena.allocateFrom("fuzz"), 4);
        sendto(udp1, arena.allocateFrom("dgram"), 5, 0, Loopback.addr(arena, udpPort), 16);
    }

    void closePool() {
        for (int fd : pool) Posix.close(fd);
        pool.clear();
        Posix.close(timerfd);
        Posix.close(file);
        timerfd = file = -1;
    }

    /** A descriptor of the pool, or now and then a clearly invalid one. */
    int fd() {
        int k = rnd.nextInt(20);
        if (k == 0) return -1;
        if (k == 1) return 99999;
        if (k == 2) return closedFd;
        return pool.get(rnd.nextInt(pool.size()));
    }

    // ---- segments ------------------------------------------------------------------------------

    /** A segment handed to a call, and what it held just before. */
    final class Seg {
        final MemorySegment seg;
        final Guard guard;      // null unless a guarded native slice
        final String kind;
        byte[] before;

        Seg(MemorySegment seg, Guard guard, String kind) {
            this.seg = seg;
            this.guard = guard;
            this.kind = kind;
        }

        long size() { return seg == null ? 0 : seg.byteSize(); }
        /** Java null is C's NULL. */
        boolean isNull() { return seg == null || seg.equals(MemorySegment.NULL); }
        boolean live() { return guard != null; }
        boolean readOnly() { return seg != null && seg.isReadOnly(); }
        /** Where the fuzz itself writes what the call is given (the same bytes, also when the call gets a read-only view). */
        MemorySegment w() { return readOnly() ? guard.slice.asSlice(seg.address() - guard.slice.address(), seg.byteSize()) : seg; }
    }

    final List<Seg> used = new ArrayList<>();
    boolean closedOrForeign;

    /** A segment for a call that wants about {@code need} bytes: mostly a guarded slice near that size. */
    Seg seg(long need) {
        int k = rnd.nextInt(100);
        Seg s;
        int extra = rnd.nextInt(100); // the kinds the safety work added: Java null, read-only, overlapping another segment
        if (extra < 3) s = new Seg(null, null, "null");
        else if (extra < 9) {
            Guard g = Guard.of(arena, k < 60 ? need : Math.max(0, need + rnd.nextInt(9) - 4), rnd.nextInt(8));
            s = new Seg(g.slice.asReadOnly(), g, "read-only " + g.slice.byteSize());
        } else if (extra < 13 && used.stream().anyMatch(u -> u.live() && u.size() > 0)) {
            List<Seg> live = used.stream().filter(u -> u.live() && u.size() > 0).toList();
            Seg other = live.get(rnd.nextInt(live.size()));
            long off = rnd.nextInt((int) other.size());
            MemorySegment view = other.guard.slice.asSlice(other.seg.address() - other.guard.slice.address() + off, Math.min(need, other.size() - off));
            s = new Seg(other.readOnly() ? view.asReadOnly() : view, other.guard, "overlapping " + other.kind + " at " + off);
        }
        else if (k < 6) s = new Seg(MemorySegment.NULL, null, "NULL");
        else if (k < 10) s = new Seg(MemorySegment.ofArray(new byte[(int) Math.max(need, 1)]), null, "heap");
        else if (k < 13) { s = new Seg(closedSegment.asSlice(0, Math.min(need, 256)), null, "closed"); closedOrForeign = true; }
        else if (k < 15) { s = new Seg(foreignSegment.asSlice(0, Math.min(need, 256)), null, "foreign"); closedOrForeign = true; }
        else {
            long size = k < 55 ? need : Math.max(0, need + rnd.nextInt(17) - 8);
            if (k >= 90) size = rnd.nextInt((int) need * 2 + 2);
            Guard g = Guard.of(arena, size, rnd.nextInt(8));
            s = new Seg(g.slice, g, "slice " + size + "@" + g.offset() % 8);
        }
        used.add(s);
        return s;
    }

    /** A guarded slice of exactly {@code size} bytes (the buffers an iovec or msghdr points to). */
    Seg exact(long size) {
        Guard g = Guard.of(arena, size, rnd.nextInt(8));
        Seg s = new Seg(g.slice, g, "exact " + size);
        used.add(s);
        return s;
    }

    /** A length for a segment of {@code size} bytes: the size, around it, zero, negative, huge. */
    long len(long size) {
        return switch (rnd.nextInt(12)) {
            case 0 -> size + 1;
            case 1 -> Math.max(0, size - 1);
            case 2 -> 0;
            case 3 -> -1;
            case 4 -> rnd.nextInt((int) Math.min(size * 2 + 2, 1 << 16));
            case 5 -> rnd.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            case 6 -> rnd.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
            case 7 -> size + 1 + rnd.nextInt(64);
            default -> size;
        };
    }

    int ilen(long size) {
        long l = len(size);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l));
    }

    /** The facade's rule for a pointer + length, written out again: a native segment holding it (NULL holds only 0). */
    static boolean holds(Seg s, long n) {
        return n >= 0 && (s.isNull() ? n == 0 : s.seg.isNative() && n <= s.size());
    }

    /** A buffer the kernel writes: holds it and, unless nothing is written, is not read-only. */
    static boolean writable(Seg s, long n) {
        return holds(s, n) && (n == 0 || !s.readOnly());
    }

    static boolean nullOrWritable(Seg s, long n) {
        return s.isNull() || writable(s, n);
    }

    /** NULL or native: a heap segment is never passed, even where the kernel would read nothing. */
    static boolean nativeOrNull(Seg s) {
        return s.isNull() || s.seg.isNative();
    }

    /** A length the kernel itself refuses (EINVAL) before it reads an address: outside 0..sizeof(struct sockaddr_storage). */
    static boolean kernelRefusesAddrlen(long n) {
        return n < 0 || n > sockaddr_storage.sizeof();
    }

    static boolean nullOrHolds(Seg s, long n) {
        return s.isNull() || holds(s, n);
    }

    /** socklen_t* value-result: NULL only with a NULL buffer, else 4 bytes whose value fits the buffer. */
    boolean valueResultFits(Seg buf, Seg len) {
        if (len.isNull()) return buf.isNull();
        if (!writable(len, 4) || !nativeOrNull(buf)) return false;
        if (len.kind.equals("closed") || len.kind.equals("foreign")) return true; // reading it throws: decided by the exception
        int n = len.seg.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        return n <= 0 || buf.isNull() || writable(buf, n); // a negative *addrlen is the kernel's EINVAL, nothing written
    }

    /** The *len a value-result socklen_t holds (0 when it cannot be read). */
    static int socklenIn(Seg len) {
        return len.live() && len.size() >= 4 ? len.seg.get(ValueLayout.JAVA_INT_UNALIGNED, 0) : 0;
    }

    /** Puts a socklen_t value into a length segment where it can (a guarded slice of 4 or more bytes). */
    void socklen(Seg len, int value) {
        if (len.live() && len.size() >= 4) len.w().set(ValueLayout.JAVA_INT_UNALIGNED, 0, value);
    }

    int socklenValue(long bufSize) {
        return switch (rnd.nextInt(6)) {
            case 0 -> (int) bufSize + 1;
            case 1 -> -1;
            case 2 -> rnd.nextInt(200);
            default -> (int) bufSize;
        };
    }

    /** Copies an address of the given kind (all loopback) into the start of a live segment, as much as fits. */
    long address(Seg s) {
        MemorySegment a;
        switch (rnd.nextInt(6)) {
            case 0, 1 -> a = Loopback.addr(arena, rnd.nextBoolean() ? listenerPort : udpPort);
            case 2 -> a = Loopback.addr(arena, 0);
            case 3 -> {
                a = arena.allocate(sockaddr_in6.layout());
                sockaddr_in6.sin6_family(a, (short) AF_INET6);
                sockaddr_in6.sin6_port(a, (short) htons(udpPort));
                inet_pton(AF_INET6, "::1", sockaddr_in6.sin6_addr(a));
            }
            case 4 -> {
                a = arena.allocate(sockaddr_un.layout());
                sun_family(a, AF_UNIX);
                sun_path(a, "\0" + abstractName + "-" + rnd.nextInt(4));
                a = a.asSlice(0, sockaddr_un.sun_path$offset() + 1 + abstractName.length() + 2);
            }
            default -> {
                a = arena.allocate(16);
                a.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) (rnd.nextBoolean() ? AF_UNSPEC : 9999));
            }
        }
        if (s.live()) MemorySegment.copy(a, 0, s.w(), 0, Math.min(a.byteSize(), s.size()));
        return a.byteSize();
    }

    void randomBytes(Seg s) {
        if (!s.live()) return;
        byte[] b = new byte[(int) s.size()];
        rnd.nextBytes(b);
        MemorySegment.copy(b, 0, s.w(), ValueLayout.JAVA_BYTE, 0, b.length);
    }

    int flags() {
        int[] f = {MSG_DONTWAIT, MSG_DONTWAIT | MSG_NOSIGNAL, MSG_DONTWAIT | MSG_PEEK, MSG_DONTWAIT | MSG_WAITALL, MSG_DONTWAIT | MSG_OOB};
        return f[rnd.nextInt(f.length)];
    }

    // ---- one iteration ------------------------------------------------------------------------

    /** What the facade must answer before calling, by its contract; null when the call goes through. */
    Integer refusal;
    /** The call's own bound on a successful result (bytes, fds, events). */
    long maxResult;
    /** Descriptors a successful call made, read back after it returns. */
    Runnable onSuccess;

    void refuseUnless(boolean fits, int errno) {
        if (refusal == null && !fits) refusal = errno;
    }

    void iteration(int i) {
        iteration = i;
        used.clear();
        closedOrForeign = false;
        refusal = null;
        maxResult = Long.MAX_VALUE;
        onSuccess = null;
        String call = CALLS[rnd.nextInt(CALLS.length)];
        long r;
        Throwable thrown = null;
        Runnable invoke = prepare(call);
        for (Seg s : used) if (s.live()) s.before = s.seg.toArray(ValueLayout.JAVA_BYTE);
        errno(0);
        try {
            invoke.run();
            r = lastResult;
        } catch (IllegalStateException | WrongThreadException e) {
            thrown = e;
            exceptions++;
            r = Long.MIN_VALUE;
        }
        calls++;
        int e = errno();
        check(call, r, e, thrown);
    }

    long lastResult;

    void violation(String call, String what) {
        violations.putIfAbsent(call + ": " + what, "iteration " + iteration + ", segments " + used.stream().map(s -> s.kind).toList());
    }

    void check(String call, long r, int e, Throwable thrown) {
        String outcome;
        for (Seg s : used) {
            if (!s.live()) continue;
            long at = s.guard.firstOutsideWrite();
            if (at >= 0) violation(call, "wrote outside a segment (" + s.kind + ", region byte " + at + ")");
        }
        if (thrown != null) {
            outcome = thrown.getClass().getSimpleName();
            if (!closedOrForeign) violation(call, "threw " + thrown + " with no closed or foreign segment");
            else if (thrown instanceof WrongThreadException && used.stream().noneMatch(s -> s.kind.equals("foreign"))) violation(call, "WrongThreadException without a foreign segment");
            else if (thrown instanceof IllegalStateException && used.stream().noneMatch(s -> s.kind.equals("closed"))) violation(call, "IllegalStateException without a closed segment");
            unchanged(call, "a call that threw");
        } else if (refusal != null) {
            outcome = "refused " + strerrorname(refusal);
            if (r != -1 || e != refusal) {
                // a closed/foreign segment may also be refused before it is touched; anything else is wrong
                violation(call, "expected -1 " + strerrorname(refusal) + ", got " + r + " " + strerrorname(e));
                if (r >= 0 && onSuccess != null) onSuccess.run();
            }
            unchanged(call, "a refused call");
        } else if (r == -1) {
            outcome = "-1 " + strerrorname(e);
            Set<Integer> listed = documented.get(call);
            if (listed == null) violation(call, "its javadoc has no errno list");
            else if (!listed.contains(e)) violation(call, "errno " + strerrorname(e) + " is not in its javadoc's list");
        } else {
            outcome = "ok";
            if (r < 0 || r > maxResult) violation(call, "result " + r + " outside 0.." + maxResult);
            if (onSuccess != null) onSuccess.run();
        }
        outcomes.merge(call + " " + outcome, 1, Integer::sum);
    }

    void unchanged(String call, String what) {
        for (Seg s : used) {
            if (s.live() && !Arrays.equals(s.before, s.seg.toArray(ValueLayout.JAVA_BYTE))) violation(call, what + " wrote into its segment (" + s.kind + ")");
        }
    }

    void closePair(Seg sv) {
        if (!sv.live() || sv.size() < 8) return;
        Posix.close(sv.seg.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        Posix.close(sv.seg.get(ValueLayout.JAVA_INT_UNALIGNED, 4));
    }

    /** select's nfds: negative, past FD_SETSIZE, FD_SETSIZE, or around the pool's highest descriptor. */
    int selectNfds() {
        return switch (rnd.nextInt(6)) {
            case 0 -> -1;
            case 1 -> FD_SETSIZE + 1 + rnd.nextInt(3);
            case 2 -> FD_SETSIZE;
            default -> rnd.nextInt(pool.stream().mapToInt(Integer::intValue).max().orElse(0) + 2);
        };
    }

    /** Three fd_set segments, each that fits holding some of the pool's descriptors below nfds. */
    Seg[] fdSets(int nfds) {
        Seg[] sets = new Seg[3];
        for (int k = 0; k < 3; k++) {
            sets[k] = seg(fd_set.sizeof());
            if (sets[k].live() && sets[k].size() >= fd_set.sizeof()) {
                FD_ZERO(sets[k].w());
                for (int fd : pool) if (fd < nfds && rnd.nextBoolean()) FD_SET(fd, sets[k].w());
            }
        }
        return sets;
    }

    /** A timeout of zero (a NULL one would wait for ever: never given), or one of the misfits. */
    Seg zeroTimeout(long size) {
        Seg t = seg(size);
        if (t.isNull()) {
            used.remove(t);
            t = exact(size);
        }
        if (t.live()) t.w().fill((byte) 0);
        return t;
    }

    /** A sigset_t for a call's mask: empty where it is live (blocking nothing), or NULL, or a misfit. */
    Seg emptySigset() {
        Seg m = seg(sigset_t.sizeof());
        if (m.live()) m.w().fill((byte) 0);
        return m;
    }

    Runnable prepare(String call) {
        switch (call) {
            case "bind", "connect" -> {
                int fd = fd();
                Seg a = seg(rnd.nextBoolean() ? 16 : 28);
                address(a);
                int len = ilen(a.size());
                refuseUnless(nativeOrNull(a) && (kernelRefusesAddrlen(len) || holds(a, len)), EFAULT);
                return call.equals("bind") ? () -> lastResult = bind(fd, a.seg, len) : () -> lastResult = connect(fd, a.seg, len);
            }
            case "accept", "accept4" -> {
                int fd = fd();
                Seg a = seg(rnd.nextBoolean() ? 16 : 110);
                Seg l = seg(4);
                socklen(l, socklenValue(a.size()));
                refuseUnless(valueResultFits(a, l), EFAULT);
                int flags = new int[] {0, SOCK_NONBLOCK, SOCK_CLOEXEC, 12345}[rnd.nextInt(4)];
                onSuccess = () -> Posix.close((int) lastResult);
                maxResult = Integer.MAX_VALUE;
                return call.equals("accept") ? () -> lastResult = accept(fd, a.seg, l.seg) : () -> lastResult = accept4(fd, a.seg, l.seg, flags);
            }
            case "read", "write", "send", "recv" -> {
                int fd = fd();
                Seg b = seg(rnd.nextInt(64) + 1);
                if (call.equals("write") || call.equals("send")) randomBytes(b);
                long n = len(b.size());
                int flags = flags();
                refuseUnless(call.equals("read") || call.equals("recv") ? writable(b, n) : holds(b, n), EFAULT);
                maxResult = Math.max(n, 0);
                // Linux's AF_UNIX urgent byte: recv(MSG_OOB) answers 1 even into 0 bytes, copying nothing (unix_stream_recv_urg)
                if (call.equals("recv") && (flags & MSG_OOB) != 0) maxResult = Math.max(maxResult, 1);
                return switch (call) {
                    case "read" -> () -> lastResult = read(fd, b.seg, n);
                    case "write" -> () -> lastResult = write(fd, b.seg, n);
                    case "send" -> () -> lastResult = send(fd, b.seg, n, flags);
                    default -> () -> lastResult = recv(fd, b.seg, n, flags);
                };
            }
            case "sendto" -> {
                int fd = fd();
                Seg b = seg(rnd.nextInt(64) + 1);
                randomBytes(b);
                long n = len(b.size());
                Seg a = seg(16);
                address(a);
                int alen = ilen(a.size());
                int flags = flags();
                refuseUnless(holds(b, n) && nativeOrNull(a) && (kernelRefusesAddrlen(alen) || nullOrHolds(a, alen)), EFAULT);
                maxResult = Math.max(n, 0);
                return () -> lastResult = sendto(fd, b.seg, n, flags, a.seg, alen);
            }
            case "recvfrom" -> {
                int fd = fd();
                Seg b = seg(rnd.nextInt(64) + 1);
                long n = len(b.size());
                Seg a = seg(rnd.nextBoolean() ? 16 : 28);
                Seg l = seg(4);
                socklen(l, socklenValue(a.size()));
                int flags = flags() & ~MSG_WAITALL;
                refuseUnless(writable(b, n) && valueResultFits(a, l), EFAULT);
                maxResult = Math.max(n, 0);
                if ((flags & MSG_OOB) != 0) maxResult = Math.max(maxResult, 1); // as recv: AF_UNIX's urgent byte
                return () -> lastResult = recvfrom(fd, b.seg, n, flags, a.seg, l.seg);
            }
            case "getsockopt", "setsockopt" -> {
                int fd = fd();
                int level = new int[] {SOL_SOCKET, SOL_SOCKET, IPPROTO_TCP, 9999}[rnd.nextInt(4)];
                int name = new int[] {SO_RCVBUF, SO_SNDBUF, SO_REUSEADDR, SO_KEEPALIVE, SO_TYPE, SO_ERROR, TCP_NODELAY, 9999}[rnd.nextInt(8)];
                Seg v = seg(rnd.nextBoolean() ? 4 : 8);
                if (call.equals("getsockopt")) {
                    Seg l = seg(4);
                    socklen(l, socklenValue(v.size()));
                    refuseUnless(!l.isNull() && valueResultFits(v, l), EFAULT);
                    refuseUnless(socklenIn(l) >= 0, EINVAL); // some protocols (TCP) would write 4 bytes for a negative one
                    return () -> lastResult = getsockopt(fd, level, name, v.seg, l.seg);
                }
                if (v.live() && v.size() >= 4) v.w().set(ValueLayout.JAVA_INT_UNALIGNED, 0, rnd.nextInt(1 << 16));
                int len = ilen(v.size());
                refuseUnless(nativeOrNull(v) && (len < 0 || (nullOrHolds(v, len) && !(v.isNull() && len != 0))), EFAULT);
                return () -> lastResult = setsockopt(fd, level, name, v.seg, len);
            }
            case "getsockname", "getpeername" -> {
                int fd = fd();
                Seg a = seg(rnd.nextBoolean() ? 16 : 110);
                Seg l = seg(4);
                socklen(l, socklenValue(a.size()));
                refuseUnless(!l.isNull() && valueResultFits(a, l), EFAULT);
                return call.equals("getsockname") ? () -> lastResult = getsockname(fd, a.seg, l.seg) : () -> lastResult = getpeername(fd, a.seg, l.seg);
            }
            case "select", "pselect" -> {
                int nfds = selectNfds();
                Seg[] sets = fdSets(nfds);
                boolean pselect = call.equals("pselect");
                Seg t = zeroTimeout(pselect ? timespec.sizeof() : timeval.sizeof());
                refuseUnless(nfds >= 0 && nfds <= FD_SETSIZE, EINVAL);
                boolean fits = true;
                for (Seg s : sets) fits &= nullOrWritable(s, fd_set.sizeof());
                maxResult = 3L * Math.max(nfds, 0);
                if (!pselect) {
                    refuseUnless(fits && nullOrWritable(t, timeval.sizeof()), EFAULT);
                    return () -> lastResult = select(nfds, sets[0].seg, sets[1].seg, sets[2].seg, t.seg);
                }
                Seg mask = emptySigset();
                refuseUnless(fits && nullOrHolds(t, timespec.sizeof()) && nullOrHolds(mask, sigset_t.sizeof()), EFAULT);
                return () -> lastResult = pselect(nfds, sets[0].seg, sets[1].seg, sets[2].seg, t.seg, mask.seg);
            }
            case "poll", "ppoll" -> {
                Seg p = seg(pollfd.sizeof() * (1 + rnd.nextInt(3)));
                long room = p.size() / pollfd.sizeof();
                if (p.live()) for (long k = 0; k < room; k++) {
                    MemorySegment e = p.w().asSlice(k * pollfd.sizeof(), pollfd.sizeof());
                    e.set(ValueLayout.JAVA_INT_UNALIGNED, pollfd.fd$offset(), fd());
                    e.set(ValueLayout.JAVA_SHORT_UNALIGNED, pollfd.events$offset(), (short) rnd.nextInt(1 << 16));
                }
                long nfds = switch (rnd.nextInt(5)) {
                    case 0 -> room + 1;
                    case 1 -> -1;
                    case 2 -> Long.MAX_VALUE;
                    default -> room;
                };
                refuseUnless(nfds >= 0, EINVAL);
                refuseUnless(nfds <= Integer.MAX_VALUE / pollfd.sizeof() && writable(p, nfds * pollfd.sizeof()), EFAULT);
                maxResult = Math.max(nfds, 0);
                if (call.equals("poll")) return () -> lastResult = poll(p.seg, nfds, 0);
                Seg t = zeroTimeout(timespec.sizeof()), mask = emptySigset();
                refuseUnless(nullOrHolds(t, timespec.sizeof()) && nullOrHolds(mask, sigset_t.sizeof()), EFAULT);
                return () -> lastResult = ppoll(p.seg, nfds, t.seg, mask.seg);
            }
            case "epoll_ctl" -> {
                int ep = rnd.nextInt(4) == 0 ? fd() : epfd;
                int op = new int[] {EPOLL_CTL_ADD, EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLL_CTL_DEL, 99}[rnd.nextInt(5)];
                int fd = fd();
                Seg ev = seg(epoll_event.sizeof());
                if (ev.live() && ev.size() >= 4) ev.w().set(ValueLayout.JAVA_INT_UNALIGNED, 0, EPOLLIN | (rnd.nextBoolean() ? EPOLLOUT : 0) | (rnd.nextInt(8) == 0 ? EPOLLET : 0));
                refuseUnless(nullOrHolds(ev, epoll_event.sizeof()), EFAULT);
                return () -> lastResult = epoll_ctl(ep, op, fd, ev.seg);
            }
            case "epoll_wait" -> {
                int ep = rnd.nextInt(4) == 0 ? fd() : epfd;
                Seg evs = seg(epoll_event.sizeof() * (1 + rnd.nextInt(3)));
                long room = evs.size() / epoll_event.sizeof();
                int max = switch (rnd.nextInt(6)) {
                    case 0 -> 0;
                    case 1 -> -1;
                    case 2 -> (int) room + 1;
                    case 3 -> Integer.MAX_VALUE;
                    default -> (int) room;
                };
                refuseUnless(max > 0 && max <= Integer.MAX_VALUE / epoll_event.sizeof(), EINVAL);
                refuseUnless(writable(evs, (long) max * epoll_event.sizeof()), EFAULT);
                maxResult = Math.max(max, 0);
                return () -> lastResult = epoll_wait(ep, evs.seg, max, 0);
            }
            case "socketpair", "pipe" -> {
                Seg sv = seg(8);
                refuseUnless(writable(sv, 8), EFAULT);
                onSuccess = () -> closePair(sv);
                maxResult = 0;
                int type = (rnd.nextBoolean() ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK;
                return call.equals("pipe") ? () -> lastResult = pipe(sv.seg) : () -> lastResult = socketpair(AF_UNIX, type, 0, sv.seg);
            }
            case "readv", "writev" -> {
                int fd = fd();
                Seg iov = seg(iovec.sizeof() * (1 + rnd.nextInt(3)));
                long room = iov.size() / iovec.sizeof();
                long total = fillIov(iov, room, call.equals("writev"));
                int cnt = switch (rnd.nextInt(5)) {
                    case 0 -> (int) room + 1;
                    case 1 -> -1;
                    case 2 -> 0;
                    default -> (int) room;
                };
                // a count outside 0..UIO_MAXIOV is the kernel's EINVAL (it reads no iovec then)
                refuseUnless(nativeOrNull(iov) && (cnt < 0 || cnt > UIO_MAXIOV || holds(iov, (long) cnt * iovec.sizeof())), EFAULT);
                maxResult = total;
                return call.equals("readv") ? () -> lastResult = readv(fd, iov.seg, cnt) : () -> lastResult = writev(fd, iov.seg, cnt);
            }
            case "sendmsg", "recvmsg" -> {
                int fd = fd();
                boolean send = call.equals("sendmsg");
                Seg msg = seg(msghdr.sizeof());
                long total = 0;
                if (msg.live() && msg.size() >= msghdr.sizeof()) {
                    MemorySegment m = msg.w();
                    m.asSlice(0, msghdr.sizeof()).fill((byte) 0);
                    if (rnd.nextBoolean()) {
                        Seg name = exact(rnd.nextBoolean() ? 16 : 28);
                        long alen = address(name);
                        m.set(ValueLayout.ADDRESS_UNALIGNED, msghdr.msg_name$offset(), name.seg);
                        m.set(ValueLayout.JAVA_INT_UNALIGNED, msghdr.msg_namelen$offset(), (int) Math.min(alen, name.size()));
                    }
                    int n = rnd.nextInt(3);
                    Seg iov = exact(iovec.sizeof() * n);
                    total = fillIov(iov, n, send);
                    m.set(ValueLayout.ADDRESS_UNALIGNED, msghdr.msg_iov$offset(), iov.seg);
                    m.set(ValueLayout.JAVA_LONG_UNALIGNED, msghdr.msg_iovlen$offset(), n);
                    if (rnd.nextBoolean()) {
                        Seg control = exact(CMSG_SPACE(rnd.nextInt(3) * 4L));
                        control.seg.fill((byte) 0); // a zero cmsg_len: sendmsg refuses it (EINVAL); recvmsg writes into it
                        m.set(ValueLayout.ADDRESS_UNALIGNED, msghdr.msg_control$offset(), control.seg);
                        m.set(ValueLayout.JAVA_LONG_UNALIGNED, msghdr.msg_controllen$offset(), control.size());
                    }
                }
                refuseUnless(send ? holds(msg, msghdr.sizeof()) : writable(msg, msghdr.sizeof()), EFAULT);
                maxResult = total;
                int flags = flags() & ~(MSG_WAITALL | MSG_OOB);
                return send ? () -> lastResult = sendmsg(fd, msg.seg, flags) : () -> lastResult = recvmsg(fd, msg.seg, flags);
            }
            case "inet_pton" -> {
                int af = new int[] {AF_INET, AF_INET6, 9999}[rnd.nextInt(3)];
                String src = new String[] {"127.0.0.1", "::1", "fe80::1", "1.2.3", "", "garbage", "255.255.255.255", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8:9",
                        "127.0.0.1\0junk", null}[rnd.nextInt(11)];
                Seg dst = seg(af == AF_INET6 ? 16 : 4);
                refuseUnless(src != null && writable(dst, af == AF_INET6 ? in6_addr.sizeof() : in_addr.sizeof()), EFAULT);
                refuseUnless(src == null || src.indexOf('\0') < 0, EINVAL);
                maxResult = 1;
                return () -> lastResult = inet_pton(af, src, dst.seg);
            }
            case "inet_ntop" -> {
                int af = new int[] {AF_INET, AF_INET6, 9999}[rnd.nextInt(3)];
                Seg src = seg(af == AF_INET6 ? 16 : 4);
                randomBytes(src);
                Seg dst = seg(rnd.nextBoolean() ? INET_ADDRSTRLEN : INET6_ADDRSTRLEN);
                int size = ilen(dst.size());
                refuseUnless(holds(src, af == AF_INET6 ? 16 : 4) && writable(dst, size), EFAULT);
                maxResult = 0;
                return () -> {
                    MemorySegment p = inet_ntop(af, src.seg, dst.seg, size);
                    lastResult = p.equals(MemorySegment.NULL) ? -1 : p.equals(dst.seg) ? 0 : Long.MAX_VALUE;
                };
            }
            case "inet_aton" -> {
                String cp = new String[] {"127.0.0.1", "127.1", "0x7f.1", "", "garbage", "1.2.3.4.5", "127.0.0.1\0junk", null}[rnd.nextInt(8)];
                Seg inp = seg(4);
                refuseUnless(writable(inp, 4), EFAULT);
                maxResult = cp == null || cp.indexOf('\0') >= 0 ? 0 : 1; // refused as an invalid address: 0, nothing written
                if (cp == null || cp.indexOf('\0') >= 0) onSuccess = () -> { if (inp.live()) unchanged("inet_aton", "a cut string"); };
                return () -> lastResult = inet_aton(cp, inp.seg);
            }
            case "waitpid" -> {
                int pid = rnd.nextBoolean() ? getpid() : 1; // never a child of this JVM: nothing to wait for, nothing reaped
                Seg status = seg(4);
                int options = WNOHANG | (rnd.nextInt(4) == 0 ? 0x01000000 : 0); // WNOWAIT: waitid's, not wait4's (EINVAL)
                refuseUnless(nullOrWritable(status, 4), EFAULT);
                maxResult = 0;
                return () -> lastResult = waitpid(pid, status.seg, options);
            }
            case "fcntl" -> {
                int fd = fd();
                int cmd = rnd.nextInt(8) == 0 ? FCNTL_UNKNOWN[rnd.nextInt(FCNTL_UNKNOWN.length)] : F_CONSTANTS[rnd.nextInt(F_CONSTANTS.length)];
                maxResult = Integer.MAX_VALUE;
                if (rnd.nextBoolean()) {
                    // The int form: for a pointer command, an int that may well be an address in this JVM's heap (below 4 GiB with -Xmx2g).
                    int arg = switch (cmd) {
                        case F_SETFL -> (rnd.nextInt() & ~O_ASYNC) | O_NONBLOCK; // never blocking, never SIGIO
                        case F_DUPFD, F_DUPFD_CLOEXEC -> rnd.nextInt(64);
                        case F_SETPIPE_SZ -> rnd.nextInt(1 << 20);               // within pipe-max-size: root too allocates little
                        default -> rnd.nextInt();
                    };
                    refuseUnless(FCNTL_INT.contains(cmd), EINVAL);
                    if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) onSuccess = () -> Posix.close((int) lastResult);
                    if (cmd != F_SETFL && rnd.nextInt(4) == 0) return () -> lastResult = fcntl(fd, cmd); // (F_SETFL 0 would make the pool blocking)
                    return () -> lastResult = fcntl(fd, cmd, arg);
                }
                Long size = FCNTL_POINTER.get(cmd);
                Seg a = seg(size != null ? size : 8 + 8L * rnd.nextInt(4));
                randomBytes(a);
                refuseUnless(size != null, EINVAL);
                if (size != null) refuseUnless(FCNTL_WRITES.contains(cmd) ? writable(a, size) : holds(a, size), EFAULT);
                return () -> lastResult = fcntl(fd, cmd, a.seg);
            }
            case "stat" -> {
                String path = new String[] {"/", "/proc/self", "/nonexistent-psock-fuzz", "", "/\0etc", null}[rnd.nextInt(6)];
                Seg st = seg(io.github.panamasockets.bindings.stat.sizeof());
                refuseUnless(path == null || path.indexOf('\0') < 0, EINVAL);
                refuseUnless(writable(st, io.github.panamasockets.bindings.stat.sizeof()), EFAULT);
                maxResult = 0;
                return () -> lastResult = stat(path, st.seg);
            }
            case "if_nametoindex" -> {
                String name = new String[] {"lo", "lo\0x", null, "psock-none0", "", "an-interface-name-longer-than-IFNAMSIZ"}[rnd.nextInt(6)];
                refuseUnless(name != null, EFAULT);
                refuseUnless(name == null || name.indexOf('\0') < 0, EINVAL);
                return () -> {
                    int index = if_nametoindex(name);
                    lastResult = index == 0 ? -1 : index; // 0 and errno is its failure
                };
            }
            case "getaddrinfo" -> {
                Seg hints = seg(io.github.panamasockets.bindings.addrinfo.sizeof());
                boolean numeric = hints.live() && hints.size() >= io.github.panamasockets.bindings.addrinfo.sizeof();
                if (numeric) {
                    hints.w().asSlice(0, io.github.panamasockets.bindings.addrinfo.sizeof()).fill((byte) 0);
                    hints.w().set(ValueLayout.JAVA_INT_UNALIGNED, io.github.panamasockets.bindings.addrinfo.ai_flags$offset(), AI_NUMERICHOST | AI_NUMERICSERV);
                    hints.w().set(ValueLayout.JAVA_INT_UNALIGNED, io.github.panamasockets.bindings.addrinfo.ai_family$offset(), new int[] {AF_UNSPEC, AF_INET, AF_INET6}[rnd.nextInt(3)]);
                }
                // only numeric names: never a DNS query (without numeric hints a name would be looked up)
                String node = new String[] {"127.0.0.1", "::1", null, "1.2.3.4\0evil", numeric ? "not-a-number" : "10.0.0.1"}[rnd.nextInt(5)];
                String service = new String[] {"80", null, "8\0", "0"}[rnd.nextInt(4)];
                Seg res = seg(8);
                boolean nul = (node != null && node.indexOf('\0') >= 0) || (service != null && service.indexOf('\0') >= 0);
                refuseUnless(nullOrHolds(hints, io.github.panamasockets.bindings.addrinfo.sizeof()) && writable(res, 8), EFAULT);
                refuseUnless(!nul, EINVAL);
                maxResult = 1;
                onSuccess = () -> {
                    if (lastResult != 0) return;
                    MemorySegment list = res.seg.get(ValueLayout.ADDRESS_UNALIGNED, 0);
                    errno(0);
                    freeaddrinfo(res.seg); // the struct addrinfo ** itself: C aborts in free()
                    if (errno() != EINVAL) violation("freeaddrinfo", "of the addrinfo** segment: errno " + strerrorname(errno()));
                    errno(0);
                    freeaddrinfo(list);
                    if (errno() != 0) violation("freeaddrinfo", "of the list getaddrinfo returned: errno " + strerrorname(errno()));
                    freeaddrinfo(list); // twice: C's double free
                    if (errno() != EINVAL) violation("freeaddrinfo", "twice: errno " + strerrorname(errno()));
                };
                return () -> {
                    int r = getaddrinfo(node, service, hints.seg, res.seg);
                    lastResult = r == 0 ? 0 : r == EAI_SYSTEM ? -1 : 1;
                };
            }
            case "freeaddrinfo" -> {
                Seg garbage = seg(io.github.panamasockets.bindings.addrinfo.sizeof());
                randomBytes(garbage);
                boolean real = rnd.nextBoolean();
                refuseUnless(real || garbage.isNull(), EINVAL); // NULL is C's no-op
                maxResult = 0;
                return () -> {
                    errno(0);
                    if (real) {
                        MemorySegment res = arena.allocate(ValueLayout.ADDRESS);
                        if (getaddrinfo("127.0.0.1", "80", MemorySegment.NULL, res) != 0) throw new AssertionError("getaddrinfo 127.0.0.1");
                        freeaddrinfo(res.get(ValueLayout.ADDRESS, 0));
                    } else {
                        freeaddrinfo(garbage.seg);
                    }
                    lastResult = errno() == 0 ? 0 : -1;
                };
            }
            case "posix_spawn_file_actions_init" -> {
                // two objects in one region, overlapping or not: the second is refused when it overlaps the first
                long size = posix_spawn_file_actions_t.sizeof();
                Guard region = Guard.of(arena, 2 * size); // not among the call's segments: libc writes the first object whether or not the second is refused
                long second = rnd.nextInt((int) size + 1) + (rnd.nextBoolean() ? 0 : rnd.nextInt((int) size));
                MemorySegment fa1 = region.slice.asSlice(0, size), fa2 = region.slice.asSlice(Math.min(second, size), size);
                boolean overlaps = second < size;
                refuseUnless(!overlaps, EINVAL);
                maxResult = 0;
                return () -> {
                    if (posix_spawn_file_actions_init(fa1) != 0) throw new AssertionError("posix_spawn_file_actions_init");
                    int r = posix_spawn_file_actions_init(fa2);
                    if (r == 0 && posix_spawn_file_actions_destroy(fa2) != 0) violation("posix_spawn_file_actions_destroy", "of the second object");
                    if (posix_spawn_file_actions_destroy(fa1) != 0) violation("posix_spawn_file_actions_destroy", "of the first object");
                    if (region.firstOutsideWrite() >= 0) violation("posix_spawn_file_actions_init", "wrote outside the two objects");
                    if (r != 0) errno(r);
                    lastResult = r == 0 ? 0 : -1;
                };
            }
            case "fstat" -> {
                int fd = rnd.nextInt(4) == 0 ? file : fd();
                Seg st = seg(rnd.nextBoolean() ? io.github.panamasockets.bindings.stat.sizeof() : 64);
                refuseUnless(writable(st, io.github.panamasockets.bindings.stat.sizeof()), EFAULT);
                maxResult = 0;
                return () -> lastResult = fstat(fd, st.seg);
            }
            case "pipe2" -> {
                Seg sv = seg(8);
                int flags = new int[] {0, O_NONBLOCK, O_CLOEXEC | O_NONBLOCK, 0x10}[rnd.nextInt(4)];
                refuseUnless(writable(sv, 8), EFAULT);
                onSuccess = () -> closePair(sv);
                maxResult = 0;
                return () -> lastResult = pipe2(sv.seg, flags);
            }
            case "sendfile", "splice" -> {
                int in = rnd.nextInt(3) == 0 ? file : fd(), out = fd();
                Seg offIn = seg(8), offOut = seg(8);
                long n = rnd.nextInt(64);
                if (offIn.live() && offIn.size() >= 8 && rnd.nextBoolean()) offIn.w().set(ValueLayout.JAVA_LONG_UNALIGNED, 0, rnd.nextInt(40));
                maxResult = n;
                if (call.equals("sendfile")) {
                    refuseUnless(nullOrWritable(offIn, 8), EFAULT); // the kernel moves *offset on
                    return () -> lastResult = sendfile(out, in, offIn.seg, n);
                }
                refuseUnless(nullOrWritable(offIn, 8) && nullOrWritable(offOut, 8), EFAULT);
                int flags = SPLICE_F_NONBLOCK | (rnd.nextBoolean() ? SPLICE_F_MORE : 0); // never a wait: every end is non-blocking
                return () -> lastResult = splice(in, offIn.seg, out, offOut.seg, n, flags);
            }
            case "timerfd_settime", "timerfd_gettime" -> {
                int fd = rnd.nextInt(3) == 0 ? fd() : timerfd;
                long size = io.github.panamasockets.bindings.itimerspec.sizeof();
                Seg v = seg(rnd.nextBoolean() ? size : 16), old = seg(size);
                maxResult = 0;
                if (call.equals("timerfd_gettime")) {
                    refuseUnless(writable(v, size), EFAULT);
                    return () -> lastResult = timerfd_gettime(fd, v.seg);
                }
                if (v.live() && v.size() >= size) { // a timer an hour away, or garbage (EINVAL)
                    if (rnd.nextBoolean()) v.w().fill((byte) 0).set(ValueLayout.JAVA_LONG_UNALIGNED, 16, 3600);
                }
                int flags = new int[] {0, TFD_TIMER_ABSTIME, 0x100}[rnd.nextInt(3)];
                refuseUnless(holds(v, size) && nullOrWritable(old, size), EFAULT); // new_value is only read
                return () -> lastResult = timerfd_settime(fd, flags, v.seg, old.seg);
            }
            case "getrlimit" -> {
                int resource = new int[] {RLIMIT_NOFILE, RLIMIT_CORE, RLIMIT_STACK, 999}[rnd.nextInt(4)];
                Seg rl = seg(rnd.nextBoolean() ? 16 : 8);
                refuseUnless(writable(rl, 16), EFAULT);
                maxResult = 0;
                return () -> lastResult = getrlimit(resource, rl.seg);
            }
            case "uname" -> {
                long size = io.github.panamasockets.bindings.utsname.sizeof();
                Seg u = seg(rnd.nextBoolean() ? size : 100);
                refuseUnless(writable(u, size), EFAULT);
                maxResult = 0;
                return () -> lastResult = uname(u.seg);
            }
            case "ioctl" -> {
                int fd = fd();
                long request = new long[] {FIONREAD, SIOCGIFINDEX, SIOCGIFADDR, 0x5413}[rnd.nextInt(4)]; // never FIONBIO: the pool stays non-blocking
                long need = request == FIONREAD ? 4 : io.github.panamasockets.bindings.ifreq.sizeof();
                Seg a = seg(rnd.nextBoolean() ? 4 : io.github.panamasockets.bindings.ifreq.sizeof());
                if (need > 4 && a.live() && a.size() >= need && rnd.nextBoolean()) a.w().setString(0, rnd.nextBoolean() ? "lo" : "psocknoif");
                refuseUnless(request != 0x5413, EINVAL);
                refuseUnless(writable(a, need), EFAULT); // each request here writes its argument
                maxResult = 0;
                return () -> lastResult = ioctl(fd, request, a.seg);
            }
            case "if_indextoname" -> {
                int index = new int[] {1, 0, 0x7fffffff, -1}[rnd.nextInt(4)];
                Seg name = seg(rnd.nextBoolean() ? IF_NAMESIZE : 8);
                refuseUnless(writable(name, IF_NAMESIZE), EFAULT);
                maxResult = 0;
                return () -> lastResult = if_indextoname(index, name.seg).equals(MemorySegment.NULL) ? -1 : 0;
            }
            case "sigpending" -> {
                Seg set = seg(sigset_t.sizeof());
                refuseUnless(writable(set, sigset_t.sizeof()), EFAULT);
                maxResult = 0;
                return () -> lastResult = sigpending(set.seg);
            }
            case "sigprocmask", "pthread_sigmask" -> {
                int how = new int[] {SIG_BLOCK, SIG_UNBLOCK, 99}[rnd.nextInt(3)]; // never SIG_SETMASK: the thread's mask stays as it is
                Seg set = emptySigset(), old = seg(sigset_t.sizeof());
                refuseUnless(nullOrHolds(set, sigset_t.sizeof()) && nullOrWritable(old, sigset_t.sizeof()), EFAULT);
                refuseUnless(set.isNull() || how != 99, EINVAL);
                maxResult = 0;
                if (call.equals("sigprocmask")) return () -> lastResult = sigprocmask(how, set.seg, old.seg);
                return () -> { // returns the error number, leaves errno alone
                    int err = pthread_sigmask(how, set.seg, old.seg);
                    if (err != 0) errno(err);
                    lastResult = err == 0 ? 0 : -1;
                };
            }
            case "sigaction" -> {
                int signum = new int[] {SIGUSR1, SIGINT, SIGTERM, 0, 65}[rnd.nextInt(5)];
                // act never fits (a struct sigaction is 152 bytes): the fuzz queries, it never changes a disposition
                Seg act = rnd.nextBoolean() ? new Seg(MemorySegment.NULL, null, "NULL") : seg(16), old = seg(sigaction.sizeof());
                refuseUnless(nullOrHolds(act, sigaction.sizeof()) && nullOrWritable(old, sigaction.sizeof()), EFAULT);
                refuseUnless(signum >= 1 && signum < NSIG, EINVAL);
                maxResult = 0;
                return () -> lastResult = sigaction(signum, act.seg, old.seg);
            }
            case "sigtimedwait" -> {
                Seg set = emptySigset(), info = seg(siginfo_t.sizeof()), t = zeroTimeout(timespec.sizeof());
                refuseUnless(holds(set, sigset_t.sizeof()) && nullOrWritable(info, siginfo_t.sizeof()) && nullOrHolds(t, timespec.sizeof()), EFAULT);
                maxResult = NSIG;
                return () -> lastResult = sigtimedwait(set.seg, info.seg, t.seg);
            }
            case "getitimer" -> {
                int which = new int[] {ITIMER_REAL, ITIMER_VIRTUAL, 99}[rnd.nextInt(3)];
                Seg v = seg(itimerval.sizeof());
                refuseUnless(writable(v, itimerval.sizeof()), EFAULT);
                maxResult = 0;
                return () -> lastResult = getitimer(which, v.seg);
            }
            case "setitimer" -> {
                int which = new int[] {ITIMER_VIRTUAL, ITIMER_PROF, 99}[rnd.nextInt(3)]; // a zero value: disarmed, no signal
                Seg v = zeroTimeout(itimerval.sizeof()), old = seg(itimerval.sizeof());
                refuseUnless(holds(v, itimerval.sizeof()) && nullOrWritable(old, itimerval.sizeof()), EFAULT);
                maxResult = 0;
                return () -> lastResult = setitimer(which, v.seg, old.seg);
            }
            default -> throw new AssertionError(call);
        }
    }

    /** Fills the iovecs that fit in {@code iov} with valid ones pointing at guarded buffers; returns their total length. */
    long fillIov(Seg iov, long count, boolean withData) {
        long total = 0;
        if (!iov.live()) return 0;
        for (long k = 0; k < count && (k + 1) * iovec.sizeof() <= iov.size(); k++) {
            Seg b = exact(rnd.nextInt(32) + 1);
            if (withData) randomBytes(b);
            long n = rnd.nextInt((int) b.size() + 1);
            iov.w().set(ValueLayout.ADDRESS_UNALIGNED, k * iovec.sizeof() + iovec.iov_base$offset(), b.seg);
            iov.w().set(ValueLayout.JAVA_LONG_UNALIGNED, k * iovec.sizeof() + iovec.iov_len$offset(), n);
            total += n;
        }
        return total;
    }

    /** Runs {@code iterations} random calls; returns a report of what went wrong (empty: nothing). */
    String run(int iterations) {
        int baseline = NoLeaks.kernelObjects().size();
        try {
            for (int i = 0; i < iterations; i++) {
                if (i % ROUND == 0) {
                    closePool();
                    // after each round every descriptor a call made was closed: one lost to an exception after its call shows here
                    int open = NoLeaks.kernelObjects().size();
                    if (open != baseline) violation("descriptors", (open - baseline) + " left open after round " + i / ROUND);
                    openPool();
                }
                iteration(i);
                if ((i + 1) % CANARY_BATCH == 0 && canaries.length > 0) checkCanaries();
            }
        } finally {
            closePool();
        }
        if (canaries.length > 0) checkCanaries();
        if (violations.isEmpty()) return "";
        StringBuilder s = new StringBuilder("fuzz with seed " + seed + " (rerun: -Dpsock.fuzzSeed=" + seed + "):\n");
        violations.forEach((k, v) -> s.append("  ").append(k).append("  [first at ").append(v).append("]\n"));
        return s.toString();
    }

    @Override
    public void close() {
        closePool();
        releaseForeign.countDown();
        try {
            foreignOwner.join(); // it ends as soon as it is released
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        arena.close();
    }

    /**
     * In a child JVM (with the trace on, or with -Xmx2g for the long run): {@code FacadeFuzz seed iterations [canaryMegabytes]};
     * prints the figures and exits 1 with the report on a violation.
     */
    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int iterations = Integer.parseInt(args[1]);
        int canaryMegabytes = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        String report;
        try (FacadeFuzz fuzz = new FacadeFuzz(seed)) {
            fuzz.withHeapCanaries(canaryMegabytes);
            long started = System.nanoTime();
            report = fuzz.run(iterations);
            System.out.println("outcomes: " + fuzz.outcomes.size());
            System.out.println("calls: " + fuzz.calls + ", exceptions: " + fuzz.exceptions + " (all before the system call: the call changed nothing)"
                    + ", heap canaries: " + canaryMegabytes + " MiB checked " + fuzz.canaryChecks + " times, changed: " + fuzz.changedCanaries
                    + ", violations: " + fuzz.violations.size() + ", seconds: " + (System.nanoTime() - started) / 1_000_000_000L);
            System.out.println("max heap: " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
            fuzz.outcomes.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        }
        if (!report.isEmpty()) {
            System.out.println(report);
            System.exit(1);
        }
    }
}
