package io.github.panamasockets.api;

import io.github.panamasockets.bindings.itimerspec;
import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.timespec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.github.panamasockets.api.Trace.hex;
import static io.github.panamasockets.api.Trace.num;

/**
 * Descriptors that deliver events: epoll_create, eventfd, timerfd. (signalfd, with its sigset_t,
 * belongs with the signal calls.) Reached through {@code import static io.github.panamasockets.api.Posix.*;}.
 */
public abstract class PosixEvents extends PosixFiles {
    PosixEvents() {}

    private static final class EpollCreate { static final Link.Shared H = Link.shared(sockets_h.epoll_create$address(), sockets_h.epoll_create$descriptor()); }

    /**
     * {@code int epoll_create(int size)}, epoll_create(2): the older form of epoll_create1(0);
     * size is ignored but must be positive. errno: EINVAL (size &lt;= 0), EMFILE, ENFILE, ENOMEM.
     */
    public static int epoll_create(int size) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(EpollCreate.H, e.capture, size));
        if (Trace.on()) Trace.log("epoll_create", r, e.errno, num(size));
        return r;
    }

    private static final class Eventfd { static final Link.Shared H = Link.shared(sockets_h.eventfd$address(), sockets_h.eventfd$descriptor()); }

    /**
     * {@code int eventfd(unsigned int initval, int flags)}, eventfd(2): a counter that read(2)
     * (8 bytes) takes and write(2) adds to; flags EFD_CLOEXEC, EFD_NONBLOCK, EFD_SEMAPHORE.
     * errno: EINVAL (an unknown flag), EMFILE, ENFILE, ENODEV, ENOMEM.
     * Traced as strace shows it: {@code eventfd2(0, EFD_NONBLOCK) = 3}.
     */
    public static int eventfd(int initval, int flags) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(Eventfd.H, e.capture, initval, flags));
        if (Trace.on()) Trace.log("eventfd2", r, e.errno, Integer.toUnsignedString(initval), Names.flags("EFD_", flags));
        return r;
    }

    private static final class TimerfdCreate { static final Link.Shared H = Link.shared(sockets_h.timerfd_create$address(), sockets_h.timerfd_create$descriptor()); }

    /**
     * {@code int timerfd_create(int clockid, int flags)}, timerfd_create(2): a timer that read(2)
     * reports as an 8-byte count of expirations; clockid CLOCK_MONOTONIC, CLOCK_REALTIME...,
     * flags TFD_CLOEXEC, TFD_NONBLOCK. errno: EINVAL (an unknown clock or flag), EMFILE, ENFILE,
     * ENODEV, ENOMEM, EPERM (CLOCK_*_ALARM without CAP_WAKE_ALARM).
     */
    public static int timerfd_create(int clockid, int flags) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        r = done(e, (int) Link.call(TimerfdCreate.H, e.capture, clockid, flags));
        if (Trace.on()) Trace.log("timerfd_create", r, e.errno, Names.value("CLOCK_", clockid), Names.flags("TFD_", flags));
        return r;
    }

    /** A struct itimerspec as strace prints it: {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}}. */
    static String itimerspecShown(MemorySegment its) {
        if (its.equals(MemorySegment.NULL)) return "NULL";
        if (!Trace.readable(its, itimerspec.sizeof())) return hex(its);
        return "{it_interval=" + Trace.timespec(its.asSlice(itimerspec.it_interval$offset(), timespec.sizeof()))
                + ", it_value=" + Trace.timespec(its.asSlice(itimerspec.it_value$offset(), timespec.sizeof())) + "}";
    }


    private static final class TimerfdSettime { static final Link.Shared H = Link.shared(sockets_h.timerfd_settime$address(), sockets_h.timerfd_settime$descriptor()); }

    /**
     * {@code int timerfd_settime(int fd, int flags, const struct itimerspec *new_value, struct itimerspec *old_value)},
     * timerfd_create(2): arms (it_value not zero) or disarms the timer; flags TFD_TIMER_ABSTIME,
     * TFD_TIMER_CANCEL_ON_SET. old_value may be NULL. errno: EBADF, ECANCELED, EFAULT (a segment
     * smaller than a struct itimerspec), EINVAL (not a timerfd, a bad flag, tv_nsec outside
     * 0..999999999), EPERM.
     * Refused by the facade before the call: new_value not a struct itimerspec, old_value neither NULL nor a writable one -1 EFAULT.
     */
    public static int timerfd_settime(int fd, int flags, MemorySegment new_value, MemorySegment old_value) {
        new_value = Memory.orNull(new_value); // Java null is C's NULL
        old_value = Memory.orNull(old_value); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.holds(new_value, itimerspec.sizeof()) || !Memory.nullOrWritable(old_value, itimerspec.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(TimerfdSettime.H, e.capture, fd, flags, new_value, old_value));
        if (Trace.on()) Trace.log("timerfd_settime", r, e.errno, num(fd), Names.flags("TFD_TIMER_", flags), itimerspecShown(new_value),
                r == 0 ? itimerspecShown(old_value) : hex(old_value));
        return r;
    }

    private static final class TimerfdGettime { static final Link.Shared H = Link.shared(sockets_h.timerfd_gettime$address(), sockets_h.timerfd_gettime$descriptor()); }

    /**
     * {@code int timerfd_gettime(int fd, struct itimerspec *curr_value)}, timerfd_create(2): the
     * time left until the next expiration, and the interval. errno: EBADF, EFAULT (curr_value
     * smaller than a struct itimerspec), EINVAL (not a timerfd).
     * Refused by the facade before the call: curr_value not a writable struct itimerspec -1 EFAULT.
     */
    public static int timerfd_gettime(int fd, MemorySegment curr_value) {
        curr_value = Memory.orNull(curr_value); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.writable(curr_value, itimerspec.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(TimerfdGettime.H, e.capture, fd, curr_value));
        if (Trace.on()) Trace.log("timerfd_gettime", r, e.errno, num(fd), r == 0 ? itimerspecShown(curr_value) : hex(curr_value));
        return r;
    }
}
