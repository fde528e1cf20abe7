package io.github.panamasockets.api;

import io.github.panamasockets.bindings.ifreq;
import io.github.panamasockets.bindings.itimerspec;
import io.github.panamasockets.bindings.rlimit;
import io.github.panamasockets.bindings.stat;
import io.github.panamasockets.bindings.utsname;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.github.panamasockets.api.Posix.*;

/**
 * The file, process, event, mapping and interface calls, each on its success and failure path,
 * run in a child JVM with the trace on by {@link SyscallsTraceTest}: no trace line may throw, and
 * the lines it pins must read as strace prints them. Prints "@DIR=..." so the test can fill in the
 * directory it made.
 */
public final class SyscallsTraceScenario {
    private SyscallsTraceScenario() {}

    public static void main(String[] args) {
        String dir = args[0];
        System.out.println("@DIR=" + dir);
        try (Arena arena = Arena.ofConfined()) {
            umask(022);
            int fd = open(dir + "/f", O_CREAT | O_EXCL | O_RDWR, 0644);
            System.out.println("@FD=" + fd);
            open(dir + "/missing", O_RDONLY);
            open(dir + "/a\0b", O_RDONLY);
            close(openat(AT_FDCWD, dir + "/f", O_WRONLY | O_APPEND | O_CLOEXEC));
            close(creat(dir + "/c", 0600));
            write(fd, arena.allocateFrom("hello"), 5);
            lseek(fd, 0, SEEK_SET);
            lseek(fd, -1, SEEK_SET);
            fstat(fd, stat.allocate(arena));
            lstat(dir + "/missing", stat.allocate(arena));
            ftruncate(fd, 2);
            fsync(fd);
            mkdir(dir + "/d", 0755);
            mkdir(dir + "/d", 0755);
            chmod(dir + "/d", 0700);
            mkfifo(dir + "/p", 0600);
            close(mkstemp(arena.allocateFrom(dir + "/t.XXXXXX")));
            mkstemp(arena.allocate(4).fill((byte) 'X'));
            close(memfd_create("m", MFD_CLOEXEC));
            MemorySegment p = arena.allocate(ValueLayout.JAVA_INT, 2);
            pipe2(p, O_NONBLOCK);
            dup3(fd, fd, 0);
            sendfile(p.getAtIndex(ValueLayout.JAVA_INT, 1), fd, arena.allocateFrom(ValueLayout.JAVA_LONG, 0), 2);
            splice(fd, MemorySegment.NULL, fd, MemorySegment.NULL, 1, 0);
            close(p.getAtIndex(ValueLayout.JAVA_INT, 0));
            close(p.getAtIndex(ValueLayout.JAVA_INT, 1));
            close(fd);

            gettid();
            getuid();
            seteuid(-1);
            getpgid(Integer.MAX_VALUE);
            getpwnam("root");
            getpwnam("psock-no-such-user");
            MemorySegment rl = rlimit.allocate(arena);
            getrlimit(RLIMIT_NOFILE, rl);
            getrlimit(999, rl);
            sysconf(_SC_CLK_TCK);
            uname(utsname.allocate(arena));
            syscall(100000);

            close(epoll_create(1));
            int efd = eventfd(0, EFD_NONBLOCK);
            int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
            MemorySegment its = itimerspec.allocate(arena);
            timerfd_settime(tfd, 0, its, MemorySegment.NULL);
            timerfd_gettime(tfd, its);
            timerfd_gettime(efd, its);
            close(efd);
            close(tfd);

            MemorySegment m = mmap(MemorySegment.NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            munmap(m, 4096);
            munmap(m, 4096);
            mmap(MemorySegment.NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

            int udp = socket(AF_INET, SOCK_DGRAM, 0);
            MemorySegment ifr = ifreq.allocate(arena);
            ifr_name(ifr, "lo");
            ioctl(udp, SIOCGIFINDEX, ifr);
            ioctl(udp, SIOCGIFADDR, ifr);
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            ioctl(udp, FIONREAD, n);
            ioctl(udp, 0x5413, n);
            close(udp);
            MemorySegment ifap = arena.allocate(ValueLayout.ADDRESS);
            getifaddrs(ifap);
            freeifaddrs(ifap.get(ValueLayout.ADDRESS, 0));
            if_indextoname(0x7fffffff, arena.allocate(IF_NAMESIZE));

            int pid = fork(() -> System.exit(3));
            waitpid(pid, MemorySegment.NULL, 0);
            fork(null);
        }
        System.out.flush();
    }
}
