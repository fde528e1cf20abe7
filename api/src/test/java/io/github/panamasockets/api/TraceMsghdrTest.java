package io.github.panamasockets.api;

import io.github.panamasockets.bindings.cmsghdr;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.mmsghdr;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.timespec;
import io.github.panamasockets.bindings.ucred;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sendmsg and recvmsg traced as strace decodes them: the iovecs' data, SCM_RIGHTS and
 * SCM_CREDENTIALS, and what a hostile msghdr gets (pointers into a page that cannot be read,
 * lengths that lie): the kernel's exact answer, the exact line, and a JVM that is still here.
 * The unreadable page is a PROT_NONE page mapped over the second page of a mapping of our own
 * (raw bindings, MAP_FIXED on our own page), so no other thread can map it meanwhile.
 */
@ExtendWith(NoLeaks.class)
class TraceMsghdrTest {
    static final long PAGE = 4096;

    Arena arena;
    /** Two pages: the first readable and writable, the second PROT_NONE. */
    MemorySegment pages;
    /** The first byte of the PROT_NONE page. */
    long guard;

    @BeforeEach
    void map() {
        arena = Arena.ofConfined();
        pages = sockets_h.mmap(MemorySegment.NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assertNotEquals(-1L, pages.address(), "mmap");
        guard = pages.address() + PAGE;
        MemorySegment none = sockets_h.mmap(MemorySegment.ofAddress(guard), PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        assertEquals(guard, none.address(), "the second page made PROT_NONE in place");
        pages = pages.reinterpret(PAGE); // the readable page only
    }

    @AfterEach
    void unmap() {
        sockets_h.munmap(MemorySegment.ofAddress(pages.address()), 2 * PAGE);
        arena.close();
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    static String hex(MemorySegment s) {
        return hex(s.address());
    }

    /** A msghdr with one iovec over {@code data}, no name, no control. */
    MemorySegment message(MemorySegment data) {
        MemorySegment iov = iovec.allocate(arena);
        iovec.iov_base(iov, data);
        iovec.iov_len(iov, data.byteSize());
        MemorySegment msg = msghdr.allocate(arena);
        msghdr.msg_iov(msg, iov);
        msghdr.msg_iovlen(msg, 1);
        return msg;
    }

    /** A control buffer of {@code space} bytes holding one message of {@code level, type} with {@code data}. */
    MemorySegment control(MemorySegment msg, long space, int level, int type, byte[] data) {
        MemorySegment c = arena.allocate(space, 8);
        msghdr.msg_control(msg, c);
        msghdr.msg_controllen(msg, space);
        cmsghdr.cmsg_len(c, CMSG_LEN(data.length));
        cmsghdr.cmsg_level(c, level);
        cmsghdr.cmsg_type(c, type);
        CMSG_DATA(c).copyFrom(MemorySegment.ofArray(data));
        return c;
    }

    static byte[] ints(int... values) {
        MemorySegment s = MemorySegment.ofArray(new byte[values.length * 4]);
        for (int i = 0; i < values.length; i++) s.set(ValueLayout.JAVA_INT_UNALIGNED, i * 4L, values[i]);
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void iovDataAndScmRightsBothWays() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        int[] pipe = Loopback.pipe();
        int[] received = {-1};
        try {
            MemorySegment out = message(arena.allocateFrom("hello", java.nio.charset.StandardCharsets.US_ASCII).asSlice(0, 5));
            control(out, CMSG_SPACE(4), SOL_SOCKET, SCM_RIGHTS, ints(pipe[1]));
            MemorySegment buf = arena.allocate(64);
            MemorySegment in = message(buf);
            MemorySegment inControl = arena.allocate(256, 8);
            msghdr.msg_control(in, inControl);
            msghdr.msg_controllen(in, 256);
            long[] got = new long[2];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = sendmsg(sv[0], out, 0);
                got[1] = recvmsg(sv[1], in, 0);
            });
            assertEquals(5, got[0]);
            assertEquals(5, got[1]);
            received[0] = CMSG_DATA(CMSG_FIRSTHDR(in)).get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            assertEquals(List.of(
                    "sendmsg(" + sv[0] + ", {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"hello\", iov_len=5}], msg_iovlen=1, "
                            + "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[" + pipe[1] + "]}], msg_controllen=24, msg_flags=0}, 0) = 5",
                    "recvmsg(" + sv[1] + ", {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"hello\", iov_len=64}], msg_iovlen=1, "
                            + "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[" + received[0] + "]}], msg_controllen=24, msg_flags=0}, 0) = 5"),
                    trace);
        } finally {
            closeAll(sv[0], sv[1], pipe[0], pipe[1], received[0]);
        }
    }

    @Test
    void scmCredentialsAndTwoIovecsCutAtWhatWasReceived() {
        int[] sv = Loopback.socketpair(SOCK_DGRAM);
        try {
            ok("setsockopt", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, arena.allocateFrom(ValueLayout.JAVA_INT, 1), 4));
            int pid = getpid(), uid = getuid(), gid = getgid();
            String forty = "0123456789abcdefghijklmnopqrstuvwxyzABCD";
            MemorySegment a = arena.allocateFrom(forty, java.nio.charset.StandardCharsets.US_ASCII).asSlice(0, 40);
            MemorySegment b = arena.allocateFrom("\0" + "1\1a\f\u000b\u007f", java.nio.charset.StandardCharsets.ISO_8859_1).asSlice(0, 7);
            MemorySegment iov = iovec.allocateArray(2, arena);
            iovec.iov_base(iovec.asSlice(iov, 0), a);
            iovec.iov_len(iovec.asSlice(iov, 0), 40);
            iovec.iov_base(iovec.asSlice(iov, 1), b);
            iovec.iov_len(iovec.asSlice(iov, 1), 7);
            MemorySegment out = msghdr.allocate(arena);
            msghdr.msg_iov(out, iov);
            msghdr.msg_iovlen(out, 2);
            MemorySegment cred = arena.allocate(ucred.layout());
            ucred.pid(cred, pid);
            ucred.uid(cred, uid);
            ucred.gid(cred, gid);
            control(out, CMSG_SPACE(ucred.sizeof()), SOL_SOCKET, SCM_CREDENTIALS, cred.toArray(ValueLayout.JAVA_BYTE));
            MemorySegment r1 = arena.allocate(10), r2 = arena.allocate(54);
            MemorySegment rio = iovec.allocateArray(2, arena);
            iovec.iov_base(iovec.asSlice(rio, 0), r1);
            iovec.iov_len(iovec.asSlice(rio, 0), 10);
            iovec.iov_base(iovec.asSlice(rio, 1), r2);
            iovec.iov_len(iovec.asSlice(rio, 1), 54);
            MemorySegment in = msghdr.allocate(arena);
            msghdr.msg_iov(in, rio);
            msghdr.msg_iovlen(in, 2);
            MemorySegment inControl = arena.allocate(64, 8);
            msghdr.msg_control(in, inControl);
            msghdr.msg_controllen(in, 64);
            long[] got = new long[3];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = sendmsg(sv[0], out, 0);
                got[1] = recvmsg(sv[1], in, 0);
                got[2] = recvmsg(sv[1], in, MSG_DONTWAIT);
            });
            assertEquals(List.of(47L, 47L, -1L), List.of(got[0], got[1], got[2]));
            assertEquals(EAGAIN, errno());
            String creds = "{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=" + pid + ", uid=" + uid + ", gid=" + gid + "}}";
            assertEquals(List.of(
                    "sendmsg(" + sv[0] + ", {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"0123456789abcdefghijklmnopqrstuv\"..., iov_len=40}, "
                            + "{iov_base=\"\\0001\\1a\\f\\v\\177\", iov_len=7}], msg_iovlen=2, msg_control=[" + creds + "], msg_controllen=32, msg_flags=0}, 0) = 47",
                    "recvmsg(" + sv[1] + ", {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"0123456789\", iov_len=10}, "
                            + "{iov_base=\"abcdefghijklmnopqrstuvwxyzABCD\\0001\"..., iov_len=54}], msg_iovlen=2, msg_control=[" + creds + "], msg_controllen=32, msg_flags=0}, 0) = 47",
                    "recvmsg(" + sv[1] + ", {msg_namelen=0}, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)"),
                    trace);
        } finally {
            closeAll(sv);
        }
    }

    @Test
    void msgNameAsTheKernelChangedItAndATruncatedDatagram() {
        int from = bound(SOCK_DGRAM), to = bound(SOCK_DGRAM);
        try {
            int fromPort = port(from), toPort = port(to);
            MemorySegment out = message(arena.allocateFrom("hello", java.nio.charset.StandardCharsets.US_ASCII).asSlice(0, 5));
            msghdr.msg_name(out, addr(arena, toPort));
            msghdr.msg_namelen(out, 16);
            MemorySegment in = message(arena.allocate(2));
            msghdr.msg_name(in, arena.allocate(128));
            msghdr.msg_namelen(in, 128);
            long[] got = new long[2];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = sendmsg(from, out, 0);
                got[1] = recvmsg(to, in, 0);
            });
            assertEquals(List.of(5L, 2L), List.of(got[0], got[1]));
            assertEquals(List.of(
                    "sendmsg(" + from + ", {msg_name=" + ObservableArgumentsTest.lo(toPort) + ", msg_namelen=16, msg_iov=[{iov_base=\"hello\", iov_len=5}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 5",
                    "recvmsg(" + to + ", {msg_name=" + ObservableArgumentsTest.lo(fromPort) + ", msg_namelen=128 => 16, msg_iov=[{iov_base=\"he\", iov_len=2}], msg_iovlen=1, msg_controllen=0, msg_flags=MSG_TRUNC}, 0) = 2"),
                    trace);
        } finally {
            closeAll(from, to);
        }
    }

    /** Pointers and lengths that lie: the kernel's errno, the line strace would print, and no crash. */
    @Test
    void hostileIovecsAndNames() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        int udp = bound(SOCK_DGRAM);
        try {
            MemorySegment hello = arena.allocateFrom("hello", java.nio.charset.StandardCharsets.US_ASCII).asSlice(0, 5);
            // one iovec in the last 16 bytes of the readable page: the next one would be in the guard page
            MemorySegment lastIov = pages.asSlice(PAGE - iovec.sizeof(), iovec.sizeof());
            iovec.iov_base(lastIov, hello);
            iovec.iov_len(lastIov, 5);
            MemorySegment msg = msghdr.allocate(arena);
            msghdr.msg_iov(msg, lastIov);
            long[] got = new long[8];
            int[] errnos = new int[8];
            List<String> trace = InProcessTrace.of(() -> {
                iovec.iov_base(lastIov, MemorySegment.ofAddress(guard));        // iov_base in the PROT_NONE page
                msghdr.msg_iovlen(msg, 1);
                got[0] = sendmsg(sv[0], msg, 0); errnos[0] = errno();
                iovec.iov_base(lastIov, MemorySegment.ofAddress(guard - 3));    // 3 readable bytes, then the guard page
                iovec.iov_len(lastIov, 10);
                got[1] = sendmsg(sv[0], msg, 0); errnos[1] = errno();
                iovec.iov_base(lastIov, hello);
                iovec.iov_len(lastIov, 5);
                msghdr.msg_iovlen(msg, 1L << 31);                               // msg_iovlen huge: the second iovec is unreadable
                got[2] = sendmsg(sv[0], msg, 0); errnos[2] = errno();
                msghdr.msg_iovlen(msg, 1L << 60);                               // so huge that the array would wrap
                got[3] = sendmsg(sv[0], msg, 0); errnos[3] = errno();
                msghdr.msg_iov(msg, MemorySegment.ofAddress(guard));            // msg_iov itself in the guard page
                msghdr.msg_iovlen(msg, 1);
                got[4] = sendmsg(sv[0], msg, 0); errnos[4] = errno();
                msghdr.msg_iov(msg, lastIov);
                msghdr.msg_name(msg, MemorySegment.ofAddress(guard));           // msg_name in the guard page
                msghdr.msg_namelen(msg, 16);
                got[5] = sendmsg(udp, msg, 0); errnos[5] = errno();
                msghdr.msg_name(msg, MemorySegment.NULL);
                msghdr.msg_namelen(msg, 0);
                iovec.iov_base(lastIov, MemorySegment.ofAddress(guard));        // recvmsg into the guard page
                got[6] = recvmsg(sv[1], msg, MSG_DONTWAIT); errnos[6] = errno();
            });
            long iovAt = lastIov.address();
            assertEquals(List.of(-1L, -1L, -1L, -1L, -1L, -1L, -1L), List.of(got[0], got[1], got[2], got[3], got[4], got[5], got[6]));
            assertEquals(List.of(EFAULT, EFAULT, EMSGSIZE, EMSGSIZE, EFAULT, EFAULT, EAGAIN),
                    List.of(errnos[0], errnos[1], errnos[2], errnos[3], errnos[4], errnos[5], errnos[6]));
            String tail = ", msg_controllen=0, msg_flags=0}, 0) = -1 ";
            assertEquals(List.of(
                    "sendmsg(" + sv[0] + ", {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=" + hex(guard) + ", iov_len=5}], msg_iovlen=1" + tail + "EFAULT (Bad address)",
                    "sendmsg(" + sv[0] + ", {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=" + hex(guard - 3) + ", iov_len=10}], msg_iovlen=1" + tail + "EFAULT (Bad address)",
                    "sendmsg(" + sv[0] + ", {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"hello\", iov_len=5}, ... /* " + hex(guard) + " */], msg_iovlen=2147483648"
                            + tail + "EMSGSIZE (Message too long)",
                    "sendmsg(" + sv[0] + ", {msg_name=NULL, msg_namelen=0, msg_iov=" + hex(iovAt) + ", msg_iovlen=1152921504606846976" + tail + "EMSGSIZE (Message too long)",
                    "sendmsg(" + sv[0] + ", {msg_name=NULL, msg_namelen=0, msg_iov=" + hex(guard) + ", msg_iovlen=1" + tail + "EFAULT (Bad address)",
                    "sendmsg(" + udp + ", {msg_name=" + hex(guard) + ", msg_namelen=16, msg_iov=[{iov_base=\"hello\", iov_len=5}], msg_iovlen=1" + tail + "EFAULT (Bad address)",
                    "recvmsg(" + sv[1] + ", {msg_namelen=0}, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)"),
                    trace);
        } finally {
            closeAll(sv[0], sv[1], udp);
        }
    }

    /** Control messages that lie: msg_controllen past the readable page, cmsg_len 0, huge, near 2^64, shorter than its header. */
    @Test
    void hostileControlMessages() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        int[] pipe = Loopback.pipe();
        try {
            MemorySegment msg = message(arena.allocateFrom("hello", java.nio.charset.StandardCharsets.US_ASCII).asSlice(0, 5));
            // a control message of 24 bytes in the last 24 bytes of the readable page
            MemorySegment c = pages.asSlice(PAGE - 24, 24);
            long at = c.address();
            cmsghdr.cmsg_len(c, CMSG_LEN(4));
            cmsghdr.cmsg_level(c, SOL_SOCKET);
            cmsghdr.cmsg_type(c, SCM_RIGHTS);
            CMSG_DATA(c).set(ValueLayout.JAVA_INT_UNALIGNED, 0, pipe[1]);
            msghdr.msg_control(msg, c);
            long[] lens = {CMSG_LEN(4), 0, 1L << 40, 0xfffffffffffffff9L, 8};
            long[] controllens = {4000, 24, 24, 24, 24};
            long[] got = new long[lens.length];
            int[] errnos = new int[lens.length];
            List<String> trace = InProcessTrace.of(() -> {
                for (int i = 0; i < lens.length; i++) {
                    cmsghdr.cmsg_len(c, lens[i]);
                    msghdr.msg_controllen(msg, controllens[i]);
                    got[i] = sendmsg(sv[0], msg, 0);
                    errnos[i] = errno();
                }
            });
            assertEquals(List.of(-1L, -1L, -1L, -1L, -1L), List.of(got[0], got[1], got[2], got[3], got[4]));
            assertEquals(List.of(EFAULT, EINVAL, EINVAL, EINVAL, EINVAL), List.of(errnos[0], errnos[1], errnos[2], errnos[3], errnos[4]));
            String head = "sendmsg(" + sv[0] + ", {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"hello\", iov_len=5}], msg_iovlen=1, msg_control=";
            String rights = ", cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS";
            String einval = ", msg_controllen=24, msg_flags=0}, 0) = -1 EINVAL (Invalid argument)";
            assertEquals(List.of(
                    head + hex(at) + ", msg_controllen=4000, msg_flags=0}, 0) = -1 EFAULT (Bad address)",
                    head + "[{cmsg_len=0" + rights + "}, ... /* " + hex(at + 16) + " */]" + einval,
                    head + "[{cmsg_len=1099511627776" + rights + ", cmsg_data=[" + pipe[1] + ", 0]}]" + einval,
                    head + "[{cmsg_len=18446744073709551609" + rights + ", cmsg_data=[" + pipe[1] + ", 0]}]" + einval,
                    head + "[{cmsg_len=8" + rights + "}, ... /* " + hex(at + 16) + " */]" + einval),
                    trace);
        } finally {
            closeAll(sv[0], sv[1], pipe[0], pipe[1]);
        }
    }

    /** An iovec array of {@code buffers}, each iov_len its segment's size. */
    MemorySegment iovecs(MemorySegment... buffers) {
        MemorySegment iov = arena.allocate(iovec.layout(), buffers.length);
        for (int i = 0; i < buffers.length; i++) {
            MemorySegment one = iov.asSlice(i * iovec.sizeof(), iovec.sizeof());
            iovec.iov_base(one, buffers[i]);
            iovec.iov_len(one, buffers[i].byteSize());
        }
        return iov;
    }

    @Test
    void readvAndWritevShowTheirIovecsAsStraceDoes() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        try {
            assertEquals(0, fcntl(sv[1], F_SETFL, O_NONBLOCK));
            MemorySegment hello = arena.allocate(5), world = arena.allocate(7);
            hello.copyFrom(MemorySegment.ofArray("hello".getBytes()));
            world.copyFrom(MemorySegment.ofArray(" wor\nld".getBytes()));
            MemorySegment out = iovecs(hello, world);
            MemorySegment r1 = arena.allocate(3), r2 = arena.allocate(20);
            MemorySegment in = iovecs(r1, r2);
            // writev's iov_base in the PROT_NONE page: the kernel answers EFAULT, the trace shows the address
            MemorySegment bad = iovec.allocate(arena);
            iovec.iov_base(bad, MemorySegment.ofAddress(guard));
            iovec.iov_len(bad, 4);
            long[] got = new long[6];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = readv(sv[1], in, 2);
                got[1] = writev(sv[0], out, 2);
                got[2] = readv(sv[1], in, 2);
                got[3] = writev(sv[0], out, 0);
                got[4] = writev(sv[0], bad, 1);
                got[5] = readv(sv[1], in, -1);
            });
            assertEquals(List.of(-1L, 12L, 12L, 0L, -1L, -1L), List.of(got[0], got[1], got[2], got[3], got[4], got[5]));
            assertEquals(List.of(
                    "readv(" + sv[1] + ", [{iov_base=" + hex(r1) + ", iov_len=3}, {iov_base=" + hex(r2) + ", iov_len=20}], 2) = -1 EAGAIN (Resource temporarily unavailable)",
                    "writev(" + sv[0] + ", [{iov_base=\"hello\", iov_len=5}, {iov_base=\" wor\\nld\", iov_len=7}], 2) = 12",
                    "readv(" + sv[1] + ", [{iov_base=\"hel\", iov_len=3}, {iov_base=\"lo wor\\nld\", iov_len=20}], 2) = 12",
                    "writev(" + sv[0] + ", [], 0) = 0",
                    "writev(" + sv[0] + ", [{iov_base=" + hex(guard) + ", iov_len=4}], 1) = -1 EFAULT (Bad address)",
                    "readv(" + sv[1] + ", " + hex(in) + ", -1) = -1 EINVAL (Invalid argument)"), trace);
        } finally {
            closeAll(sv);
        }
    }

    /**
     * sendmmsg and recvmmsg, each message as strace shows a C twin's (`strace -e trace=sendmmsg,recvmmsg`
     * of the same calls in C, 2026-11-30): every msghdr with msg_len where the kernel set one, a
     * failed sendmmsg's messages without it, the received data cut at each msg_len, msg_namelen as
     * given => as written back, the timeout as given and what is "left" of it, a failed
     * recvmmsg's array as its address.
     */
    @Test
    void sendmmsgAndRecvmmsgShowEachMessage() {
        int[] sv = Loopback.socketpair(SOCK_DGRAM);
        try {
            MemorySegment out = mmsghdr.allocateArray(2, arena), in = mmsghdr.allocateArray(2, arena);
            String[] words = {"one", "three"};
            for (int i = 0; i < 2; i++) {
                MemorySegment word = arena.allocateFrom(words[i], java.nio.charset.StandardCharsets.US_ASCII).asSlice(0, words[i].length());
                MemorySegment.copy(message(word), 0, mmsghdr.asSlice(out, i), mmsghdr.msg_hdr$offset(), msghdr.sizeof());
                MemorySegment.copy(message(arena.allocate(16)), 0, mmsghdr.asSlice(in, i), mmsghdr.msg_hdr$offset(), msghdr.sizeof());
            }
            MemorySegment from = arena.allocate(128);
            MemorySegment second = mmsghdr.msg_hdr(mmsghdr.asSlice(in, 1));
            msghdr.msg_name(second, from);
            msghdr.msg_namelen(second, 128);
            MemorySegment timeout = timespec.allocate(arena);
            timespec.tv_sec(timeout, 1);
            int[] got = new int[4];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = sendmmsg(sv[0], out, 2, 0);
                got[1] = recvmmsg(sv[1], in, 2, MSG_DONTWAIT, timeout);
                got[2] = sendmmsg(-1, out, 2, 0);
                got[3] = recvmmsg(sv[1], in, 2, MSG_DONTWAIT, MemorySegment.NULL);
            });
            assertEquals(List.of(2, 2, -1, -1), List.of(got[0], got[1], got[2], got[3]));
            String one = "msg_iov=[{iov_base=\"one\", iov_len=3}], msg_iovlen=1, msg_controllen=0, msg_flags=0}";
            String three = "msg_iov=[{iov_base=\"three\", iov_len=5}], msg_iovlen=1, msg_controllen=0, msg_flags=0}";
            assertEquals("sendmmsg(" + sv[0] + ", [{msg_hdr={msg_name=NULL, msg_namelen=0, " + one + ", msg_len=3}, "
                    + "{msg_hdr={msg_name=NULL, msg_namelen=0, " + three + ", msg_len=5}], 2, 0) = 2", trace.get(0));
            String received = "recvmmsg(" + sv[1] + ", [{msg_hdr={msg_name=NULL, msg_namelen=0, "
                    + "msg_iov=[{iov_base=\"one\", iov_len=16}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=3}, "
                    + "{msg_hdr={msg_name=" + hex(from) + ", msg_namelen=128 => 0, "
                    + "msg_iov=[{iov_base=\"three\", iov_len=16}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=5}], "
                    + "2, MSG_DONTWAIT, {tv_sec=1, tv_nsec=0}) = 2 (left {tv_sec=0, tv_nsec=";
            assertTrue(trace.get(1).startsWith(received) && trace.get(1).endsWith("})"), trace.get(1));
            assertEquals(List.of("sendmmsg(-1, [{msg_hdr={msg_name=NULL, msg_namelen=0, " + one + "}, "
                            + "{msg_hdr={msg_name=NULL, msg_namelen=0, " + three + "}], 2, 0) = -1 EBADF (Bad file descriptor)",
                    "recvmmsg(" + sv[1] + ", " + hex(in) + ", 2, MSG_DONTWAIT, NULL) = -1 EAGAIN (Resource temporarily unavailable)"),
                    trace.subList(2, 4));

            // hostile: an iovec array in the PROT_NONE page (the kernel's EFAULT, the trace shows its address),
            // and an array on the Java heap (refused before the call; the trace still decodes what it holds)
            MemorySegment bad = mmsghdr.allocateArray(1, arena);
            msghdr.msg_iov(mmsghdr.msg_hdr(bad), MemorySegment.ofAddress(guard));
            msghdr.msg_iovlen(mmsghdr.msg_hdr(bad), 1);
            MemorySegment heap = MemorySegment.ofArray(new byte[(int) mmsghdr.sizeof()]);
            List<String> hostile = InProcessTrace.of(() -> {
                got[0] = sendmmsg(sv[0], bad, 1, 0);
                got[1] = errno();
                got[2] = recvmmsg(sv[1], heap, 1, MSG_DONTWAIT, MemorySegment.NULL);
                got[3] = errno();
            });
            assertEquals(List.of(-1, EFAULT, -1, EFAULT), List.of(got[0], got[1], got[2], got[3]));
            assertEquals("sendmmsg(" + sv[0] + ", [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=" + hex(guard)
                    + ", msg_iovlen=1, msg_controllen=0, msg_flags=0}}], 1, 0) = -1 EFAULT (Bad address)", hostile.get(0));
            assertTrue(hostile.get(1).startsWith("recvmmsg(" + sv[1] + ", ") && hostile.get(1).endsWith(", 1, MSG_DONTWAIT, NULL) = -1 EFAULT (Bad address)"),
                    hostile.get(1));
        } finally {
            closeAll(sv);
        }
    }
}
