package io.github.panamasockets.api;

import io.github.panamasockets.bindings.addrinfo;
import io.github.panamasockets.bindings.cmsghdr;
import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.f_owner_ex;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.flock;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.posix_spawn_file_actions_t;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.stat;
import io.github.panamasockets.bindings.timeval;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The misuses of issue 8, one test each, as a hostile caller would try them: the exact result and
 * errno, nothing written outside a segment (a 0xAA guard around each) and, for a refused call, not
 * inside either, nothing consumed, no descriptor lost ({@link NoLeaks} counts them).
 */
@ExtendWith(NoLeaks.class)
class MisuseTest {
    Arena arena;
    int[] sp;   // a non-blocking AF_UNIX stream pair

    @BeforeEach
    void open() {
        arena = Arena.ofConfined();
        sp = socketpair(SOCK_STREAM | SOCK_NONBLOCK);
    }

    @AfterEach
    void closeEverything() {
        closeAll(sp);
        arena.close();
    }

    long put(int fd, String s) {
        return Posix.send(fd, arena.allocateFrom(s), s.length(), MSG_NOSIGNAL);
    }

    String pending(int fd) {
        MemorySegment buf = arena.allocate(256);
        long n = recv(fd, buf, 256, MSG_DONTWAIT);
        if (n == -1 && errno() == EAGAIN) return "";
        assertTrue(n >= 0, "recv: " + strerrorname(errno()));
        return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
    }

    static void refused(int errno, long r, Guard g, String what) {
        assertFails(errno, r, what);
        g.assertUntouched(what);
    }

    /** A guarded slice handed to the call read-only: what it holds is the guard's pattern. */
    static MemorySegment readOnly(Guard g) {
        return g.slice.asReadOnly();
    }

    // ---- 1. fcntl: an int never becomes a write address ------------------------------------

    @Test
    void fcntlsIntFormRefusesEveryPointerCommandAndWritesNothingOnTheHeap() {
        long[] heap = new long[1024];
        java.util.Arrays.fill(heap, 0x1122334455667788L);
        int[] pointerCommands = {F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_GETOWN_EX, F_SETOWN_EX,
                F_GET_RW_HINT, F_SET_RW_HINT, F_GET_FILE_RW_HINT, F_SET_FILE_RW_HINT};
        for (int cmd : pointerCommands) {
            for (int arg : new int[] {0, 4096, 0x7fff_fff0, 0x8000_0000, -8, System.identityHashCode(heap)}) {
                assertFails(EINVAL, fcntl(sp[0], cmd, arg), "fcntl(" + Names.value("F_", cmd) + ", int " + arg + ")");
            }
            assertFails(EINVAL, fcntl(sp[0], cmd), "fcntl(" + Names.value("F_", cmd) + ") without its pointer");
        }
        for (int unknown : new int[] {17, 9999, -1}) assertFails(EINVAL, fcntl(sp[0], unknown, 0), "fcntl(" + unknown + ")");
        for (long v : heap) assertEquals(0x1122334455667788L, v);
        // the int commands still work
        int flags = ok("fcntl F_GETFL", fcntl(sp[0], F_GETFL));
        assertTrue((flags & O_NONBLOCK) != 0);
        assertEquals(0, fcntl(sp[0], F_SETFL, flags));
    }

    @Test
    void fcntlsPointerFormChecksTheSizeForItsCommand() {
        Guard owner = Guard.of(arena, f_owner_ex.sizeof(), 3);
        assertEquals(0, fcntl(sp[0], F_GETOWN_EX, owner.slice));
        owner.assertOutsideUntouched("F_GETOWN_EX");
        assertEquals(0, owner.slice.get(ValueLayout.JAVA_INT_UNALIGNED, f_owner_ex.pid$offset()), "no owner set");

        Guard small = Guard.of(arena, f_owner_ex.sizeof() - 1);
        refused(EFAULT, fcntl(sp[0], F_GETOWN_EX, small.slice), small, "F_GETOWN_EX into 7 bytes");
        Guard ro = Guard.of(arena, f_owner_ex.sizeof());
        refused(EFAULT, fcntl(sp[0], F_GETOWN_EX, readOnly(ro)), ro, "F_GETOWN_EX into a read-only segment");
        refused(EFAULT, fcntl(sp[0], F_GETOWN_EX, MemorySegment.NULL), ro, "F_GETOWN_EX into NULL");
        refused(EFAULT, fcntl(sp[0], F_GETOWN_EX, (MemorySegment) null), ro, "F_GETOWN_EX into null");
        refused(EFAULT, fcntl(sp[0], F_GETOWN_EX, MemorySegment.ofArray(new byte[8])), ro, "F_GETOWN_EX into the heap");

        Guard lock = Guard.of(arena, flock.sizeof() - 1);
        refused(EFAULT, fcntl(sp[0], F_GETLK, lock.slice), lock, "F_GETLK into a struct flock less one byte");
        refused(EFAULT, fcntl(sp[0], F_OFD_SETLK, lock.slice), lock, "F_OFD_SETLK from a struct flock less one byte");
        Guard hint = Guard.of(arena, 7);
        refused(EFAULT, fcntl(sp[0], F_GET_RW_HINT, hint.slice), hint, "F_GET_RW_HINT into 7 bytes");
        // a command that takes an int, or one nobody knows, is not given a pointer
        Guard any = Guard.of(arena, 64);
        refused(EINVAL, fcntl(sp[0], F_SETFL, any.slice), any, "F_SETFL with a pointer");
        refused(EINVAL, fcntl(sp[0], 9999, any.slice), any, "an unknown command with a pointer");
        // a read-only struct for a command that only reads it is fine
        MemorySegment set = arena.allocate(f_owner_ex.layout());
        f_owner_ex.type(set, F_OWNER_PID);
        f_owner_ex.pid(set, getpid());
        assertEquals(0, fcntl(sp[0], F_SETOWN_EX, set.asReadOnly()));
        assertEquals(getpid(), fcntl(sp[0], F_GETOWN));
    }

    // ---- 2. read-only segments: -1 EFAULT for anything the kernel writes -----------------

    @Test
    void readOnlySegmentsAreNeverWrittenByTheKernel() {
        put(sp[0], "data");
        Guard g = Guard.of(arena, 64, 1);
        MemorySegment ro = readOnly(g);
        MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, 16);
        refused(EFAULT, read(sp[1], ro, 4), g, "read");
        refused(EFAULT, recv(sp[1], ro, 4, 0), g, "recv");
        refused(EFAULT, recvfrom(sp[1], ro, 4, 0, MemorySegment.NULL, MemorySegment.NULL), g, "recvfrom buf");
        refused(EFAULT, recvfrom(sp[1], arena.allocate(4), 4, 0, ro, len), g, "recvfrom src_addr");
        refused(EFAULT, pipe(ro), g, "pipe");
        refused(EFAULT, socketpair(AF_UNIX, SOCK_STREAM, 0, ro), g, "socketpair");
        refused(EFAULT, getsockname(sp[0], ro, len), g, "getsockname addr");
        refused(EFAULT, getsockname(sp[0], arena.allocate(16), ro), g, "getsockname addrlen");
        refused(EFAULT, getsockopt(sp[0], SOL_SOCKET, SO_TYPE, ro, arena.allocateFrom(ValueLayout.JAVA_INT, 4)), g, "getsockopt optval");
        refused(EFAULT, getsockopt(sp[0], SOL_SOCKET, SO_TYPE, arena.allocate(4), ro), g, "getsockopt optlen");
        MemorySegment set = arena.allocate(fd_set.layout());
        refused(EFAULT, select(sp[1] + 1, ro, MemorySegment.NULL, MemorySegment.NULL, arena.allocate(timeval.layout())), g, "select set");
        refused(EFAULT, select(sp[1] + 1, set, MemorySegment.NULL, MemorySegment.NULL, ro), g, "select timeout");
        refused(EFAULT, poll(ro, 1, 0), g, "poll");
        refused(EFAULT, waitpid(-1, ro, WNOHANG), g, "waitpid");
        refused(EFAULT, inet_pton(AF_INET, "127.0.0.1", ro), g, "inet_pton");
        refused(EFAULT, inet_aton("127.0.0.1", ro), g, "inet_aton");
        assertEquals(MemorySegment.NULL, inet_ntop(AF_INET, arena.allocate(4), ro, 16));
        assertErrno(EFAULT, "inet_ntop");
        refused(EFAULT, stat("/", ro.reinterpret(stat.sizeof() + 64)), g, "stat");
        assertEquals(MemorySegment.NULL, mkdtemp(arena.allocateFrom(System.getProperty("java.io.tmpdir") + "/psock-ro.XXXXXX").asReadOnly()));
        assertErrno(EFAULT, "mkdtemp");
        assertEquals(EAI_SYSTEM, getaddrinfo("127.0.0.1", "80", MemorySegment.NULL, ro));
        assertErrno(EFAULT, "getaddrinfo res");
        assertEquals(EAI_SYSTEM, getnameinfo(addr(arena, 80), 16, ro, 64, MemorySegment.NULL, 0, NI_NUMERICHOST));
        assertErrno(EFAULT, "getnameinfo host");
        assertEquals(EFAULT, posix_spawn(ro, "/bin/true", MemorySegment.NULL, MemorySegment.NULL, new String[] {"true"}, null));
        g.assertUntouched("posix_spawn pid");
        assertEquals(EFAULT, posix_spawn_file_actions_init(ro.reinterpret(posix_spawn_file_actions_t.sizeof())));
        MemorySegment msg = arena.allocate(msghdr.layout());
        refused(EFAULT, recvmsg(sp[1], msg.asReadOnly(), 0), g, "recvmsg msghdr");
        assertEquals(-1, FD_ZERO(ro.reinterpret(fd_set.sizeof())));
        assertEquals(-1, FD_SET(1, ro.reinterpret(fd_set.sizeof())));
        g.assertUntouched("FD_ZERO/FD_SET");
        int ep = ok("epoll_create1", epoll_create1(EPOLL_CLOEXEC));
        try {
            MemorySegment ev = arena.allocate(epoll_event.layout());
            events(ev, EPOLLIN);
            assertEquals(0, epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], ev.asReadOnly()), "the kernel only reads epoll_ctl's event");
            refused(EFAULT, epoll_wait(ep, ro, 1, 0), g, "epoll_wait");
        } finally {
            Posix.close(ep);
        }
        // a read-only direct ByteBuffer is refused the same way
        MemorySegment buffer = MemorySegment.ofBuffer(ByteBuffer.allocateDirect(16).asReadOnlyBuffer());
        assertFails(EFAULT, read(sp[1], buffer, 4), "read into a read-only direct ByteBuffer");
        assertEquals("data", pending(sp[1]), "nothing was consumed");
        // what the kernel only reads may be read-only
        assertEquals(4, write(sp[0], arena.allocateFrom("more").asReadOnly(), 4));
        assertEquals("more", pending(sp[1]));
    }

    // ---- 3. nothing throws after the system call ---------------------------------------

    @Test
    void acceptWithAReadOnlyAddrlenIsRefusedBeforeAndTheConnectionStaysQueued() {
        int l = listener(), c = -1, a = -1;
        try {
            c = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            assertEquals(0, connect(c, addr(arena, port(l)), 16));
            MemorySegment addrlen = arena.allocateFrom(ValueLayout.JAVA_INT, 16);
            assertFails(EFAULT, accept(l, arena.allocate(16), addrlen.asReadOnly()), "accept with a read-only addrlen");
            assertFails(EFAULT, accept4(l, arena.allocate(16), addrlen.asReadOnly(), 0), "accept4 with a read-only addrlen");
            a = ok("accept", accept(l, arena.allocate(16), addrlen));
            assertEquals(16, addrlen.get(ValueLayout.JAVA_INT, 0));
        } finally {
            closeAll(a, c, l);
        }
    }

    @Test
    void recvfromWithAReadOnlyAddrlenKeepsTheDatagram() {
        int u1 = bound(SOCK_DGRAM), u2 = bound(SOCK_DGRAM);
        try {
            assertEquals(5, sendto(u1, arena.allocateFrom("dgram"), 5, 0, addr(arena, port(u2)), 16));
            Guard buf = Guard.of(arena, 8);
            MemorySegment from = arena.allocate(16), len = arena.allocateFrom(ValueLayout.JAVA_INT, 16);
            refused(EFAULT, recvfrom(u2, buf.slice, 8, MSG_DONTWAIT, from, len.asReadOnly()), buf, "recvfrom with a read-only addrlen");
            assertEquals(5, recvfrom(u2, buf.slice, 8, MSG_DONTWAIT, from, len), "the datagram is still there");
            assertEquals(16, len.get(ValueLayout.JAVA_INT, 0));
        } finally {
            closeAll(u1, u2);
        }
    }

    /**
     * A blocking accept holds its addrlen's arena for the whole call, as the JDK holds a segment passed
     * to a downcall: another thread cannot close it meanwhile, and the accepted descriptor and its
     * length both reach the caller.
     */
    @Test
    void aBlockingAcceptKeepsItsAddrlensSharedArenaAlive() throws Exception {
        int l = listener(), c = -1;
        Arena shared = Arena.ofShared();
        MemorySegment addrlen = shared.allocate(ValueLayout.JAVA_INT);
        addrlen.set(ValueLayout.JAVA_INT, 0, 16);
        MemorySegment peer = arena.allocate(16);
        CompletableFuture<Integer> accepted = new CompletableFuture<>();
        CompletableFuture<Integer> acceptingTid = new CompletableFuture<>();
        AtomicInteger refusedCloses = new AtomicInteger();
        Thread t = new Thread(() -> {
            try (Arena own = Arena.ofConfined()) {
                MemorySegment addr = own.allocate(16);
                acceptingTid.complete(gettid());
                int fd = accept(l, addr, addrlen);
                accepted.complete(fd);
            } catch (Throwable x) {
                accepted.completeExceptionally(x);
            }
        }, NoLeaks.THREAD_PREFIX + "blocking-accept");
        t.start();
        try {
            // wait until the kernel says the thread sleeps in accept(2), then try to free its addrlen
            int tid = acceptingTid.get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!inAccept(tid) && System.nanoTime() < deadline) Thread.sleep(5);
            assertTrue(inAccept(tid), "the thread reached accept(2)");
            for (int i = 0; i < 3; i++) {
                try {
                    shared.close();
                } catch (IllegalStateException held) {
                    refusedCloses.incrementAndGet();
                }
                if (!addrlen.scope().isAlive()) break;
            }
            assertTrue(addrlen.scope().isAlive(), "the arena of a blocking accept's addrlen could be closed");
            assertEquals(3, refusedCloses.get());
            c = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
            assertEquals(0, connect(c, addr(arena, port(l)), 16));
            int fd = accepted.get(10, TimeUnit.SECONDS);
            assertTrue(fd >= 0, "accept: " + strerrorname(errno()));
            assertEquals(16, addrlen.get(ValueLayout.JAVA_INT, 0), "the length reached the caller");
            Posix.close(fd);
        } finally {
            if (!accepted.isDone()) {
                if (c < 0) c = socket(AF_INET, SOCK_STREAM, 0);
                connect(c, addr(arena, port(l)), 16);
                Integer fd = accepted.get(10, TimeUnit.SECONDS);
                if (fd >= 0) Posix.close(fd);
            }
            t.join();
            closeAll(c, l);
            if (addrlen.scope().isAlive()) shared.close();
        }
        assertFalse(peer.equals(MemorySegment.NULL));
    }

    /** True while the thread {@code tid} is blocked in the accept system call, as /proc/self/task/TID/syscall says. */
    private static boolean inAccept(int tid) throws java.io.IOException {
        return Files.readString(Path.of("/proc/self/task/" + tid + "/syscall")).startsWith(SYS_accept + " ");
    }

    // ---- 4. strings with a NUL inside ---------------------------------------------------

    @Test
    void unlinkRefusesANulInsideAndRemovesNothing(@TempDir Path dir) throws Exception {
        Path victim = Files.createFile(dir.resolve("victim"));
        assertFails(EINVAL, unlink(dir + "/victim\0.tmp"), "unlink with a NUL inside");
        assertTrue(Files.exists(victim), "C would have removed \"victim\"");
        Files.createDirectory(dir.resolve("d"));
        assertFails(EINVAL, rmdir(dir + "/d\0x"), "rmdir with a NUL inside");
        assertTrue(Files.exists(dir.resolve("d")));
        Guard st = Guard.of(arena, stat.sizeof());
        refused(EINVAL, stat(dir + "/victim\0.tmp", st.slice), st, "stat with a NUL inside");
        assertEquals(0, unlink(dir + "/victim"));
        assertEquals(0, rmdir(dir + "/d"));
    }

    @Test
    void addressAndNameCallsRefuseANulInside() {
        assertEquals(INADDR_NONE, inet_addr("127.0.0.1\0junk"), "inet_addr: INADDR_NONE, as for any bad address");
        Guard in = Guard.of(arena, 4);
        assertEquals(0, inet_aton("127.0.0.1\0junk", in.slice), "inet_aton: 0, as for any bad address");
        in.assertUntouched("inet_aton");
        Guard in6 = Guard.of(arena, 16);
        refused(EINVAL, inet_pton(AF_INET6, "::1\0junk", in6.slice), in6, "inet_pton");
        errno(0);
        assertEquals(0, if_nametoindex("lo\0junk"));
        assertErrno(EINVAL, "if_nametoindex");
        MemorySegment res = arena.allocate(ValueLayout.ADDRESS);
        assertEquals(EAI_SYSTEM, getaddrinfo("127.0.0.1\0evil.example", "80", MemorySegment.NULL, res));
        assertErrno(EINVAL, "getaddrinfo node");
        assertEquals(EAI_SYSTEM, getaddrinfo("127.0.0.1", "8\0", MemorySegment.NULL, res));
        assertErrno(EINVAL, "getaddrinfo service");
        MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
        assertEquals(EINVAL, posix_spawn(pid, "/bin/true\0x", MemorySegment.NULL, MemorySegment.NULL, new String[] {"true"}, null));
        assertEquals(EINVAL, posix_spawn(pid, "/bin/true", MemorySegment.NULL, MemorySegment.NULL, new String[] {"true", "a\0b"}, null));
        assertEquals(EINVAL, posix_spawn(pid, "/bin/true", MemorySegment.NULL, MemorySegment.NULL, new String[] {"true"}, new String[] {"A=1\0B=2"}));
    }

    @Test
    void theTraceShowsTheWholeStringTheFacadeRefused() {
        assertEquals("\"victim\\0.tmp\"", Trace.string("victim\0.tmp"));
        assertEquals("NULL", Trace.string(null));
    }

    // ---- 5. memory handed back to libc ------------------------------------------------------

    @Test
    void freeaddrinfoOnlyFreesWhatGetaddrinfoReturnedOnce() {
        MemorySegment res = arena.allocate(ValueLayout.ADDRESS);
        assertEquals(0, getaddrinfo("127.0.0.1", "80", MemorySegment.NULL, res));
        MemorySegment list = res.get(ValueLayout.ADDRESS, 0);
        errno(0);
        freeaddrinfo(res); // the natural slip: the struct addrinfo ** itself (glibc: free(): invalid pointer, abort)
        assertErrno(EINVAL, "freeaddrinfo(res)");
        errno(0);
        MemorySegment node = list.reinterpret(addrinfo.sizeof());
        MemorySegment second = addrinfo.ai_next(node);
        if (!second.equals(MemorySegment.NULL)) {
            freeaddrinfo(second); // a node inside the list
            assertErrno(EINVAL, "freeaddrinfo of a node inside the list");
            errno(0);
        }
        MemorySegment garbage = arena.allocate(addrinfo.layout());
        garbage.fill((byte) 0x41);
        freeaddrinfo(garbage);
        assertErrno(EINVAL, "freeaddrinfo of memory getaddrinfo did not return");
        errno(0);
        freeaddrinfo(list);
        assertEquals(0, errno(), "the real list is freed");
        freeaddrinfo(list); // C: free(): double free detected, abort
        assertErrno(EINVAL, "freeaddrinfo twice");
        errno(0);
        freeaddrinfo(MemorySegment.NULL);
        freeaddrinfo(null);
        assertEquals(0, errno(), "NULL is C's no-op");
    }

    @Test
    void overlappingFileActionsObjectsAreRefusedByAddressRange() {
        long size = posix_spawn_file_actions_t.sizeof();
        Guard region = Guard.of(arena, 2 * size);
        MemorySegment fa = region.slice.asSlice(0, size), overlapping = region.slice.asSlice(4, size), next = region.slice.asSlice(size, size);
        assertEquals(0, posix_spawn_file_actions_init(fa));
        assertEquals(EINVAL, posix_spawn_file_actions_init(overlapping), "fa + 4 overlaps the live object at fa");
        assertEquals(EINVAL, posix_spawn_file_actions_adddup2(overlapping, 1, 3));
        assertEquals(EINVAL, posix_spawn_file_actions_destroy(overlapping));
        assertEquals(0, posix_spawn_file_actions_init(next), "the object right after it does not overlap");
        assertEquals(0, posix_spawn_file_actions_adddup2(fa, 1, 3));
        assertEquals(0, posix_spawn_file_actions_destroy(next));
        assertEquals(0, posix_spawn_file_actions_destroy(fa));
        region.assertOutsideUntouched("file actions");
    }

    @Test
    void aFileActionsObjectChangedBehindLibcsBackIsNotHandedToIt() {
        MemorySegment fa = arena.allocate(posix_spawn_file_actions_t.layout());
        assertEquals(0, posix_spawn_file_actions_init(fa));
        assertEquals(0, posix_spawn_file_actions_addclose(fa, 3));
        byte[] saved = fa.toArray(ValueLayout.JAVA_BYTE);
        fa.fill((byte) 0x41); // C: destroy would free(0x4141414141414141)
        assertEquals(EINVAL, posix_spawn_file_actions_destroy(fa));
        assertEquals(EINVAL, posix_spawn_file_actions_adddup2(fa, 1, 3));
        MemorySegment.copy(saved, 0, fa, ValueLayout.JAVA_BYTE, 0, saved.length);
        assertEquals(0, posix_spawn_file_actions_destroy(fa), "as libc left it: destroyed");
    }

    // ---- 6. CMSG_FIRSTHDR / CMSG_NXTHDR as C's macros --------------------------------------

    @Test
    void cmsgFirsthdrOfANullControlIsNullAndNeverLargerThanTheControlBuffer() {
        MemorySegment msg = arena.allocate(msghdr.layout());
        msghdr.msg_control(msg, MemorySegment.NULL);
        msghdr.msg_controllen(msg, 64);
        assertEquals(MemorySegment.NULL, CMSG_FIRSTHDR(msg), "msg_control NULL: C's macro gives NULL");
        MemorySegment control = arena.allocate(CMSG_SPACE(4) * 2);
        msghdr.msg_control(msg, control);
        msghdr.msg_controllen(msg, cmsghdr.sizeof() - 1);
        assertEquals(MemorySegment.NULL, CMSG_FIRSTHDR(msg), "a controllen smaller than a header");
        msghdr.msg_controllen(msg, CMSG_SPACE(4));
        MemorySegment first = CMSG_FIRSTHDR(msg);
        assertEquals(control.address(), first.address());
        assertEquals(CMSG_SPACE(4), first.byteSize(), "exactly msg_controllen bytes");
        assertEquals(MemorySegment.NULL, CMSG_FIRSTHDR(null));
        assertEquals(MemorySegment.NULL, CMSG_FIRSTHDR(MemorySegment.NULL));
        assertEquals(MemorySegment.NULL, CMSG_FIRSTHDR(arena.allocate(8)), "a segment smaller than a msghdr");
    }

    @Test
    void cmsgNxthdrWalksOnlyInsideTheControlBuffer() {
        MemorySegment msg = arena.allocate(msghdr.layout());
        long one = CMSG_SPACE(4);
        MemorySegment control = arena.allocate(2 * one);
        msghdr.msg_control(msg, control);
        msghdr.msg_controllen(msg, 2 * one);
        cmsghdr.cmsg_len(control, CMSG_LEN(4));
        cmsghdr.cmsg_len(control.asSlice(one), CMSG_LEN(4));
        MemorySegment first = CMSG_FIRSTHDR(msg);
        MemorySegment second = CMSG_NXTHDR(msg, first);
        assertEquals(control.address() + one, second.address());
        assertEquals(one, second.byteSize(), "to the end of the control buffer, no further");
        assertEquals(MemorySegment.NULL, CMSG_NXTHDR(msg, second), "after the last");
        assertEquals(control.address() + one, CMSG_NXTHDR(msg, control.asSlice(0, 4)).address(), "a slice of the caller's own buffer is found by address");
        cmsghdr.cmsg_len(control.asSlice(one), 4096);
        assertEquals(MemorySegment.NULL, CMSG_NXTHDR(msg, first), "a next header whose cmsg_len runs past the buffer");
        cmsghdr.cmsg_len(control, 0);
        assertEquals(MemorySegment.NULL, CMSG_NXTHDR(msg, first), "a cmsg_len smaller than a header");
        assertEquals(MemorySegment.NULL, CMSG_NXTHDR(msg, arena.allocate(64)), "a cmsg outside the control buffer");
        assertEquals(MemorySegment.NULL, CMSG_NXTHDR(msg, null));
        assertEquals(MemorySegment.NULL, CMSG_NXTHDR(null, first));
        assertEquals(MemorySegment.NULL, CMSG_DATA(null));
        assertEquals(MemorySegment.NULL, CMSG_DATA(arena.allocate(4)));
    }

    // ---- 7. Java null is C's NULL -------------------------------------------------------------

    @Test
    void javaNullIsCsNull() throws Exception {
        put(sp[0], "kept");
        assertFails(EFAULT, read(sp[1], null, 4), "read(fd, NULL, 4)");
        assertEquals(0, read(sp[1], null, 0), "read(fd, NULL, 0) is 0, as in C");
        assertFails(EFAULT, recv(sp[1], null, 4, 0), "recv into NULL");
        assertFails(EFAULT, write(sp[0], null, 4), "write from NULL");
        assertFails(EFAULT, pipe(null), "pipe(NULL)");
        assertFails(EFAULT, socketpair(AF_UNIX, SOCK_STREAM, 0, null), "socketpair(NULL)");
        assertFails(EFAULT, bind(sp[0], null, 16), "bind(NULL, 16)");
        assertFails(EFAULT, getsockname(sp[0], arena.allocate(16), null), "getsockname without addrlen");
        assertFails(EFAULT, getsockopt(sp[0], SOL_SOCKET, SO_TYPE, arena.allocate(4), null), "getsockopt without optlen");
        assertFails(EFAULT, poll(null, 1, 0), "poll(NULL, 1)");
        assertEquals(0, poll(null, 0, 0), "poll(NULL, 0, 0) is 0, as in C");
        assertEquals(0, select(0, null, null, null, arena.allocate(timeval.layout())), "select with NULL sets");
        assertFails(ECHILD, waitpid(-1, null, WNOHANG), "waitpid(-1, NULL, WNOHANG)");
        assertFails(EFAULT, sendmsg(sp[0], null, 0), "sendmsg(NULL)");
        assertFails(EFAULT, recvmsg(sp[1], null, 0), "recvmsg(NULL)");
        assertFails(EFAULT, readv(sp[1], null, 1), "readv(NULL, 1)");
        int ep = ok("epoll_create1", epoll_create1(EPOLL_CLOEXEC));
        try {
            assertFails(EFAULT, epoll_wait(ep, null, 1, 0), "epoll_wait(NULL)");
            assertFails(EFAULT, epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], null), "epoll_ctl ADD NULL: the kernel's EFAULT");
        } finally {
            Posix.close(ep);
        }
        assertFails(EFAULT, unlink(null), "unlink(NULL): the kernel's EFAULT");
        assertFails(EFAULT, stat(null, arena.allocate(stat.layout())), "stat(NULL): the kernel's EFAULT");
        assertFails(EFAULT, inet_pton(AF_INET, null, arena.allocate(4)), "inet_pton(NULL src): C would crash");
        assertEquals(INADDR_NONE, inet_addr(null));
        assertEquals(0, inet_aton(null, arena.allocate(4)));
        assertEquals(null, inet_ntoa(null));
        errno(0);
        assertEquals(0, if_nametoindex(null));
        assertErrno(EFAULT, "if_nametoindex(NULL)");
        assertEquals(EFAULT, posix_spawn(arena.allocate(4), null, null, null, new String[] {"x"}, null));
        assertEquals(EFAULT, posix_spawn(arena.allocate(4), "/bin/true", null, null, null, null));
        assertEquals(-1, FD_SET(1, null));
        assertEquals(-1, FD_ZERO(null));
        assertFalse(FD_ISSET(1, null));
        MemorySegment res = arena.allocate(ValueLayout.ADDRESS);
        assertEquals(0, getaddrinfo(null, "80", null, res), "node NULL with a service: the loopback/any address");
        freeaddrinfo(res.get(ValueLayout.ADDRESS, 0));
        assertEquals("kept", pending(sp[1]));
    }

    // ---- 8. retryOnEintr never repeats close ---------------------------------------------------

    @Test
    void retryOnEintrNeverRepeatsCloseWhateverItsLabel() {
        for (String label : new String[] {"close", "Close", "close(fd)", "CLOSE", "read", ""}) {
            AtomicInteger calls = new AtomicInteger();
            assertEquals(-1, retryOnEintr(label, () -> { calls.incrementAndGet(); Posix.close(-1); errno(EINTR); return -1; }));
            assertEquals(1, calls.get(), "label \"" + label + "\"");
        }
        AtomicInteger calls = new AtomicInteger();
        assertEquals(5, retryOnEintr("Close", () -> { if (calls.incrementAndGet() < 3) { errno(EINTR); return -1; } return 5; }),
                "a call that is not close is retried, whatever its label");
        assertEquals(3, calls.get());
    }

    // ---- 9. negative lengths: the kernel's EINVAL -------------------------------------------

    @Test
    void negativeLengthsGiveTheKernelsEinval() {
        int tcp = ok("socket", socket(AF_INET, SOCK_STREAM, 0));
        int u1 = bound(SOCK_DGRAM), u2 = bound(SOCK_DGRAM);
        try {
            Guard a = Guard.of(arena, 16);
            assertFails(EINVAL, bind(tcp, a.slice, -1), "bind addrlen -1");
            assertFails(EINVAL, connect(tcp, a.slice, -1), "connect addrlen -1");
            assertFails(EINVAL, bind(tcp, a.slice, 200), "bind addrlen past sockaddr_storage: the kernel reads nothing");
            assertFails(EINVAL, sendto(u1, arena.allocateFrom("x"), 1, 0, a.slice, -1), "sendto addrlen -1");
            a.assertUntouched("bind/connect/sendto");
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, -1);
            assertFails(EINVAL, getsockname(tcp, a.slice, len), "getsockname *addrlen -1");
            assertFails(EINVAL, getpeername(sp[0], a.slice, len), "getpeername *addrlen -1");
            assertFails(EINVAL, getsockopt(tcp, SOL_SOCKET, SO_TYPE, a.slice, len), "getsockopt *optlen -1");
            assertFails(EINVAL, getsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, a.slice, len), "getsockopt TCP *optlen -1 (TCP itself would write 4 bytes)");
            assertFails(EINVAL, setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, a.slice, -1), "setsockopt optlen -1");
            a.assertUntouched("get*name/getsockopt");
            assertEquals(-1, len.get(ValueLayout.JAVA_INT, 0));
            assertFails(EINVAL, readv(sp[1], MemorySegment.NULL, -1), "readv iovcnt -1");
            assertFails(EINVAL, writev(sp[0], arena.allocate(16), UIO_MAXIOV + 1), "writev iovcnt past UIO_MAXIOV");
            // recvfrom, in C, takes the datagram and then says EINVAL: the same here
            assertEquals(2, sendto(u1, arena.allocateFrom("hi"), 2, 0, addr(arena, port(u2)), 16));
            Guard buf = Guard.of(arena, 8);
            assertFails(EINVAL, recvfrom(u2, buf.slice, 8, MSG_DONTWAIT, a.slice, len), "recvfrom *addrlen -1");
            buf.assertOutsideUntouched("recvfrom");
            assertEquals("hi", new String(buf.slice.asSlice(0, 2).toArray(ValueLayout.JAVA_BYTE)), "the kernel copied the data, as in C");
            assertFails(EAGAIN, recv(u2, buf.slice, 8, MSG_DONTWAIT), "the datagram was taken");
        } finally {
            closeAll(tcp, u1, u2);
        }
    }

    // ---- 10. SIGPIPE: EPIPE, not death ------------------------------------------------------

    @Test
    void writingToAClosedPeerGivesEpipeNotSigpipe() {
        int[] pair = socketpair(SOCK_STREAM);
        Posix.close(pair[1]);
        try {
            assertFails(EPIPE, write(pair[0], arena.allocateFrom("x"), 1), "write to a closed peer");
            assertFails(EPIPE, Posix.send(pair[0], arena.allocateFrom("x"), 1, 0), "send without MSG_NOSIGNAL");
        } finally {
            Posix.close(pair[0]);
        }
    }

    // ---- the checks themselves ---------------------------------------------------------------

    @Test
    void memorysHelpersAreTheRulesTheJavadocStates() {
        assertEquals(MemorySegment.NULL, Memory.orNull(null));
        assertTrue(Memory.writable(arena.allocate(4), 4));
        assertFalse(Memory.writable(arena.allocate(4).asReadOnly(), 4));
        assertTrue(Memory.writable(arena.allocate(4).asReadOnly(), 0), "0 bytes are never written");
        assertFalse(Memory.holds(MemorySegment.ofArray(new byte[4]), 4), "a heap segment");
        assertTrue(Memory.hasNul("a\0b"));
        assertFalse(Memory.hasNul(null));
        assertThrows(IllegalArgumentException.class, () -> Memory.cString(arena, "a\0b"));
        assertEquals("abc", Memory.cString(arena, "abc").reinterpret(4).getString(0));
        assertTrue(Memory.overlap(0, 80, 4, 80));
        assertFalse(Memory.overlap(0, 80, 80, 80));
        assertNotEquals(null, Memory.cString(arena, ""));
    }
}
