package io.github.panamasockets.api;

import io.github.panamasockets.bindings.SocketsConstants;
import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.in6_addr;
import io.github.panamasockets.bindings.in_addr;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_un;
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
            "fstat", "pipe2", "sendfile", "splice", "timerfd_settime", "timerfd_gettime", "getrlimit", "uname", "ioctl", "if_indextoname"};

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
        for (String file : List.of("Posix.java", "PosixNetdb.java", "PosixFiles.java", "PosixEvents.java", "PosixProcess.java", "PosixInterfaces.java")) {
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

        long size() { return seg.byteSize(); }
        boolean isNull() { return seg.equals(MemorySegment.NULL); }
        boolean live() { return guard != null; }
    }

    final List<Seg> used = new ArrayList<>();
    boolean closedOrForeign;

    /** A segment for a call that wants about {@code need} bytes: mostly a guarded slice near that size. */
    Seg seg(long need) {
        int k = rnd.nextInt(100);
        Seg s;
        if (k < 6) s = new Seg(MemorySegment.NULL, null, "NULL");
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
        return n >= 0 && s.seg.isNative() && n <= s.size() && (n == 0 || !s.isNull());
    }

    static boolean nullOrHolds(Seg s, long n) {
        return s.isNull() || holds(s, n);
    }

    /** socklen_t* value-result: NULL only with a NULL buffer, else 4 bytes whose value fits the buffer. */
    boolean valueResultFits(Seg buf, Seg len) {
        if (len.isNull()) return buf.isNull();
        if (!holds(len, 4)) return false;
        if (len.kind.equals("closed") || len.kind.equals("foreign")) return true; // reading it throws: decided by the exception
        int n = len.seg.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        return n >= 0 && (buf.isNull() || holds(buf, n));
    }

    /** Puts a socklen_t value into a length segment where it can (a guarded slice of 4 or more bytes). */
    void socklen(Seg len, int value) {
        if (len.live() && len.size() >= 4) len.seg.set(ValueLayout.JAVA_INT_UNALIGNED, 0, value);
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
        if (s.live()) MemorySegment.copy(a, 0, s.seg, 0, Math.min(a.byteSize(), s.size()));
        return a.byteSize();
    }

    void randomBytes(Seg s) {
        if (!s.live()) return;
        byte[] b = new byte[(int) s.size()];
        rnd.nextBytes(b);
        MemorySegment.copy(b, 0, s.seg, ValueLayout.JAVA_BYTE, 0, b.length);
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
            r = Long.MIN_VALUE;
        }
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

    Runnable prepare(String call) {
        switch (call) {
            case "bind", "connect" -> {
                int fd = fd();
                Seg a = seg(rnd.nextBoolean() ? 16 : 28);
                address(a);
                int len = ilen(a.size());
                refuseUnless(holds(a, len), EFAULT);
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
                refuseUnless(holds(b, n), EFAULT);
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
                refuseUnless(holds(b, n) && nullOrHolds(a, alen), EFAULT);
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
                refuseUnless(holds(b, n) && valueResultFits(a, l), EFAULT);
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
                    return () -> lastResult = getsockopt(fd, level, name, v.seg, l.seg);
                }
                if (v.live() && v.size() >= 4) v.seg.set(ValueLayout.JAVA_INT_UNALIGNED, 0, rnd.nextInt(1 << 16));
                int len = ilen(v.size());
                refuseUnless(nullOrHolds(v, len) && !(v.isNull() && len != 0), EFAULT);
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
            case "select" -> {
                int nfds = switch (rnd.nextInt(6)) {
                    case 0 -> -1;
                    case 1 -> FD_SETSIZE + 1 + rnd.nextInt(3);
                    case 2 -> FD_SETSIZE;
                    default -> rnd.nextInt(pool.stream().mapToInt(Integer::intValue).max().orElse(0) + 2);
                };
                Seg[] sets = new Seg[3];
                for (int k = 0; k < 3; k++) {
                    sets[k] = seg(fd_set.sizeof());
                    if (sets[k].live() && sets[k].size() >= fd_set.sizeof()) {
                        FD_ZERO(sets[k].seg);
                        for (int fd : pool) if (fd < nfds && rnd.nextBoolean()) FD_SET(fd, sets[k].seg);
                    }
                }
                Seg tv = seg(timeval.sizeof());
                if (tv.isNull()) { // a NULL timeout waits for ever: give a zero one
                    used.remove(tv);
                    tv = exact(timeval.sizeof());
                }
                if (tv.live()) tv.seg.fill((byte) 0);
                Seg t = tv;
                refuseUnless(nfds >= 0 && nfds <= FD_SETSIZE, EINVAL);
                boolean fits = true;
                for (Seg s : sets) fits &= nullOrHolds(s, fd_set.sizeof());
                refuseUnless(fits && nullOrHolds(t, timeval.sizeof()), EFAULT);
                maxResult = 3L * Math.max(nfds, 0);
                return () -> lastResult = select(nfds, sets[0].seg, sets[1].seg, sets[2].seg, t.seg);
            }
            case "poll" -> {
                Seg p = seg(pollfd.sizeof() * (1 + rnd.nextInt(3)));
                long room = p.size() / pollfd.sizeof();
                if (p.live()) for (long k = 0; k < room; k++) {
                    MemorySegment e = p.seg.asSlice(k * pollfd.sizeof(), pollfd.sizeof());
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
                refuseUnless(nfds <= Integer.MAX_VALUE / pollfd.sizeof() && holds(p, nfds * pollfd.sizeof()), EFAULT);
                maxResult = Math.max(nfds, 0);
                return () -> lastResult = poll(p.seg, nfds, 0);
            }
            case "epoll_ctl" -> {
                int ep = rnd.nextInt(4) == 0 ? fd() : epfd;
                int op = new int[] {EPOLL_CTL_ADD, EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLL_CTL_DEL, 99}[rnd.nextInt(5)];
                int fd = fd();
                Seg ev = seg(epoll_event.sizeof());
                if (ev.live() && ev.size() >= 4) ev.seg.set(ValueLayout.JAVA_INT_UNALIGNED, 0, EPOLLIN | (rnd.nextBoolean() ? EPOLLOUT : 0) | (rnd.nextInt(8) == 0 ? EPOLLET : 0));
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
                refuseUnless(max > 0, EINVAL);
                refuseUnless(holds(evs, (long) max * epoll_event.sizeof()), EFAULT);
                maxResult = Math.max(max, 0);
                return () -> lastResult = epoll_wait(ep, evs.seg, max, 0);
            }
            case "socketpair", "pipe" -> {
                Seg sv = seg(8);
                refuseUnless(holds(sv, 8), EFAULT);
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
                refuseUnless(cnt >= 0, EINVAL);
                refuseUnless(holds(iov, (long) cnt * iovec.sizeof()), EFAULT);
                maxResult = total;
                return call.equals("readv") ? () -> lastResult = readv(fd, iov.seg, cnt) : () -> lastResult = writev(fd, iov.seg, cnt);
            }
            case "sendmsg", "recvmsg" -> {
                int fd = fd();
                boolean send = call.equals("sendmsg");
                Seg msg = seg(msghdr.sizeof());
                long total = 0;
                if (msg.live() && msg.size() >= msghdr.sizeof()) {
                    MemorySegment m = msg.seg;
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
                refuseUnless(holds(msg, msghdr.sizeof()), EFAULT);
                maxResult = total;
                int flags = flags() & ~(MSG_WAITALL | MSG_OOB);
                return send ? () -> lastResult = sendmsg(fd, msg.seg, flags) : () -> lastResult = recvmsg(fd, msg.seg, flags);
            }
            case "inet_pton" -> {
                int af = new int[] {AF_INET, AF_INET6, 9999}[rnd.nextInt(3)];
                String src = new String[] {"127.0.0.1", "::1", "fe80::1", "1.2.3", "", "garbage", "255.255.255.255", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8:9"}[rnd.nextInt(9)];
                Seg dst = seg(af == AF_INET6 ? 16 : 4);
                refuseUnless(holds(dst, af == AF_INET6 ? in6_addr.sizeof() : in_addr.sizeof()), EFAULT);
                maxResult = 1;
                return () -> lastResult = inet_pton(af, src, dst.seg);
            }
            case "inet_ntop" -> {
                int af = new int[] {AF_INET, AF_INET6, 9999}[rnd.nextInt(3)];
                Seg src = seg(af == AF_INET6 ? 16 : 4);
                randomBytes(src);
                Seg dst = seg(rnd.nextBoolean() ? INET_ADDRSTRLEN : INET6_ADDRSTRLEN);
                int size = ilen(dst.size());
                refuseUnless(holds(src, af == AF_INET6 ? 16 : 4) && holds(dst, size), EFAULT);
                maxResult = 0;
                return () -> {
                    MemorySegment p = inet_ntop(af, src.seg, dst.seg, size);
                    lastResult = p.equals(MemorySegment.NULL) ? -1 : p.equals(dst.seg) ? 0 : Long.MAX_VALUE;
                };
            }
            case "inet_aton" -> {
                String cp = new String[] {"127.0.0.1", "127.1", "0x7f.1", "", "garbage", "1.2.3.4.5"}[rnd.nextInt(6)];
                Seg inp = seg(4);
                refuseUnless(holds(inp, 4), EFAULT);
                maxResult = 1;
                return () -> lastResult = inet_aton(cp, inp.seg);
            }
            case "waitpid" -> {
                int pid = rnd.nextBoolean() ? getpid() : 1; // never a child of this JVM: nothing to wait for, nothing reaped
                Seg status = seg(4);
                int options = WNOHANG | (rnd.nextInt(4) == 0 ? 0x01000000 : 0); // WNOWAIT: waitid's, not wait4's (EINVAL)
                refuseUnless(nullOrHolds(status, 4), EFAULT);
                maxResult = 0;
                return () -> lastResult = waitpid(pid, status.seg, options);
            }
            case "fstat" -> {
                int fd = rnd.nextInt(4) == 0 ? file : fd();
                Seg st = seg(rnd.nextBoolean() ? io.github.panamasockets.bindings.stat.sizeof() : 64);
                refuseUnless(holds(st, io.github.panamasockets.bindings.stat.sizeof()), EFAULT);
                maxResult = 0;
                return () -> lastResult = fstat(fd, st.seg);
            }
            case "pipe2" -> {
                Seg sv = seg(8);
                int flags = new int[] {0, O_NONBLOCK, O_CLOEXEC | O_NONBLOCK, 0x10}[rnd.nextInt(4)];
                refuseUnless(holds(sv, 8), EFAULT);
                onSuccess = () -> closePair(sv);
                maxResult = 0;
                return () -> lastResult = pipe2(sv.seg, flags);
            }
            case "sendfile", "splice" -> {
                int in = rnd.nextInt(3) == 0 ? file : fd(), out = fd();
                Seg offIn = seg(8), offOut = seg(8);
                long n = rnd.nextInt(64);
                if (offIn.live() && offIn.size() >= 8 && rnd.nextBoolean()) offIn.seg.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, rnd.nextInt(40));
                maxResult = n;
                if (call.equals("sendfile")) {
                    refuseUnless(nullOrHolds(offIn, 8), EFAULT);
                    return () -> lastResult = sendfile(out, in, offIn.seg, n);
                }
                refuseUnless(nullOrHolds(offIn, 8) && nullOrHolds(offOut, 8), EFAULT);
                int flags = SPLICE_F_NONBLOCK | (rnd.nextBoolean() ? SPLICE_F_MORE : 0); // never a wait: every end is non-blocking
                return () -> lastResult = splice(in, offIn.seg, out, offOut.seg, n, flags);
            }
            case "timerfd_settime", "timerfd_gettime" -> {
                int fd = rnd.nextInt(3) == 0 ? fd() : timerfd;
                long size = io.github.panamasockets.bindings.itimerspec.sizeof();
                Seg v = seg(rnd.nextBoolean() ? size : 16), old = seg(size);
                maxResult = 0;
                if (call.equals("timerfd_gettime")) {
                    refuseUnless(holds(v, size), EFAULT);
                    return () -> lastResult = timerfd_gettime(fd, v.seg);
                }
                if (v.live() && v.size() >= size) { // a timer an hour away, or garbage (EINVAL)
                    if (rnd.nextBoolean()) v.seg.fill((byte) 0).set(ValueLayout.JAVA_LONG_UNALIGNED, 16, 3600);
                }
                int flags = new int[] {0, TFD_TIMER_ABSTIME, 0x100}[rnd.nextInt(3)];
                refuseUnless(holds(v, size) && nullOrHolds(old, size), EFAULT);
                return () -> lastResult = timerfd_settime(fd, flags, v.seg, old.seg);
            }
            case "getrlimit" -> {
                int resource = new int[] {RLIMIT_NOFILE, RLIMIT_CORE, RLIMIT_STACK, 999}[rnd.nextInt(4)];
                Seg rl = seg(rnd.nextBoolean() ? 16 : 8);
                refuseUnless(holds(rl, 16), EFAULT);
                maxResult = 0;
                return () -> lastResult = getrlimit(resource, rl.seg);
            }
            case "uname" -> {
                long size = io.github.panamasockets.bindings.utsname.sizeof();
                Seg u = seg(rnd.nextBoolean() ? size : 100);
                refuseUnless(holds(u, size), EFAULT);
                maxResult = 0;
                return () -> lastResult = uname(u.seg);
            }
            case "ioctl" -> {
                int fd = fd();
                long request = new long[] {FIONREAD, SIOCGIFINDEX, SIOCGIFADDR, 0x5413}[rnd.nextInt(4)]; // never FIONBIO: the pool stays non-blocking
                long need = request == FIONREAD ? 4 : io.github.panamasockets.bindings.ifreq.sizeof();
                Seg a = seg(rnd.nextBoolean() ? 4 : io.github.panamasockets.bindings.ifreq.sizeof());
                if (need > 4 && a.live() && a.size() >= need && rnd.nextBoolean()) a.seg.setString(0, rnd.nextBoolean() ? "lo" : "psocknoif");
                refuseUnless(request != 0x5413, EINVAL);
                refuseUnless(holds(a, need), EFAULT);
                maxResult = 0;
                return () -> lastResult = ioctl(fd, request, a.seg);
            }
            case "if_indextoname" -> {
                int index = new int[] {1, 0, 0x7fffffff, -1}[rnd.nextInt(4)];
                Seg name = seg(rnd.nextBoolean() ? IF_NAMESIZE : 8);
                refuseUnless(holds(name, IF_NAMESIZE), EFAULT);
                maxResult = 0;
                return () -> lastResult = if_indextoname(index, name.seg).equals(MemorySegment.NULL) ? -1 : 0;
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
            iov.seg.set(ValueLayout.ADDRESS_UNALIGNED, k * iovec.sizeof() + iovec.iov_base$offset(), b.seg);
            iov.seg.set(ValueLayout.JAVA_LONG_UNALIGNED, k * iovec.sizeof() + iovec.iov_len$offset(), n);
            total += n;
        }
        return total;
    }

    /** Runs {@code iterations} random calls; returns a report of what went wrong (empty: nothing). */
    String run(int iterations) {
        try {
            for (int i = 0; i < iterations; i++) {
                if (i % ROUND == 0) {
                    closePool();
                    openPool();
                }
                iteration(i);
            }
        } finally {
            closePool();
        }
        if (violations.isEmpty()) return "";
        StringBuilder s = new StringBuilder("fuzz with seed " + seed + " (rerun: -Dpsock.fuzzSeed=" + seed + "):\n");
        violations.forEach((k, v) -> s.append("  ").append(k).append("  [first at ").append(v).append("]\n"));
        return s.toString();
    }

    @Override
    public void close() throws InterruptedException {
        closePool();
        releaseForeign.countDown();
        foreignOwner.join();
        arena.close();
    }

    /** In a child JVM (with the trace on): {@code FacadeFuzz seed iterations}; exits 1 with the report on a violation. */
    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int iterations = Integer.parseInt(args[1]);
        String report;
        try (FacadeFuzz fuzz = new FacadeFuzz(seed)) {
            report = fuzz.run(iterations);
            System.out.println("outcomes: " + fuzz.outcomes.size());
        }
        if (!report.isEmpty()) {
            System.out.println(report);
            System.exit(1);
        }
    }
}
