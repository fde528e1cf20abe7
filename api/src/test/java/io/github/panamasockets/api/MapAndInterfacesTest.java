package io.github.panamasockets.api;

import io.github.panamasockets.bindings.ifreq;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.mmsghdr;
import io.github.panamasockets.bindings.msghdr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mmap/munmap, ioctl, getifaddrs/freeifaddrs, if_indextoname, sendmmsg/recvmmsg: exact results, refusals, no crash. */
@ExtendWith(NoLeaks.class)
class MapAndInterfacesTest {

    @Test
    void mmapGivesASegmentOfTheMappedSizeAndMunmapClosesIt() {
        MemorySegment m = mmap(MemorySegment.NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assertNotEquals(MAP_FAILED, m);
        assertEquals(8192, m.byteSize());
        assertEquals(0, m.address() % 4096, "page aligned");
        assertEquals(0, m.get(ValueLayout.JAVA_LONG, 8184), "anonymous memory starts zeroed");
        m.set(ValueLayout.JAVA_LONG, 8184, 42);
        assertFails(EINVAL, munmap(m, 4096), "munmap of half a mapping");
        assertEquals(42, m.get(ValueLayout.JAVA_LONG, 8184), "still mapped");
        assertEquals(0, munmap(m, 8192));
        assertThrows(IllegalStateException.class, () -> m.get(ValueLayout.JAVA_LONG, 0), "a segment used after munmap");
        assertFails(EINVAL, munmap(m, 8192), "munmap twice");
        try (Arena arena = Arena.ofConfined()) {
            assertFails(EINVAL, munmap(arena.allocate(4096, 4096), 4096), "munmap of memory mmap did not map");
        }
    }

    @Test
    void mmapRefusesMapFixedAndReportsTheKernelsErrors() {
        assertEquals(MAP_FAILED, mmap(MemorySegment.NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
        assertEquals(EINVAL, errno());
        assertEquals(MAP_FAILED, mmap(MemorySegment.NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        assertEquals(EINVAL, errno(), "length 0");
        assertEquals(MAP_FAILED, mmap(MemorySegment.NULL, 4096, PROT_READ, MAP_SHARED, closedFd(), 0));
        assertEquals(EBADF, errno());
        assertEquals(MAP_FAILED, mmap(MemorySegment.NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1));
        assertEquals(EINVAL, errno(), "an offset that is not page aligned");
    }

    @Test
    void aSharedFileMappingSeesTheFileAndAReadOnlyOneRefusesWrites() {
        int fd = ok("memfd_create", memfd_create("psock-map", 0));
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0, ftruncate(fd, 4096));
            assertEquals(5, write(fd, arena.allocateFrom("hello"), 5));
            MemorySegment m = mmap(MemorySegment.NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            assertEquals("hello", m.getString(0));
            m.set(ValueLayout.JAVA_BYTE, 0, (byte) 'j');
            MemorySegment back = arena.allocate(5);
            assertEquals(0, lseek(fd, 0, SEEK_SET));
            assertEquals(5, read(fd, back, 5));
            assertEquals("jello", cstring(back, 5), "a write through the mapping is in the file");
            assertEquals(0, munmap(m, 4096));

            MemorySegment ro = mmap(MemorySegment.NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
            assertEquals('j', ro.get(ValueLayout.JAVA_BYTE, 0));
            assertThrows(IllegalArgumentException.class, () -> ro.set(ValueLayout.JAVA_BYTE, 0, (byte) 'x'), "PROT_READ only");
            assertEquals(0, munmap(ro, 4096));
            MemorySegment none = mmap(MemorySegment.NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            assertEquals(0, none.byteSize(), "PROT_NONE: nothing may be touched");
            assertEquals(0, munmap(none, 4096));
        } finally {
            close(fd);
        }
    }

    @Test
    void ioctlChecksEachRequestsArgument() {
        int[] sv = socketpair(SOCK_STREAM);
        int udp = ok("socket", socket(AF_INET, SOCK_DGRAM, 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            assertEquals(0, ioctl(sv[1], FIONREAD, n));
            assertEquals(0, n.get(ValueLayout.JAVA_INT, 0));
            assertEquals(5, Posix.send(sv[0], arena.allocateFrom("hello"), 5, 0));
            assertEquals(0, ioctl(sv[1], FIONREAD, n));
            assertEquals(5, n.get(ValueLayout.JAVA_INT, 0));
            n.set(ValueLayout.JAVA_INT, 0, 1);
            assertEquals(0, ioctl(sv[0], FIONBIO, n));
            assertEquals(O_NONBLOCK, fcntl(sv[0], F_GETFL) & O_NONBLOCK);
            assertFails(EFAULT, ioctl(sv[1], FIONREAD, arena.allocate(2)), "FIONREAD into 2 bytes");
            assertFails(EBADF, ioctl(closedFd(), FIONREAD, n), "FIONREAD of a closed descriptor");
            assertFails(EINVAL, ioctl(sv[1], 0x5413, n), "a request the facade does not know (TIOCGWINSZ)");

            MemorySegment ifr = ifreq.allocate(arena);
            assertEquals(0, ifr_name(ifr, "lo"));
            assertEquals(0, ioctl(udp, SIOCGIFINDEX, ifr));
            assertEquals(if_nametoindex("lo"), ifr_ifindex(ifr));
            assertEquals(0, ioctl(udp, SIOCGIFADDR, ifr));
            assertEquals(AF_INET, sin_family(ifr_addr(ifr)));
            assertEquals("127.0.0.1", inet_ntoa(sin_addr(ifr_addr(ifr))));
            assertEquals(0, ifr_name(ifr, "psocknoif0"));
            assertFails(ENODEV, ioctl(udp, SIOCGIFINDEX, ifr), "SIOCGIFINDEX of no interface");
            assertFails(EFAULT, ioctl(udp, SIOCGIFINDEX, arena.allocate(ifreq.sizeof() - 1)), "a short ifreq");
            assertFails(ENAMETOOLONG, ifr_name(ifr, "x".repeat(IFNAMSIZ)), "an interface name of IFNAMSIZ bytes");
            assertFails(EFAULT, ifr_name(ifr, null), "ifr_name(NULL)");
            assertFails(EFAULT, ioctl(udp, FIONREAD, null), "FIONREAD into NULL");
        } finally {
            closeAll(sv[0], sv[1], udp);
        }
    }

    @Test
    void getifaddrsListsLoopbackAndFreeifaddrsFreesOnlyWhatItMade() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifap = arena.allocate(ValueLayout.ADDRESS);
            assertEquals(0, getifaddrs(ifap));
            MemorySegment head = ifap.get(ValueLayout.ADDRESS, 0);
            boolean found = false;
            for (MemorySegment ifa = head; !ifa.equals(MemorySegment.NULL); ifa = ifa_next(ifa)) {
                MemorySegment a = ifa_addr(ifa);
                if (ifa_name(ifa).equals("lo") && !a.equals(MemorySegment.NULL) && sin_family(a) == AF_INET) {
                    assertEquals("127.0.0.1", inet_ntoa(sin_addr(a)));
                    assertEquals("255.0.0.0", inet_ntoa(sin_addr(ifa_netmask(ifa))));
                    assertEquals(IFF_UP | IFF_LOOPBACK, ifa_flags(ifa) & (IFF_UP | IFF_LOOPBACK));
                    found = true;
                }
            }
            assertTrue(found, "lo with 127.0.0.1");
            freeifaddrs(head);
            assertThrows(IllegalStateException.class, () -> ifa_name(head), "a node of a freed list");
            errno(0);
            freeifaddrs(head);
            assertEquals(EINVAL, errno(), "freeifaddrs twice: nothing freed, errno EINVAL (C: glibc aborts)");
            errno(0);
            freeifaddrs(arena.allocate(64));
            assertEquals(EINVAL, errno(), "freeifaddrs of memory getifaddrs did not return");
            errno(0);
            freeifaddrs(MemorySegment.NULL);
            freeifaddrs(null);
            assertEquals(0, errno(), "freeifaddrs(NULL) does nothing, as in C");
            assertFails(EFAULT, getifaddrs(arena.allocate(4)), "getifaddrs into 4 bytes");
        }
    }

    @Test
    void ifIndextonameNamesTheLoopback() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(IF_NAMESIZE);
            assertEquals(name, if_indextoname(if_nametoindex("lo"), name));
            assertEquals("lo", cstring(name));
            assertEquals(MemorySegment.NULL, if_indextoname(0x7fffffff, name));
            assertEquals(ENXIO, errno());
            assertEquals(MemorySegment.NULL, if_indextoname(1, arena.allocate(IF_NAMESIZE - 1)));
            assertEquals(EFAULT, errno());
        }
    }

    @Test
    void sendmmsgAndRecvmmsgMoveSeveralDatagramsInOneCall() {
        int[] sv = socketpair(SOCK_DGRAM);
        try (Arena arena = Arena.ofConfined()) {
            String[] words = {"one", "three"};
            MemorySegment out = mmsghdr.allocateArray(2, arena), in = mmsghdr.allocateArray(2, arena);
            MemorySegment[] bufs = new MemorySegment[2];
            for (int i = 0; i < 2; i++) {
                MemorySegment iov = iovec.allocate(arena);
                iovec.iov_base(iov, arena.allocateFrom(words[i]));
                iovec.iov_len(iov, words[i].length());
                MemorySegment hdr = mmsghdr.msg_hdr(mmsghdr.asSlice(out, i));
                msghdr.msg_iov(hdr, iov);
                msghdr.msg_iovlen(hdr, 1);
                bufs[i] = arena.allocate(16);
                MemorySegment riov = iovec.allocate(arena);
                iovec.iov_base(riov, bufs[i]);
                iovec.iov_len(riov, 16);
                MemorySegment rhdr = mmsghdr.msg_hdr(mmsghdr.asSlice(in, i));
                msghdr.msg_iov(rhdr, riov);
                msghdr.msg_iovlen(rhdr, 1);
            }
            assertEquals(2, sendmmsg(sv[0], out, 2, 0));
            assertEquals(3, mmsghdr.msg_len(mmsghdr.asSlice(out, 0)));
            assertEquals(5, mmsghdr.msg_len(mmsghdr.asSlice(out, 1)));
            assertEquals(2, recvmmsg(sv[1], in, 2, MSG_DONTWAIT, MemorySegment.NULL));
            assertEquals(3, mmsghdr.msg_len(mmsghdr.asSlice(in, 0)));
            assertEquals("one", cstring(bufs[0], 3));
            assertEquals("three", cstring(bufs[1], 5));
            assertFails(EAGAIN, recvmmsg(sv[1], in, 2, MSG_DONTWAIT, MemorySegment.NULL), "nothing left");
            assertFails(EFAULT, sendmmsg(sv[0], out, 3, 0), "vlen past the array");
            assertFails(EFAULT, recvmmsg(sv[1], in, 1, MSG_DONTWAIT, arena.allocate(8)), "a short timespec");
            int file = ok("memfd", memfd_create("psock-x", MFD_CLOEXEC));
            assertFails(ENOTSOCK, sendmmsg(file, out, 1, 0), "sendmmsg on a file");
            close(file);
        } finally {
            closeAll(sv);
        }
    }
}
