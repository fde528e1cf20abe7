package io.github.panamasockets.api;

import java.io.IOException;
import java.util.Optional;

/**
 * A failed call, for those who want exceptions: the call's name, errno's number, name and text.
 * Only {@link Posix#throwIfFailed} makes one; the facade itself returns -1 as C does.
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": " + Errors.name(errno) + " (" + Errors.message(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The C call that failed, "bind". */
    public String call() { return call; }

    /** errno's number, kept whether or not the platform names it. */
    public int errno() { return errno; }

    /** errno's name, "EADDRINUSE" (the number as text when unnamed). */
    public String errnoName() { return Errors.name(errno); }

    /** strerror's text, "Address already in use". */
    public String strerror() { return Errors.message(errno); }

    /** The Errno constant, empty for a number the platform does not name. */
    public Optional<Errno> error() { return Errno.of(errno); }
}
